import { protectedPath } from "../protected-paths.js";
import { emit, type Invocation } from "./context.js";
import { resolvePath } from "./state.js";

/**
 * airlock protects itself: a command line that would switch it off is marked so that the gate denies
 * it whatever the policy says (src/gate/self-protection.ts). Three things are looked for in every
 * command, wherever it is nested: airlock's own commands that vote or lift a control, killing or
 * stopping airlock's processes, and changing the files that run airlock (protected-paths.ts).
 */

/** `airlock` subcommands that vote, lift a control, mint access or take the hooks out. */
const CONTROLS: ReadonlyArray<readonly string[]> = [
  ["approve"],
  ["deny"],
  ["resume"],
  ["unfreeze"],
  ["install"],
  ["uninstall"],
  ["token", "create"],
  ["token", "revoke"],
  ["breakers", "reset"],
];

const AIRLOCK_PROGRAM = /^airlock(\.m?js)?$/;
const SCRIPT_RUNNERS = new Set(["node", "nodejs", "bun", "deno", "tsx", "npx", "bunx", "pnpx"]);

/** The words after `airlock`, when this invocation runs airlock (directly, or through node or npx). */
function airlockArgv(inv: Invocation): string[] | undefined {
  if (AIRLOCK_PROGRAM.test(inv.program)) return inv.argv;
  if (!SCRIPT_RUNNERS.has(inv.program)) return undefined;
  const at = inv.argv.findIndex((a) => !a.startsWith("-"));
  const script = inv.argv[at] ?? "";
  const base = script.split("/").pop() ?? "";
  if (AIRLOCK_PROGRAM.test(base) || /(^|\/)airlock\/dist\/cli\.mjs$/.test(script))
    return inv.argv.slice(at + 1);
  return undefined;
}

function control(inv: Invocation): string | undefined {
  const argv = airlockArgv(inv)?.filter((a) => !a.startsWith("-"));
  if (!argv) return undefined;
  const match = CONTROLS.find((c) => c.every((word, i) => argv[i] === word));
  return match ? `airlock ${match.join(" ")}` : undefined;
}

/** Command lines of airlock's processes, for patterns `pkill -f` would match against. */
const AIRLOCK_COMMAND_LINES = [
  "node /usr/local/lib/node_modules/airlock/bin/airlock.mjs serve",
  "node /usr/lib/node_modules/airlock/bin/airlock.mjs hook-daemon",
  "airlock mcp",
];
const PROCESS_NAMES = ["node", "nodejs", "airlock"];

function matchesAirlock(pattern: string, fullCommandLine: boolean): boolean {
  const p = pattern.toLowerCase().replace(/^\^|\$$/g, "");
  if (p === "" || p.includes("airlock")) return p !== "";
  if (fullCommandLine) return AIRLOCK_COMMAND_LINES.some((line) => line.includes(p));
  return PROCESS_NAMES.some((name) => name.startsWith(p) || p === `${name}.*`);
}

const STOP_VERBS = new Set(["stop", "kill", "disable", "mask", "restart", "unload", "bootout", "remove"]);

function stopsAirlock(inv: Invocation): string | undefined {
  const operands = inv.argv.filter((a) => !a.startsWith("-"));
  switch (inv.program) {
    case "pkill":
    case "killall": {
      const full = inv.program === "pkill" && inv.argv.some((a) => /^-[a-z]*f/.test(a) || a === "--full");
      const hit = operands.find((o) => matchesAirlock(o, full));
      return hit ? `${inv.program} ${hit}` : undefined;
    }
    case "kill": {
      // `kill $(pgrep -f airlock)`, `kill $(pidof node)`, `kill $(cat ~/.cache/airlock/daemon.pid)`.
      const hit = inv.args.find(
        (w) => (!w.known && /airlock|pidof\s+node/i.test(w.value)) || (!w.known && pgrepsNode(w.value)),
      );
      return hit ? `kill ${hit.value}` : undefined;
    }
    case "systemctl":
    case "service":
    case "launchctl":
    case "docker":
    case "podman": {
      const verb = operands.find((o) => STOP_VERBS.has(o));
      const unit = operands.find((o) => /airlock/i.test(o));
      return verb && unit ? `${inv.program} ${verb} ${unit}` : undefined;
    }
  }
  return undefined;
}

