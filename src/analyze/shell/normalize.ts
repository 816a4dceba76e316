/**
 * Rewrites bash makes before it reads a line that tree-sitter-bash gets wrong, each of which was
 * found hiding a command (by running a real bash on generated programs). Each one keeps what the
 * line runs, so the analysis sees what bash sees:
 * - a backslash-newline outside single quotes and comments is removed (`r\⏎m -rf /` is `rm -rf /`);
 * - a backslash before a plain character at the start of a line is dropped (`\rm` on a later line,
 *   which the grammar glues onto the previous command);
 * - `!` before a compound command is dropped (`! { rm -rf /; }`): negation changes the exit status only.
 */
export function normalizeSource(source: string): string {
  let s = source;
  if (s.includes("\\\n")) s = joinContinuations(s);
  if (s.includes("\\")) s = s.replace(/(^|\n)([ \t]*)\\(?=[A-Za-z0-9_./-])/g, "$1$2");
  if (s.includes("!")) s = s.replace(NEGATED_COMPOUND, "$1$2");
  return s;
}

const NEGATED_COMPOUND =
  /(^|[;&|(`]|\$\(|\b(?:then|do|else)\b)([ \t]*)!\s+(?=[{(]|(?:for|case|while|until|if|select|function)\b)/gm;

/** Remove backslash-newline pairs where bash does: everywhere but single quotes and comments. */
function joinContinuations(source: string): string {
  let out = "";
  let single = false;
  let double = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (single) {
      out += c;
      if (c === "'") single = false;
      continue;
    }
    if (c === "\\") {
      const next = source[i + 1];
      if (next === "\n") {
        i++;
        continue;
      }
      out += c + (next ?? "");
      i++;
      continue;
    }
    if (c === '"') double = !double;
    else if (c === "'" && !double) single = true;
    else if (c === "#" && !double && (out === "" || /[\s;&|(]$/.test(out))) {
      // A comment runs to the end of the line, backslashes and all.
      const end = source.indexOf("\n", i);
      const stop = end < 0 ? source.length : end;
      out += source.slice(i, stop);
      i = stop - 1;
      continue;
    }
    out += c;
  }
  return out;
}
