import type { Stdin } from "./context.js";
import { quoteWord, singleQuote } from "./quote.js";
import type { Word } from "./words.js";

export interface ParsedArgs {
  /** Flags as written, long (`--force`, `--force=x`) or one letter each (`-rf` gives `-r`, `-f`). */
  flags: Set<string>;
  /** Values of flags that take one: `--profile prod` or `--profile=prod`. */
  values: Map<string, string>;
  operands: Word[];
}

/**
 * Split arguments into flags and operands. `takesValue` names the flags whose value is the next
 * word; a flag written `--x=value` always carries its value.
 */
export function parseArgs(args: Word[], takesValue: ReadonlySet<string> = new Set()): ParsedArgs {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const operands: Word[] = [];
  let endOfFlags = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as Word;
    const a = word.value;
    if (endOfFlags || !a.startsWith("-") || a === "-" || !word.known) {
      operands.push(word);
      continue;
    }
    if (a === "--") {
      endOfFlags = true;
      continue;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a : a.slice(0, eq);
      flags.add(name);
      if (eq >= 0) values.set(name, a.slice(eq + 1));
      else if (takesValue.has(name) && i + 1 < args.length) values.set(name, (args[++i] as Word).value);
      continue;
    }
    if (takesValue.has(a)) {
      flags.add(a);
      if (i + 1 < args.length) values.set(a, (args[++i] as Word).value);
      continue;
    }
    // A short cluster: `-rf`; `-n5` keeps its attached value for a value-taking letter.
    for (let j = 1; j < a.length; j++) {
      const flag = `-${a[j]}`;
      flags.add(flag);
      if (takesValue.has(flag)) {
        const rest = a.slice(j + 1);
        if (rest) values.set(flag, rest);
        else if (i + 1 < args.length) values.set(flag, (args[++i] as Word).value);
        break;
      }
    }
  }
  return { flags, values, operands };
}

export function hasAny(parsed: ParsedArgs, ...names: string[]): boolean {
  return names.some((n) => parsed.flags.has(n));
}

export function optionValue(parsed: ParsedArgs, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = parsed.values.get(n);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The words after a command's own options: `exec -it box psql -c "…"` gives box, psql, -c, "…". */
export function afterOptions(args: Word[], withValue: ReadonlySet<string>): Word[] {
  let i = 0;
  while (i < args.length && (args[i]?.value ?? "").startsWith("-"))
    i += withValue.has(args[i]?.value ?? "") ? 2 : 1;
  return args.slice(i);
}

/** Words joined back into a shell line, quoting any that need it (`kubectl exec … -- CMD`). */
export function shellLine(words: Word[]): string {
  return words.map((w) => (w.known ? quoteWord(w.value) : singleQuote(w.value))).join(" ");
}

const STDIN_END = "__AIRLOCK_STDIN__";

/**
 * A command run elsewhere (`ssh host 'bash -s' <<EOF …`) reads this side's standard input: when
 * that text is known it goes along as a heredoc, so the remote command is analysed with it.
 */
export function withStdin(line: string, stdin: Stdin): string {
  if (stdin.kind !== "text" || !stdin.known || stdin.text.includes(STDIN_END)) return line;
  return `${line} <<'${STDIN_END}'\n${stdin.text.replace(/\n?$/, "\n")}${STDIN_END}`;
}
