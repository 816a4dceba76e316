import { parseArgs } from "./args.js";
import { emit, emitOpaque, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { afterOptions } from "./docker.js";
import { resolvePath } from "./state.js";
import { literalWord, type Word } from "./words.js";

/**
 * Wrappers run the command they are given: take them off and analyse what they run.
 * `optionsWithValue` are the wrapper's own options that consume the next word.
 */
function prefixWrapper(optionsWithValue: string[], positional = 0): Handler {
  const takes = new Set(optionsWithValue);
  return (inv) => {
    let i = 0;
    while (i < inv.args.length) {
      const a = inv.args[i]?.value ?? "";
      if (a === "--") {
        i++;
        break;
      }
      if (!a.startsWith("-") || a === "-") break;
      i += takes.has(a) ? 2 : 1;
    }
    const inner = inv.args.slice(i + positional);
    if (inner.length === 0) return wrapperAlone(inv);
    return inv.dispatch(inner);
  };
}

function wrapperAlone(inv: Invocation): void {
  // Bare `sudo` or `doas` prints its usage and runs nothing; `sudo -i`, `sudo -s` and `su` open a root shell.
  if ((inv.program === "sudo" || inv.program === "doas") && inv.args.length === 0) {
    return void emit(inv, { name: inv.program, effect: "read", summary: `${inv.program} alone prints its usage` });
  }
  if (inv.program === "sudo" || inv.program === "doas" || inv.program === "su") {
    emit(inv, {
      name: `${inv.program} shell`,
      effect: "privilege",
      summary: `${inv.program} ${inv.argv.join(" ")}: a root shell, whose commands airlock will not see`,
      reversibility: "irreversible",
      blastRadius: "host",
      opaque: true,
      tags: ["privilege-escalation"],
    });
  }
}

/** `env [-i] [-u NAME] [NAME=value]… CMD`. */
function env(inv: Invocation) {
  let i = 0;
  for (; i < inv.args.length; i++) {
    const a = inv.args[i]?.value ?? "";
    if (a === "-u" || a === "--unset" || a === "-C" || a === "--chdir") i++;
    else if (a === "-S" || a === "--split-string") {
      const rest = inv.args.slice(i + 1).map((w) => w.value);
      return inv.reparse(rest.join(" "));
    } else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(a))
      inv.env.set(a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1));
    else if (!a.startsWith("-")) break;
  }
  const inner = inv.args.slice(i);
  if (inner.length === 0)
    return void emit(inv, { name: "env", effect: "read", summary: "env prints the environment" });
  return inv.dispatch(inner);
}

/** The text a line hands to a shell, when it can be known. */
export function runText(inv: Invocation, text: string | undefined, what: string): void {
  if (text !== undefined) return inv.reparse(text);
  const stdin = inv.stdin;
  if (stdin.kind === "text" && stdin.known) return inv.reparse(stdin.text);
  if (stdin.kind === "file") {
    const written = inv.state.files.get(stdin.path);
    if (written !== undefined) return inv.reparse(written);
  }
  const source = stdin.kind === "pipe" ? (stdin.source[0]?.value ?? "") : "";
  const reason = /^(curl|wget|fetch|http|iwr|irm)$/.test(source)
    ? "downloads a script and runs it unseen"
    : /^(base64|xxd|openssl|gzip|gunzip|zcat|rev|tr|perl|python)$/.test(source)
      ? "decodes hidden text and runs it"
      : `runs text that is only known when the line runs (${what})`;
  emitOpaque(inv, `${what} (opaque)`, `${inv.program}: ${reason}`, {
    tags: source === "curl" || source === "wget" ? ["remote-code"] : [],
  });
}

