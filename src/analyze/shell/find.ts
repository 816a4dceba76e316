import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { destroyPaths } from "./filesystem.js";
import { literalWord, type Word } from "./words.js";

const FILTERS =
  /^-(i?name|i?path|i?wholename|i?regex|newer|mtime|mmin|atime|ctime|size|empty|user|group|perm)$/;
const ACTIONS = new Set(["-exec", "-execdir", "-ok", "-okdir"]);

/** What `{}` stands for: the search roots themselves, or what a name filter narrows them to. */
export function findMatches(roots: Word[], args: string[]): Word[] {
  const name = args.findIndex((a) => /^-i?name$/.test(a));
  // `-not -name '.*'` narrows nothing that matters: everything but the hidden files goes.
  const negated = name > 0 && (args[name - 1] === "-not" || args[name - 1] === "!");
  const pattern = negated ? "*" : name >= 0 ? args[name + 1] : undefined;
  const filtered = args.some((a) => FILTERS.test(a));
  return roots.map((r) => {
    if (pattern)
      return literalWord(`${r.value.replace(/\/$/, "")}/${pattern === "*" ? "*" : `(matching ${pattern})`}`);
    if (filtered) return literalWord(`${r.value.replace(/\/$/, "")}/(matching files)`);
    return r;
  });
}

function find(inv: Invocation): void {
  const roots: Word[] = [];
  let i = 0;
  while (i < inv.args.length && /^-[HLP]$|^-O\d$|^-D$/.test(inv.argv[i] ?? "")) i++;
  while (i < inv.args.length && !/^[-!(]/.test(inv.argv[i] ?? "")) roots.push(inv.args[i++] as Word);
  if (roots.length === 0) roots.push(literalWord("."));
  const expr = inv.argv.slice(i);
  const matches = findMatches(roots, expr);
  let acted = false;
  if (expr.includes("-delete")) {
    acted = true;
    destroyPaths(inv, "find -delete", matches, { recursive: true, verb: "deletes everything matched under" });
  }
  for (let j = 0; j < expr.length; j++) {
    if (!ACTIONS.has(expr[j] ?? "")) continue;
    const end = expr.findIndex((a, k) => k > j && (a === ";" || a === "+" || a === "\\;"));
    const command = inv.args.slice(i + j + 1, end < 0 ? undefined : i + end);
    const words = command.flatMap((w) => (w.value.includes("{}") ? matches : [w]));
    if (words.length > 0) inv.dispatch(words, { kind: "none" });
    acted = true;
    if (end > j) j = end;
  }
  if (!acted) emit(inv, { name: "find", effect: "read", summary: "find lists files" });
}

export const FIND: Record<string, Handler> = { find };
