import { optionValue, type ParsedArgs, parseArgs } from "./args.js";
import { emit, emitOpaque, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { forkState, resolvePath, type ShellState } from "./state.js";
import { literalWord, type Word } from "./words.js";

/** Producers whose output run by a shell means a download run unseen, or hidden text decoded. */
const DOWNLOADERS = /^(curl|wget|fetch|http|iwr|irm)$/;
const DECODERS = /^(base64|xxd|openssl|gzip|gunzip|zcat|rev|tr|perl|python)$/;

/** The text a line hands to a shell, when it can be known: parsed again; otherwise opaque. */
export function runText(inv: Invocation, text: string | undefined, what: string, state?: ShellState): void {
  const written = text ?? visibleStdin(inv);
  if (written !== undefined) {
    inv.reparse(written, undefined, state);
    return;
  }
  const stdin = inv.stdin;
  const source = stdin.kind === "pipe" ? (stdin.source[0]?.value ?? "") : "";
  const reason = DOWNLOADERS.test(source)
    ? "downloads a script and runs it unseen"
    : DECODERS.test(source)
      ? "decodes hidden text and runs it"
      : `runs text that is only known when the line runs (${what})`;
  emitOpaque(inv, `${what} (opaque)`, `${inv.program}: ${reason}`, {
    tags: source === "curl" || source === "wget" ? ["remote-code"] : [],
  });
}

/** Standard input whose text is known: a heredoc, `echo … |`, or a file written earlier on the line. */
function visibleStdin(inv: Invocation): string | undefined {
  const stdin = inv.stdin;
  if (stdin.kind === "text" && stdin.known) return stdin.text;
  if (stdin.kind === "file") return inv.state.files.get(stdin.path);
  return undefined;
}

/** A script file: analysed when written on this line, otherwise run unseen. */
export function runScript(inv: Invocation, path: Word): void {
  const resolved = path.known ? resolvePath(inv.state, path.value) : null;
  const written = resolved ? inv.state.files.get(resolved) : undefined;
  if (written !== undefined) {
    inv.reparse(written);
    return;
  }
  const inTree =
    path.known && !path.value.startsWith("/") && !path.value.startsWith("~") && !path.value.startsWith("..");
  emit(inv, {
    name: `${inv.program} script`,
    effect: "execute",
    summary: `${inv.program} runs ${path.value}, a script airlock cannot see`,
    reversibility: "recoverable",
    blastRadius: "service",
    opaque: true,
    targets: [{ type: "script", name: path.value }],
    envHints: inTree ? ["local"] : [],
  });
}

const SHELL_OPTIONS_WITH_VALUE = new Set(["-o", "+o", "-O", "--rcfile", "--init-file"]);

/** `sh -c TEXT`, `bash script.sh`, `… | bash`, or an interactive shell. */
/** Files a starting shell reads first: `BASH_ENV`, `ENV`, `--rcfile`, `--init-file`. */
function startupFiles(inv: Invocation, p: ParsedArgs): void {
  const named = [
    inv.env.get("BASH_ENV") ?? inv.state.vars.get("BASH_ENV"),
    inv.env.get("ENV") ?? inv.state.vars.get("ENV"),
    optionValue(p, "--rcfile", "--init-file"),
  ];
  for (const path of named) if (path) runScript(inv, literalWord(path));
}

function shell(inv: Invocation): void {
  const p = parseArgs(inv.args, SHELL_OPTIONS_WITH_VALUE);
  if (p.flags.has("-n") && !p.flags.has("-i")) {
    emit(inv, { name: `${inv.program} -n`, effect: "read", summary: `${inv.program} -n only checks syntax` });
    return;
  }
  startupFiles(inv, p);
  const script = p.operands[0];
  if (p.flags.has("-c")) {
    // `sh -c 'rm -rf "$1"' _ /`: the words after the text are $0, $1, …
    // Every word after the text is a parameter, flags included (`sh -c '"$@"' _ rm -rf /`).
    const state = forkState(inv.state);
    const after = script ? inv.args.slice(inv.args.indexOf(script) + 1) : [];
    after.forEach((w, i) => {
      if (w.known) state.vars.set(String(i), w.value);
      else state.vars.delete(String(i));
    });
    state.vars.set("#", String(Math.max(0, after.length - 1)));
    runText(inv, script?.known ? script.value : undefined, `${inv.program} -c`, state);
  } else if (script && !p.flags.has("-s")) runScript(inv, script);
  else if (inv.stdin.kind === "none" && !script) {
    emit(inv, {
      name: `${inv.program} shell`,
      effect: "execute",
      summary: `an interactive ${inv.program}, whose commands airlock will not see`,
      reversibility: "recoverable",
      blastRadius: "service",
      opaque: true,
    });
  } else runText(inv, undefined, `${inv.program} stdin`);
}

/** `trap 'CMD' EXIT`: CMD runs when the signal comes or the shell exits, so it is analysed now. */
function trap(inv: Invocation): void {
  const [action, ...signals] = inv.args;
  if (!action || signals.length === 0 || /^-[lp]$/.test(action.value) || action.value === "-") {
    emit(inv, { name: "trap", effect: "read", summary: "trap lists or resets handlers" });
    return;
  }
  runText(inv, action.known ? action.value : undefined, "trap");
}

/** Shell setup every engineer's rc file evals: what they print only sets variables and functions. */
const SETUP =
  /^(?:\S*\/)?(?:ssh-agent(?: -[sc])?|direnv hook \w+|brew shellenv|(?:pyenv|rbenv|nodenv|goenv|jenv)(?: virtualenv-init| init)(?: -| \w+)?|starship init \w+|zoxide init \w+|fnm env(?: --use-on-cd)?|(?:mise|rtx) activate \w+|conda shell\.\w+ hook|dircolors(?: -b)?|thefuck --alias|[\w-]+ completion(?: -s)? \w+|register-python-argcomplete \S+)$/;

/** `eval "$(brew shellenv)"`, `source <(kubectl completion bash)`: known setup, not unseen code. */
function isKnownSetup(inv: Invocation): boolean {
  const [only, ...rest] = inv.args;
  const sub = only?.substitutions[0];
  if (!only || rest.length > 0 || only.substitutions.length !== 1 || !sub) return false;
  if (!/^"?(?:\$\(|<\(|`)[\s\S]*(?:\)|`)"?$/.test(only.value) && !only.value.startsWith("/dev/fd/"))
    return false;
  return SETUP.test(sub.text.replace(/^(?:\$\(|<\(|`)|(?:\)|`)$/g, "").trim());
}

/** `set -- a b c` (or `set a b c`) replaces the positional parameters that `"$@"` expands to. */
function set(inv: Invocation): void {
  const dashes = inv.argv.indexOf("--");
  const first = inv.argv[0] ?? "";
  const words = dashes >= 0 ? inv.args.slice(dashes + 1) : /^[-+]/.test(first) ? undefined : inv.args;
  if (words) {
    const vars = inv.state.vars;
    for (const [i, w] of words.entries()) {
      if (w.known) vars.set(String(i + 1), w.value);
      else vars.delete(String(i + 1));
    }
    vars.set("#", String(words.length));
  }
  emit(inv, { name: "set", effect: "read", summary: "set changes shell options or parameters" });
}

function evalCommand(inv: Invocation): void {
  if (isKnownSetup(inv)) {
    emit(inv, { name: "eval (shell setup)", effect: "read", summary: "eval of well-known shell setup" });
    return;
  }
  const known = inv.args.every((a) => a.known);
  runText(inv, known ? inv.argv.join(" ") : undefined, "eval");
}

function source(inv: Invocation): void {
  if (isKnownSetup(inv)) {
    emit(inv, { name: "source (shell setup)", effect: "read", summary: "sources well-known shell setup" });
    return;
  }
  const file = inv.args[0];
  if (file) runScript(inv, file);
}

export const SHELLS: Record<string, Handler> = {
  sh: shell,
  bash: shell,
  zsh: shell,
  dash: shell,
  ksh: shell,
  fish: shell,
  eval: evalCommand,
  set,
  trap,
  source,
  ".": source,
};