/** A script file: analysed when written on this line, otherwise run unseen. */
export function runScript(inv: Invocation, path: Word): void {
  const resolved = path.known ? resolvePath(inv.state, path.value) : null;
  const written = resolved ? inv.state.files.get(resolved) : undefined;
  if (written !== undefined) return inv.reparse(written);
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

function shell(inv: Invocation): void {
  const p = parseArgs(inv.args, new Set(["-o", "+o", "-O", "--rcfile", "--init-file"]));
  if (p.flags.has("-c"))
    return runText(inv, p.operands[0]?.known ? p.operands[0].value : undefined, `${inv.program} -c`);
  const script = p.operands[0];
  if (script && !p.flags.has("-s")) return runScript(inv, script);
  if (inv.stdin.kind === "none" && !script) {
    return void emit(inv, {
      name: `${inv.program} shell`,
      effect: "execute",
      summary: `an interactive ${inv.program}, whose commands airlock will not see`,
      reversibility: "recoverable",
      blastRadius: "service",
      opaque: true,
    });
  }
  runText(inv, undefined, `${inv.program} stdin`);
}

function evalCommand(inv: Invocation): void {
  const known = inv.args.every((a) => a.known);
  runText(inv, known ? inv.argv.join(" ") : undefined, "eval");
}

function source(inv: Invocation): void {
  const file = inv.args[0];
  if (file) runScript(inv, file);
}

/** `xargs CMD`: CMD gets its arguments from stdin; when the producer is visible, so are they. */
function xargs(inv: Invocation) {
  const takes = new Set([
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
  let i = 0;
  let replace: string | undefined;
  while (i < inv.args.length) {
    const a = inv.args[i]?.value ?? "";
    if (!a.startsWith("-")) break;
    if (a === "-I") replace = inv.args[i + 1]?.value;
    else if (a.startsWith("-I")) replace = a.slice(2);
    i += takes.has(a) ? 2 : 1;
  }
  const inner = inv.args.slice(i);
  const items = stdinItems(inv);
  const command = inner.length > 0 ? inner : [literalWord("echo")];
  if (replace !== undefined) {
    const token = replace;
    return inv.dispatch(
      command.map((w) => (w.value.includes(token) ? items : w)),
      { kind: "none" },
    );
  }
  return inv.dispatch([...command, items], { kind: "none" });
}

/** What `xargs` would read, as one word: visible text, files a listing produced, or unknown. */
function stdinItems(inv: Invocation): Word {
  const stdin = inv.stdin;
  if (stdin.kind === "text" && stdin.known) return literalWord(stdin.text.trim().split(/\s+/)[0] ?? "");
  if (stdin.kind === "pipe") {
    const [producer, ...rest] = stdin.source;
    const lists = /^(find|ls|git|grep|rg|fd|fdfind)$/.test(producer?.value ?? "");
    const localOnly = rest.every(
      (w) => w.known && !w.value.startsWith("/") && !w.value.startsWith("~") && !w.value.startsWith(".."),
    );
    if (lists && localOnly) return literalWord("./(listed files)");
  }
  return { value: "$(stdin)", known: false, ifEmpty: "$(stdin)", glob: false, substitutions: [] };
}

const SSH_WITH_VALUE = new Set([
  "-i",
  "-p",
  "-l",
  "-o",
  "-F",
  "-J",
  "-L",
  "-R",
  "-D",
  "-b",
  "-c",
  "-E",
  "-e",
  "-m",
  "-O",
  "-Q",
  "-S",
  "-W",
  "-w",
  "-B",
  "-P",
]);

/** `ssh host CMD`: CMD runs on host, so its operations carry the host's name instead of "local". */
function ssh(inv: Invocation): void {
  const [target, ...command] = afterOptions(inv.args, SSH_WITH_VALUE);
  const host = (target?.value ?? "").replace(/^[^@]*@/, "");
  const scope = { depth: inv.scope.depth + 1, remote: [host] };
  if (command.length > 0) return inv.reparse(command.map((w) => w.value).join(" "), scope);
  if (inv.stdin.kind === "text" && inv.stdin.known) return inv.reparse(inv.stdin.text, scope);
  emit(inv, {
    name: "ssh",
    effect: "execute",
    summary: `ssh ${host}: a remote session, whose commands airlock will not see`,
    reversibility: "recoverable",
    blastRadius: "service",
    opaque: inv.stdin.kind !== "none",
    envHints: [host],
  });
}

export const WRAPPERS: Record<string, Handler> = {
  sudo: prefixWrapper(["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "--user", "--group"]),
  doas: prefixWrapper(["-u", "-C"]),
  command: (inv) => (inv.argv[0] === "-v" || inv.argv[0] === "-V" ? undefined : prefixWrapper([])(inv)),
  builtin: prefixWrapper([]),
  exec: prefixWrapper(["-a"]),
  nice: prefixWrapper(["-n", "--adjustment"]),
  ionice: prefixWrapper(["-c", "-n", "-p"]),
  nohup: prefixWrapper([]),
  setsid: prefixWrapper([]),
  time: prefixWrapper(["-f", "-o"]),
  stdbuf: prefixWrapper(["-i", "-o", "-e"]),
  unbuffer: prefixWrapper([]),
  caffeinate: prefixWrapper(["-t", "-w"]),
  chronic: prefixWrapper([]),
  timeout: prefixWrapper(["-s", "-k", "--signal", "--kill-after"], 1),
  flock: prefixWrapper(["-w", "-E", "-c"], 1),
  taskset: prefixWrapper([], 1),
  watch: (inv) => {
    const p = parseArgs(inv.args, new Set(["-n", "--interval", "-d"]));
    if (p.operands.length > 0) inv.reparse(p.operands.map((w) => w.value).join(" "));
  },
  env,
  xargs,
  parallel: xargs,
  sh: shell,
  bash: shell,
  zsh: shell,
  dash: shell,
  ksh: shell,
  fish: shell,
  eval: evalCommand,
  source,
  ".": source,
  su: (inv) => {
    const p = parseArgs(inv.args, new Set(["-c", "--command", "-s", "--shell", "-g"]));
    const command = p.values.get("-c") ?? p.values.get("--command");
    if (command !== undefined) return runText(inv, command, "su -c");
    wrapperAlone(inv);
  },
  ssh,
  script: (inv) => {
    const p = parseArgs(inv.args, new Set(["-c", "--command"]));
    const command = p.values.get("-c") ?? p.values.get("--command");
    if (command !== undefined) runText(inv, command, "script -c");
  },
};
