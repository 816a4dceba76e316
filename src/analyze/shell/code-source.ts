import type { Invocation } from "./context.js";
import { resolvePath } from "./state.js";
import type { Word } from "./words.js";

/**
 * Where an interpreter's code comes from on a command line: an inline flag in any spelling the
 * interpreter accepts (`-c CODE`, `-cCODE`, `-Ic CODE`, `-we CODE`, `-pe`, `--eval=CODE`), standard
 * input (a heredoc, a here-string, `echo … |`, `< file`), or a script file written earlier on the line.
 */
export type CodeSource =
  | { kind: "inline"; code: Word; operands: Word[] }
  | { kind: "stdin"; text: string | undefined }
  | { kind: "script"; path: Word; written: string | undefined }
  /** `python -m mod`, `node` with no program and nothing on stdin: an interactive session or a module. */
  | { kind: "none"; operands: Word[] };

interface Spelling {
  /** Letters of a short-option cluster that take the code as their value (`c` for python). */
  code: string;
  /** Letters that take a value (the rest of the cluster or the next word). */
  valued: string;
  /** Long options carrying the code. */
  long: string[];
  /** Long options that take the next word as their value. */
  longValued: string[];
  /** Several code flags add up, one line each (`ruby -e a -e b`, `perl -e a -e b`). */
  joins: boolean;
  /** The code may be fused to its flag (`python -c'…'`); node's never is (`-pe CODE` is -p -e CODE). */
  fused?: boolean;
}

const SPELLINGS: Record<string, Spelling> = {
  python: {
    code: "c",
    valued: "mWXQ",
    long: [],
    longValued: ["--check-hash-based-pycs"],
    joins: false,
    fused: true,
  },
  node: {
    code: "ep",
    valued: "rC",
    long: ["--eval", "--print"],
    longValued: [
      "--require",
      "--import",
      "--loader",
      "--experimental-loader",
      "--input-type",
      "--conditions",
      "--env-file",
      "--title",
    ],
    joins: false,
  },
  bun: {
    code: "e",
    valued: "r",
    long: ["--eval", "--print"],
    longValued: ["--preload", "--cwd", "--config"],
    joins: false,
  },
  ruby: { code: "e", valued: "rICEFx0", long: [], longValued: [], joins: true, fused: true },
  perl: { code: "eE", valued: "IMmFix0lCdD", long: [], longValued: [], joins: true, fused: true },
  php: { code: "rRBE", valued: "dcfzt", long: [], longValued: ["--define"], joins: true, fused: true },
};

/** Letters whose value must be fused to them (`perl -Mstrict`, `-i.bak`): never the next word. */
const FUSED_ONLY: Record<string, string> = { perl: "ix0lDd", ruby: "x0" };

export function codeSource(inv: Invocation, spelling: string): CodeSource {
  const s = SPELLINGS[spelling] as Spelling;
  const args = inv.args;
  const codes: Word[] = [];
  const operands: Word[] = [];
  let module = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as Word;
    const a = word.value;
    if (!word.known || !a.startsWith("-") || a === "-") {
      operands.push(...args.slice(i));
      break;
    }
    if (a === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const [name = "", value] = a.split(/=(.*)/s, 2);
      if (s.long.includes(name)) codes.push(value !== undefined ? { ...word, value } : (args[++i] as Word));
      else if (s.longValued.includes(name) && value === undefined) i++;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const letter = a[j] as string;
      const rest = a.slice(j + 1);
      if (s.code.includes(letter) && (s.fused || rest === "")) {
        const code = rest !== "" ? { ...word, value: rest } : args[++i];
        if (code) codes.push(code);
        break;
      }
      if (letter === "m" && spelling === "python") module = true;
      // perl -l and -0 take only digits: `-lane` is -l -a -n -e.
      if (spelling === "perl" && (letter === "l" || letter === "0")) {
        while (/[0-9]/.test(a[j + 1] ?? "")) j++;
        continue;
      }
      if (s.valued.includes(letter)) {
        if (rest === "" && !(FUSED_ONLY[spelling] ?? "").includes(letter)) i++;
        break;
      }
    }
    if (module) break;
  }
  if (codes.length > 0) {
    const known = codes.every((c) => c.known);
    const value = codes.map((c) => c.value).join("\n");
    return { kind: "inline", code: { ...(codes[0] as Word), value, known }, operands };
  }
  const script = operands[0];
  if (!module && script && script.value !== "-") {
    const resolved = script.known ? resolvePath(inv.state, script.value) : null;
    return { kind: "script", path: script, written: resolved ? inv.state.files.get(resolved) : undefined };
  }
  if (!module && (script?.value === "-" || inv.stdin.kind !== "none"))
    return { kind: "stdin", text: stdinText(inv) };
  return { kind: "none", operands };
}

/** Standard input whose text is known: a heredoc, `echo … |`, or a file written earlier on the line. */
function stdinText(inv: Invocation): string | undefined {
  const stdin = inv.stdin;
  if (stdin.kind === "text" && stdin.known) return stdin.text;
  if (stdin.kind === "file") return inv.state.files.get(stdin.path);
  return undefined;
}
