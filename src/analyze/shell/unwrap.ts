import { parseArgs } from "./args.js";
import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { runText } from "./shells.js";

/**
 * Wrappers run the command they are given: take them off and analyse what they run.
 * `optionsWithValue` are the wrapper's own options that consume the next word.
 */
export function prefixWrapper(optionsWithValue: string[], positional = 0): Handler {
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
    if (inner.length === 0) wrapperAlone(inv);
    else inv.stdout = inv.dispatch(inner);
  };
}

function wrapperAlone(inv: Invocation): void {
  if (inv.program !== "sudo" && inv.program !== "doas" && inv.program !== "su") return;
  if (inv.program !== "su" && inv.args.length === 0) {
    // Bare `sudo` or `doas` prints its usage and runs nothing.
    emit(inv, { name: inv.program, effect: "read", summary: `${inv.program} alone prints its usage` });
  } else if (inv.stdin.kind === "text" && inv.stdin.known) {
    // `sudo -s <<< 'rm -rf /'`: the root shell reads commands airlock can see.
    runText(inv, undefined, `${inv.program} shell`);
  } else {
    // `sudo -i`, `sudo -s`, `su`: a root shell.
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

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** `env [-i] [-u NAME] [NAME=value]… CMD`, and `env -S "CMD ARGS"`. */
function env(inv: Invocation): void {
  let i = 0;
  for (; i < inv.args.length; i++) {
    const a = inv.args[i]?.value ?? "";
    if (a === "-u" || a === "--unset" || a === "-C" || a === "--chdir") i++;
    else if (a === "-S" || a === "--split-string") {
      const rest = inv.args.slice(i + 1).map((w) => w.value);
      inv.reparse(rest.join(" "));
      return;
    } else if (ASSIGNMENT.test(a)) inv.env.set(a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1));
    else if (!a.startsWith("-")) break;
  }
  const inner = inv.args.slice(i);
  if (inner.length === 0) emit(inv, { name: "env", effect: "read", summary: "env prints the environment" });
  else inv.stdout = inv.dispatch(inner);
}

/** `su -c CMD`, `script -c CMD`: the command is a shell line. */
export function commandOption(inv: Invocation, optionsWithValue: string[]): string | undefined {
  const p = parseArgs(inv.args, new Set(optionsWithValue));
  return p.values.get("-c") ?? p.values.get("--command");
}

const bareWrapper = prefixWrapper([]);

export const WRAPPERS: Record<string, Handler> = {
  sudo: prefixWrapper(["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "--user", "--group"]),
  doas: prefixWrapper(["-u", "-C"]),
  command: (inv) => {
    // `command -v x` only looks x up.
    if (inv.argv[0] !== "-v" && inv.argv[0] !== "-V") bareWrapper(inv);
  },
  builtin: bareWrapper,
  exec: prefixWrapper(["-a"]),
  nice: prefixWrapper(["-n", "--adjustment"]),
  ionice: prefixWrapper(["-c", "-n", "-p"]),
  nohup: bareWrapper,
  setsid: bareWrapper,
  time: prefixWrapper(["-f", "-o"]),
  stdbuf: prefixWrapper(["-i", "-o", "-e"]),
  unbuffer: bareWrapper,
  caffeinate: prefixWrapper(["-t", "-w"]),
  chronic: bareWrapper,
  timeout: prefixWrapper(["-s", "-k", "--signal", "--kill-after"], 1),
  taskset: prefixWrapper([], 1),
  watch: (inv) => {
    const p = parseArgs(inv.args, new Set(["-n", "--interval", "-d"]));
    if (p.operands.length > 0) inv.reparse(p.operands.map((w) => w.value).join(" "));
  },
  env,
  su: (inv) => {
    const command = commandOption(inv, ["-c", "--command", "-s", "--shell", "-g"]);
    if (command !== undefined) runText(inv, command, "su -c");
    else wrapperAlone(inv);
  },
  script: (inv) => {
    const command = commandOption(inv, ["-c", "--command"]);
    if (command !== undefined) runText(inv, command, "script -c");
  },
};
