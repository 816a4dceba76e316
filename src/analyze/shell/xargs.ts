import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { resolvePath } from "./state.js";
import { literalWord, type Word } from "./words.js";

const XARGS_WITH_VALUE = new Set([
  "-I",
  "-J",
  "-R",
  "-S",
  "-L",
  "-l",
  "-n",
  "-P",
  "-d",
  "-E",
  "-e",
  "-s",
  "-a",
  "--max-args",
  "--max-lines",
  "--max-procs",
  "--delimiter",
  "--arg-file",
  "--eof",
  "--max-chars",
  "--process-slot-var",
]);
const LISTERS = /^(find|ls|git|grep|rg|fd|fdfind)$/;
/** At most this many visible items are run one by one; more are one unknown item. */
const MAX_ITEMS = 8;

interface Options {
  /** The replace string (`-I {}`, `-J %`, `--replace`, `-i`). */
  replace?: string;
  /** `-a FILE`: items come from the file, not stdin. */
  argFile?: string;
  /** `-0` or `-d X`: items end at this character only, blanks and quotes are part of them. */
  delimiter?: string;
  inner: Word[];
}

function xargsOptions(args: Word[]): Options {
  let i = 0;
  const o: Options = { inner: [] };
  while (i < args.length) {
    const a = args[i]?.value ?? "";
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    if (a === "-I" || a === "-J") o.replace = args[i + 1]?.value;
    else if (/^-[IJ]./.test(a)) o.replace = a.slice(2);
    else if (a === "-i" || a === "--replace") o.replace = "{}";
    else if (a.startsWith("-i")) o.replace = a.slice(2);
    else if (a.startsWith("--replace=")) o.replace = a.slice(10);
    else if (a === "-0" || a === "--null") o.delimiter = "\0";
    else if (a === "-d" || a === "--delimiter") o.delimiter = delimiterOf(args[i + 1]?.value ?? "");
    else if (a.startsWith("--delimiter=")) o.delimiter = delimiterOf(a.slice(12));
    else if (a === "-a" || a === "--arg-file") o.argFile = args[i + 1]?.value;
    else if (a.startsWith("--arg-file=")) o.argFile = a.slice(11);
    i += XARGS_WITH_VALUE.has(a) ? 2 : 1;
  }
  o.inner = args.slice(i);
  return o;
}

/** `-d '\n'`, `-d \\n`, `-d ,`: the one character xargs splits at. */
function delimiterOf(value: string): string {
  const escapes: Record<string, string> = { "\\n": "\n", "\\t": "\t", "\\0": "\0" };
  return escapes[value] ?? value.charAt(0);
}

