import type { MyToken } from "./mysql-lexer.js";

/** Reading keyword-classified MySQL statements token by token. */

/** The upper-cased word at position i, or "" (quoted names never count as keywords). */
export function word(tokens: MyToken[], i: number): string {
  return tokens[i]?.key ?? "";
}

export function has(tokens: MyToken[], w: string): boolean {
  return tokens.some((t) => t.key === w);
}

/** A possibly qualified object name starting at i: `db`.`t` → "db.t". */
export function nameAfter(tokens: MyToken[], i: number): string | undefined {
  const parts: string[] = [];
  let j = i;
  while (tokens[j] && (tokens[j]?.kind === "ident" || tokens[j]?.kind === "word")) {
    parts.push(tokens[j]?.text ?? "");
    if (tokens[j + 1]?.text !== ".") break;
    j += 2;
  }
  return parts.length > 0 ? parts.join(".") : undefined;
}

/** "ALL PRIVILEGES, SELECT" → ["ALL", "SELECT"] (column lists dropped). */
export function joinWords(tokens: MyToken[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let depth = 0;
  for (const x of tokens) {
    if (x.text === "(") depth++;
    else if (x.text === ")") depth--;
    else if (depth === 0 && x.text === ",") {
      out.push(current.join(" "));
      current = [];
    } else if (depth === 0) current.push(x.key || x.text);
  }
  if (current.length > 0) out.push(current.join(" "));
  return out.map((p) => (p === "ALL PRIVILEGES" ? "ALL" : p));
}

/** Accounts in a GRANT/CREATE USER list: `'app'@'%'`, bob@localhost. */
export function accountsFrom(tokens: MyToken[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const x = tokens[i];
    if (!x || ["WITH", "REQUIRE", "IDENTIFIED", "AS", "DEFAULT"].includes(x.key)) break;
    if (x.kind === "punct") continue;
    const next = tokens[i + 1];
    let host: string | undefined;
    if (next?.kind === "var" && next.text === "@") {
      host = tokens[i + 2]?.text;
      i += 2;
    } else if (next?.kind === "var") {
      host = next.text.slice(1).toLowerCase();
      i += 1;
    }
    out.push(host === undefined ? x.text : `'${x.text}'@'${host}'`);
  }
  return out;
}

export function preview(text: string): string {
  return text.trim().replace(/\s+/g, " ").slice(0, 60);
}
