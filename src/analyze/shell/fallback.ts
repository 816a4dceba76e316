/**
 * When tree-sitter's tree has errors it may have swallowed a command: `[ -d / ] && rm -rf /`
 * parses `/` as division and hides `rm` inside the test. The line is then also cut at its
 * top-level separators (`&&`, `||`, `;`, `|`, `&`, newlines) and each piece analysed on its own,
 * which can only add operations, never remove them.
 */
export function splitStatements(source: string, deep = false): string[] {
  const pieces: string[] = [];
  let start = 0;
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (quote) {
      if (c === "\\" && quote !== "'") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "\\") i++;
    else if (c === "'" || c === '"' || c === "`") quote = c;
    else if (
      deep &&
      (c === "(" || c === ")" || c === "{" || c === "}") &&
      !/[$<>=]/.test(source[i - 1] ?? "")
    ) {
      // Deep: a group, subshell or function body is cut open too (`f() { [ -d / ] && rm -rf /; }`).
      pieces.push(source.slice(start, i));
      start = i + 1;
    } else if (c === "(" || c === "{") depth++;
    else if ((c === ")" || c === "}") && depth > 0) depth--;
    else if (depth === 0 && (c === ";" || c === "&" || c === "|" || c === "\n")) {
      pieces.push(source.slice(start, i));
      if (source[i + 1] === c) i++;
      start = i + 1;
    }
  }
  pieces.push(source.slice(start));
  return pieces.map((p) => p.trim()).filter((p) => p !== "");
}

/**
 * The code inside `$( … )` and backquotes, found by counting parentheses in the text: where the tree
 * has errors, a substitution's commands may be hidden in a misparsed test (`: "$([ -d / ] && rm -rf /)"`).
 */
export function substitutionBodies(source: string): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < source.length; i++) {
    if (source[i] === "$" && source[i + 1] === "(") {
      let depth = 0;
      for (let j = i + 1; j < source.length; j++) {
        if (source[j] === "(") depth++;
        else if (source[j] === ")" && --depth === 0) {
          bodies.push(source.slice(i + 2, j));
          break;
        }
      }
    } else if (source[i] === "`" && source[i - 1] !== "\\") {
      const end = source.indexOf("`", i + 1);
      if (end > i) {
        bodies.push(source.slice(i + 1, end));
        i = end;
      }
    }
  }
  return bodies;
}

/** `{rm,-rf,/srv/data}` where a command starts: bash expands it into the words `rm -rf /srv/data`. */
export function expandLeadingBraces(source: string): string {
  return source.replace(
    /(^|[\n;&|({][ \t]*)\{([^{}\s,]*,[^{}\s]*)\}/g,
    (_m, before: string, list: string) => `${before}${list.split(",").join(" ")}`,
  );
}