/** Items as xargs reads them: words split on blanks, with quotes and backslashes honoured. */
export function xargsItems(text: string): string[] {
  const items: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|((?:\\.|[^\s"'\\])+)/g;
  for (const m of text.matchAll(re)) items.push(m[1] ?? m[2] ?? (m[3] ?? "").replace(/\\(.)/g, "$1"));
  return items;
}

/** `xargs CMD`: CMD gets its arguments from stdin; when the producer is visible, so are they. */
function xargs(inv: Invocation): void {
  const o = xargsOptions(inv.args);
  const items = inputItems(inv, o.argFile, o.delimiter);
  const command = o.inner.length > 0 ? o.inner : [literalWord("echo")];
  const token = o.replace;
  if (token !== undefined) {
    for (const item of items)
      inv.stdout = inv.dispatch(
        command.map((w) => (w.value.includes(token) ? substitute(w, token, item) : w)),
        { kind: "none" },
      );
  } else inv.stdout = inv.dispatch([...command, ...items], { kind: "none" });
}

function substitute(word: Word, token: string, item: Word): Word {
  if (!item.known) return item;
  return literalWord(word.value.split(token).join(item.value));
}

const UNKNOWN: Word = {
  value: "$(stdin)",
  known: false,
  ifEmpty: "$(stdin)",
  glob: false,
  substitutions: [],
};

/** What `xargs` would read: visible text, a file written on the line, files a listing produced, or unknown. */
function inputItems(inv: Invocation, argFile: string | undefined, delimiter?: string): Word[] {
  const fromText = (text: string) => {
    // With a delimiter, `echo 'rm -rf /' | xargs -0 bash -c` hands bash the whole line as its script.
    const items =
      delimiter === undefined
        ? xargsItems(text)
        : text.split(delimiter).filter((item, i, all) => item !== "" || i < all.length - 1);
    return items.length <= MAX_ITEMS ? items.map(literalWord) : [UNKNOWN];
  };
  if (argFile !== undefined) {
    const path = resolvePath(inv.state, argFile);
    const written = path ? inv.state.files.get(path) : undefined;
    return written !== undefined ? fromText(written) : [UNKNOWN];
  }
  const stdin = inv.stdin;
  if (stdin.kind === "text" && stdin.known) return fromText(stdin.text);
  if (stdin.kind === "file") {
    const written = inv.state.files.get(stdin.path);
    if (written !== undefined) return fromText(written);
  }
  if (stdin.kind === "pipe") {
    const [producer, ...rest] = stdin.source;
    const localOnly = rest.every(
      (w) => w.known && !w.value.startsWith("/") && !w.value.startsWith("~") && !w.value.startsWith(".."),
    );
    if (LISTERS.test(producer?.value ?? "") && localOnly) return [literalWord("./(listed files)")];
  }
  return [UNKNOWN];
}

const PARALLEL_WITH_VALUE = new Set(
  `-j --jobs -P --env -S --sshlogin --joblog --results --res -a --arg-file -d --delimiter --colsep -C -I
  --replace --tagstring --workdir --wd --timeout --retries --delay --memfree --load -n --max-args -N
  --max-replace-args -L --max-lines --halt --sshloginfile --slf --basefile --bf --return --transfer-file
  --tf --shebang-wrap --tmpdir --compress-program --block --blocksize --pipe-part --sql --sqlmaster
  --sqlworker --seqreplace --transfer`.split(/\s+/),
);

/**
 * GNU parallel: `parallel CMD ::: a b`, `parallel ::: 'CMD1' 'CMD2'` (each item a command line),
 * `… | parallel` (each input line a command), `parallel -a FILE CMD`, `--env` and the like.
 */
function parallel(inv: Invocation): void {
  if (inv.argv.includes("--dry-run") || inv.argv.includes("--dryrun")) {
    emit(inv, { name: "parallel --dry-run", effect: "read", summary: "parallel prints the commands only" });
    return;
  }
  let i = 0;
  let argFile: string | undefined;
  while (i < inv.args.length) {
    const a = inv.args[i]?.value ?? "";
    if (!a.startsWith("-") || a.startsWith(":::")) break;
    if (a === "-a" || a === "--arg-file") argFile = inv.args[i + 1]?.value;
    i += PARALLEL_WITH_VALUE.has(a) ? 2 : 1;
  }
  const rest = inv.args.slice(i);
  const sep = rest.findIndex((w) => /^:::[+]?$|^::::[+]?$/.test(w.value));
  const command = sep < 0 ? rest : rest.slice(0, sep);
  const items =
    sep >= 0
      ? rest.slice(sep + 1).filter((w) => !/^::::?[+]?$/.test(w.value))
      : inputItemsAsLines(inv, argFile);
  const visible = items.length <= MAX_ITEMS ? items : [UNKNOWN];
  for (const item of visible) {
    if (command.length === 0) {
      // Each item is a whole command line.
      if (item.known) inv.reparse(item.value);
      else inv.dispatch([item]);
    } else if (command.length === 1 && /\s/.test(command[0]?.value ?? "")) {
      // One quoted word is a shell line: `parallel 'rm -rf {}' ::: x`.
      const line = command[0] as Word;
      if (line.known && item.known) inv.reparse(substitute(line, braceToken(line.value), item).value);
      else inv.dispatch([UNKNOWN]);
    } else if (command.some((w) => w.value.includes("{"))) {
      inv.dispatch(
        command.map((w) => (w.value.includes("{") ? substitute(w, braceToken(w.value), item) : w)),
      );
    } else inv.dispatch([...command, item]);
  }
}

/** `{}`, `{.}`, `{/}`, `{#}`…: parallel's replacement strings, all replaced by the item. */
function braceToken(value: string): string {
  return /\{[^{}]*\}/.exec(value)?.[0] ?? "{}";
}

function inputItemsAsLines(inv: Invocation, argFile: string | undefined): Word[] {
  const lines = (text: string) =>
    text
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map(literalWord);
  if (argFile !== undefined) {
    const path = resolvePath(inv.state, argFile);
    const written = path ? inv.state.files.get(path) : undefined;
    return written !== undefined ? lines(written) : [UNKNOWN];
  }
  if (inv.stdin.kind === "text" && inv.stdin.known) return lines(inv.stdin.text);
  return inputItems(inv, undefined);
}

export const XARGS: Record<string, Handler> = { xargs, parallel };
