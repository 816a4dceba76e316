import type { Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { literalWord, type Word } from "./words.js";

const XARGS_WITH_VALUE = new Set([
  "-I",
  "-i",
  "-L",
  "-l",
  "-n",
  "-P",
  "-d",
  "-E",
  "-s",
  "-a",
  "--max-args",
  "--delimiter",
]);
const LISTERS = /^(find|ls|git|grep|rg|fd|fdfind)$/;

/** `xargs CMD`: CMD gets its arguments from stdin; when the producer is visible, so are they. */
function xargs(inv: Invocation): void {
  let i = 0;
  let replace: string | undefined;
  while (i < inv.args.length) {
    const a = inv.args[i]?.value ?? "";
    if (!a.startsWith("-")) break;
    if (a === "-I") replace = inv.args[i + 1]?.value;
    else if (a.startsWith("-I")) replace = a.slice(2);
    i += XARGS_WITH_VALUE.has(a) ? 2 : 1;
  }
  const inner = inv.args.slice(i);
  const items = stdinItems(inv);
  const command = inner.length > 0 ? inner : [literalWord("echo")];
  const token = replace;
  const words =
    token !== undefined ? command.map((w) => (w.value.includes(token) ? items : w)) : [...command, items];
  inv.stdout = inv.dispatch(words, { kind: "none" });
}

/** What `xargs` would read, as one word: visible text, files a listing produced, or unknown. */
function stdinItems(inv: Invocation): Word {
  const stdin = inv.stdin;
  if (stdin.kind === "text" && stdin.known) return literalWord(stdin.text.trim().split(/\s+/)[0] ?? "");
  if (stdin.kind === "pipe") {
    const [producer, ...rest] = stdin.source;
    const localOnly = rest.every(
      (w) => w.known && !w.value.startsWith("/") && !w.value.startsWith("~") && !w.value.startsWith(".."),
    );
    if (LISTERS.test(producer?.value ?? "") && localOnly) return literalWord("./(listed files)");
  }
  return { value: "$(stdin)", known: false, ifEmpty: "$(stdin)", glob: false, substitutions: [] };
}

export const XARGS: Record<string, Handler> = { xargs, parallel: xargs };
