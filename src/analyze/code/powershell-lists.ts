import type { SyntaxNode } from "../shell/parse.js";

/**
 * PowerShell passes `Remove-Item a,b,c` and `Get-Process -Name a, b` an array, as if written
 * `'a','b','c'`; tree-sitter-powershell reads the bare words around the commas as separate tokens
 * (or an error), so each item would be missed or the command left unread. The commands whose
 * arguments hold such a list are rewritten with each bare item quoted, and the code read again.
 */

/**
 * A comma at the end of a line continues the list on the next (with or without a backtick), as
 * PowerShell reads it; tree-sitter-powershell ends the statement there.
 */
export function joinContinuedLists(source: string): string {
  return source.replace(/,[ \t]*`?\r?\n[ \t]*/g, ",");
}

/** Words of argument mode: split at blanks outside quotes, brackets and backtick escapes. */
function argumentWords(text: string): string[] {
  const words: string[] = [];
  let current = "";
  let depth = 0;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    // A backtick before a line break continues the line: a blank between words.
    if (c === "`" && quote === "" && /[\r\n]/.test(text[i + 1] ?? "")) {
      if (current) words.push(current);
      current = "";
      i += text[i + 1] === "\r" && text[i + 2] === "\n" ? 2 : 1;
      continue;
    }
    if (c === "`" && quote !== "'") {
      current += c + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (quote) {
      if (c === quote) quote = "";
      current += c;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if ("({[".includes(c)) depth++;
    else if (")}]".includes(c)) depth = Math.max(0, depth - 1);
    if (depth === 0 && /\s/.test(c)) {
      if (current) words.push(current);
      current = "";
      continue;
    }
    current += c;
  }
  if (current) words.push(current);
  return words;
}

/** `a`, `'a'`, `$x`, `(…)`: an item is quoted only when it is a bare word PowerShell reads as text. */
function quoted(item: string): string {
  if (item === "" || /^['"$@({]/.test(item)) return item;
  return `'${item.replace(/'/g, "''")}'`;
}

/** Glue `a,` `b` and `a` `,b` into one list, then quote its bare items. */
function rewriteArguments(text: string): string {
  const merged: string[] = [];
  // `-Path:a,b` is `-Path a,b`.
  const words = argumentWords(text).flatMap((w) => {
    const m = /^(-\w+):(.+)$/s.exec(w);
    return m?.[1] && m[2] ? [m[1], m[2]] : [w];
  });
  for (const w of words) {
    const last = merged[merged.length - 1];
    if (last !== undefined && !/^--?\w/.test(last) && (last.endsWith(",") || w.startsWith(",")))
      merged[merged.length - 1] = last + w;
    else merged.push(w);
  }
  return merged
    .map((w) => (/^--?\w/.test(w) || !w.includes(",") || /^['"@({$]/.test(w) ? w : listOf(w)))
    .join(" ");
}

function listOf(word: string): string {
  return word
    .split(",")
    .map((item) => quoted(item.trim()))
    .join(",");
}

function hasBareList(elements: SyntaxNode): boolean {
  return elements.children.some(
    (c) =>
      (c.type === "generic_token" || c.type === "ERROR") && (c.text.startsWith(",") || c.text.endsWith(",")),
  );
}

/** The source with every command that holds a bare comma list rewritten; the same source when none does. */
export function quoteBareLists(root: SyntaxNode, source: string): string {
  const rewrites = new Map<string, string>();
  const visit = (node: SyntaxNode): void => {
    if (node.type === "command") {
      const name = node.children.find((c) => c.type === "command_name" || c.type === "command_name_expr");
      const elements = node.children.find((c) => c.type === "command_elements");
      if (name && elements && hasBareList(elements) && node.text.startsWith(name.text))
        rewrites.set(node.text, `${name.text} ${rewriteArguments(node.text.slice(name.text.length))}`);
    }
    for (const c of node.children) visit(c);
  };
  visit(root);
  let out = source;
  for (const [from, to] of rewrites) out = out.split(from).join(to);
  return out;
}
