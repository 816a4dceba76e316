import type { Invocation } from "./context.js";
import { resolvePath } from "./state.js";
import type { Word } from "./words.js";

/**
 * `npm run reset` where the line itself wrote package.json (`cat > package.json <<EOF … EOF`):
 * the script's text is known, so it is analysed as the shell line npm hands to sh, with its
 * `pre` and `post` scripts. Returns false when no package.json was written on the line.
 */
export function runWrittenScript(inv: Invocation, sub: string, rest: Word[]): boolean {
  const named =
    sub === "run" || sub === "run-script" ? rest.find((w) => !w.value.startsWith("-"))?.value : sub;
  if (!named) return false;
  const path = resolvePath(inv.state, "package.json");
  const text = path ? inv.state.files.get(path) : undefined;
  if (text === undefined) return false;
  let scripts: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(text) as { scripts?: Record<string, unknown> };
    scripts = parsed.scripts ?? {};
  } catch {
    inv.reparse(": package.json written on this line is not JSON");
    return false;
  }
  const lines = [`pre${named}`, named, `post${named}`]
    .map((name) => scripts[name])
    .filter((s): s is string => typeof s === "string");
  if (lines.length === 0) return false;
  for (const line of lines) inv.reparse(line);
  return true;
}