/** Programs that change the files they name (editors included: an agent may drive one non-interactively). */
const WRITERS = new Set(
  `sed perl tee cp mv ln install rsync scp truncate chmod chown chgrp chattr chflags rm rmdir unlink shred dd
  touch patch sponge yq mkdir vi vim nvim nano emacs ed ex`.split(/\s+/),
);
/** Programs whose last operand is the only file they change. */
const COPIERS = new Set(["cp", "install", "rsync", "ln", "scp"]);

function changedPaths(inv: Invocation): string[] {
  if (!WRITERS.has(inv.program)) return [];
  const inPlace = inv.argv.some((a) => /^(-[a-zA-Z]*i|--in-place)/.test(a));
  if ((inv.program === "sed" || inv.program === "perl" || inv.program === "yq") && !inPlace) return [];
  const dd = inv.argv.filter((a) => a.startsWith("of=")).map((a) => a.slice(3));
  const operands = inv.args.filter((w) => w.known && !w.value.startsWith("-"));
  // `sed -i SCRIPT FILE…`: the first operand is the script unless -e or -f gave it.
  const scripted = inv.argv.some((a) => /^(-[a-zA-Z]*[ef]$|--expression|--file)/.test(a));
  const files = (inv.program === "sed" || inv.program === "perl") && !scripted ? operands.slice(1) : operands;
  const words = COPIERS.has(inv.program) ? operands.slice(-1) : files;
  const paths = [...dd, ...words.map((w) => w.value)];
  return paths.map((p) => resolvePath(inv.state, p) ?? p);
}

/**
 * Mark what would switch airlock off; the gate denies each mark with its own code. `first` is the
 * index of this command's first operation: an operation of a writer that names no file (`sed -i`)
 * gets the files it changes as targets, so the gate also sees the paths only it knows (the policy in
 * force, the server's data directory).
 */
export function guardSelf(inv: Invocation, first: number): void {
  const ctl = control(inv);
  if (ctl)
    emit(inv, {
      name: ctl,
      effect: "privilege",
      summary: `${ctl} votes on, lifts or takes away airlock's controls, which only a person may do`,
      reversibility: "recoverable",
      blastRadius: "environment",
      tags: ["airlock-control"],
    });
  const stop = stopsAirlock(inv);
  if (stop)
    emit(inv, {
      name: stop,
      effect: "execute",
      summary: `${stop} would stop airlock's own processes`,
      reversibility: "recoverable",
      blastRadius: "host",
      tags: ["airlock-process"],
    });
  const paths = changedPaths(inv);
  if (paths.length === 0) return;
  const own = inv.session.operations.slice(first).filter((op) => op.effect !== "read");
  const unnamed = own.filter((op) => !op.targets.some((t) => t.type === "path"));
  for (const op of unnamed) op.targets = [...op.targets, ...paths.map((name) => ({ type: "path", name }))];
  if (own.length > 0) return;
  for (const path of paths.filter((p) => protectedPath(p)))
    emit(inv, {
      name: `${inv.program} (protected file)`,
      effect: "write",
      summary: `${inv.program} changes ${path}`,
      reversibility: "recoverable",
      blastRadius: "host",
      targets: [{ type: "path", name: path }],
    });
}

/** `pgrep [-OPTIONS…] node` inside a word, read word by word (a regex over the options backtracks). */
function pgrepsNode(text: string): boolean {
  const words = text.split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    if (words[i]?.toLowerCase() !== "pgrep") continue;
    let j = i + 1;
    while (words[j]?.startsWith("-")) j++;
    if (words[j]?.toLowerCase().startsWith("node")) return true;
  }
  return false;
}
