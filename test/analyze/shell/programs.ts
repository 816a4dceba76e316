/**
 * Programs that delete `/` with `rm`, built by composing the shell constructs of issue 13 (wrappers,
 * quoting, redirect placement, continuations, indirection, functions, heredocs, substitutions,
 * traps, aliases, startup files, nesting, chains). The same seed always gives the same programs.
 */
export interface Program {
  text: string;
  /** The constructs applied, innermost first, to name a failure. */
  steps: string[];
}

type Rng = () => number;

export function rng(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

const BASES: readonly string[][] = [
  ["rm", "-rf", "/"],
  ["rm", "-fr", "/"],
  ["rm", "-r", "-f", "/"],
  ["rm", "--recursive", "--force", "/"],
  ["rm", "-rf", "--no-preserve-root", "/"],
];

const q = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/** Rewrites of a simple command, as its words. */
const WORD_STEPS: Record<string, (w: string[], r: Rng) => string[]> = {
  "single-quoted name": ([n = "", ...a]) => [`'${n}'`, ...a],
  "double-quoted name": ([n = "", ...a]) => [`"${n}"`, ...a],
  "split quotes": ([n = "", ...a]) => [`${n.slice(0, 1)}''${n.slice(1)}`, ...a],
  "backslash name": ([n = "", ...a]) => [`\\${n}`, ...a],
  command: (w) => ["command", ...w],
  env: (w) => ["env", "X=1", ...w],
  nice: (w) => ["nice", "-n", "5", ...w],
  timeout: (w) => ["timeout", "30", ...w],
  "redirect among words": (w, r) => {
    const at = 1 + Math.floor(r() * (w.length - 1));
    return [...w.slice(0, at), pick(r, [">/dev/null", "2>/dev/null", "2>&1"]), ...w.slice(at)];
  },
  "continuation in a word": ([n = "", ...a]) => [`${n.slice(0, 1)}\\\n${n.slice(1)}`, ...a],
};

/** Rewrites of whole lines. */
const LINE_STEPS: Record<string, (l: string) => string> = {
  "bash -c": (l) => `bash -c ${q(l)}`,
  "sh -c": (l) => `sh -c ${q(l)}`,
  eval: (l) => `eval ${q(l)}`,
  "heredoc to bash": (l) => `bash <<'EOF'\n${l}\nEOF`,
  "unquoted heredoc to bash": (l) => (/[$`\\]/.test(l) ? `bash <<'EOF'\n${l}\nEOF` : `bash <<EOF\n${l}\nEOF`),
  "heredoc piped to bash": (l) => `cat <<'EOF' | bash\n${l}\nEOF`,
  "here-string": (l) => `bash <<< ${q(l)}`,
  "printf to sh": (l) => `printf '%s\\n' ${q(l)} | sh`,
  "base64 to bash": (l) => `echo ${Buffer.from(`${l}\n`).toString("base64")} | base64 -d | bash`,
  "script file": (l) => `printf '%s\\n' ${q(l)} > job.sh\nbash job.sh`,
  "script under a condition": (l) => `if [ -d . ]; then printf '%s\\n' ${q(l)} > job.sh; fi\nbash job.sh`,
  BASH_ENV: (l) => `printf '%s\\n' ${q(l)} > rc.sh\nBASH_ENV=./rc.sh bash -c true`,
  subshell: (l) => `(\n${l}\n)`,
  group: (l) => `{\n${l}\n}`,
  "negated group": (l) => `! {\n${l}\n}`,
  if: (l) => `if true; then\n${l}\nfi`,
  for: (l) => `for i in 1; do\n${l}\ndone`,
  case: (l) => `case x in\nx)\n${l}\n;;\nesac`,
  "negated for": (l) => `! for i in 1; do\n${l}\ndone`,
  function: (l) => `f() {\n${l}\n}\nf`,
  "command substitution": (l) => `: "$(\n${l}\n)"`,
  "arithmetic substitution": (l) => `echo $(( $(\n${l}\n) + 1 ))`,
  "test then": (l) => `[ -d / ] && {\n${l}\n}`,
  "true &&": (l) => `true && ${l}`,
  "false ||": (l) => `false || ${l}`,
  "comment after": (l) => `${l}\n# done`,
  trap: (l) => `trap ${q(l)} EXIT`,
  alias: (l) => `shopt -s expand_aliases\nalias z=${q(l)}\nz`,
  "line in a variable": (l) => `x=${q(l)}\neval "$x"`,
};

/** Rewrites that only apply to the base command, as whole lines. */
const BASE_LINES: Record<string, (w: string[]) => string> = {
  "brace expansion": (w) => `{${w.join(",")}}`,
  "name in a variable": ([n = "", ...a]) => `c=${n}; $c ${a.join(" ")}`,
  'set -- and "$@"': (w) => `set -- ${w.join(" ")}; "$@"`,
  "function running its arguments": (w) => `f() { "$@"; }; f ${w.join(" ")}`,
  "IFS split": (w) => `IFS=,; x=${w.join(",")}; $x`,
  "IFS under a false condition": (w) => `false && IFS=,; x=${q(w.join(" "))}; $x`,
  xargs: (w) => `echo ${w[w.length - 1]} | xargs ${w.slice(0, -1).join(" ")}`,
  "xargs -I": (w) => `echo ${w[w.length - 1]} | xargs -I{} ${w.slice(0, -1).join(" ")} {}`,
};

export function generatePrograms(count: number, seed: number): Program[] {
  const r = rng(seed);
  const programs: Program[] = [];
  for (let i = 0; i < count; i++) {
    const steps: string[] = [];
    let words = [...pick(r, BASES)];
    const wordSteps = Math.floor(r() * 3);
    for (let k = 0; k < wordSteps; k++) {
      const name = pick(r, Object.keys(WORD_STEPS));
      words = (WORD_STEPS[name] as (w: string[], r: Rng) => string[])(words, r);
      steps.push(name);
    }
    let line: string;
    if (steps.length === 0 && r() < 0.4) {
      const name = pick(r, Object.keys(BASE_LINES));
      line = (BASE_LINES[name] as (w: string[]) => string)(words);
      steps.push(name);
    } else line = words.join(" ");
    const lineSteps = 1 + Math.floor(r() * 3);
    for (let k = 0; k < lineSteps; k++) {
      const name = pick(r, Object.keys(LINE_STEPS));
      line = (LINE_STEPS[name] as (l: string) => string)(line);
      steps.push(name);
    }
    programs.push({ text: line, steps });
  }
  return programs;
}
