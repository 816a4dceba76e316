/**
 * When tree-sitter's tree has errors it may have swallowed a command: `[ -d / ] && rm -rf /`
 * parses `/` as division and hides `rm` inside the test. The line is then also cut at its
 * top-level separators (`&&`, `||`, `;`, `|`, `&`, newlines) and each piece analysed on its own,
 * which can only add operations, never remove them.
 */
export function splitStatements(source: string): string[] {
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
    else if (c === "(" || c === "{") depth++;
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
