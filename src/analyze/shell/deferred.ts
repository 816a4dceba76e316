import { parseArgs } from "./args.js";
import { emit, emitOpaque, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { runScript, runText } from "./shells.js";
import { resolvePath } from "./state.js";

/**
 * Deferred execution: `at`, `batch`, `crontab` and `systemd-run --on-*` run a command later, when
 * nobody is watching. What they will run is analysed now, as if it ran now; what cannot be seen is
 * opaque, never safe.
 */

function scheduled(inv: Invocation, what: string): void {
  emit(inv, {
    name: inv.program,
    effect: "write",
    summary: `${inv.program} schedules ${what} to run later`,
    reversibility: "recoverable",
    blastRadius: "resource",
    tags: ["deferred"],
  });
}

/** `at [-f FILE] TIME`, `batch`: the job is the file, or standard input. */
function at(inv: Invocation): void {
  const p = parseArgs(inv.args, new Set(["-f", "-q", "-t"]));
  if (inv.program === "at" && (p.flags.has("-l") || p.flags.has("-c"))) {
    emit(inv, { name: `at ${p.flags.has("-l") ? "-l" : "-c"}`, effect: "read", summary: "at lists jobs" });
    return;
  }
  if (inv.program === "at" && (p.flags.has("-r") || p.flags.has("-d"))) {
    emit(inv, { name: "at -r", effect: "delete", summary: "at -r removes scheduled jobs" });
    return;
  }
  scheduled(inv, "a job");
  const fileIndex = inv.args.findIndex((w) => w.value === "-f");
  const file = fileIndex >= 0 ? inv.args[fileIndex + 1] : undefined;
  if (file) runScript(inv, file);
  else runText(inv, undefined, `${inv.program} job`);
}

/** What follows the first `count` whitespace-separated fields of a line (one pass, no backtracking). */
function afterFields(line: string, count: number): string | undefined {
  let at = 0;
  for (let field = 0; field < count; field++) {
    while (at < line.length && /\s/.test(line[at] ?? "")) at++;
    if (at >= line.length) return undefined;
    while (at < line.length && !/\s/.test(line[at] ?? "")) at++;
  }
  const rest = line.slice(at).trim();
  return rest === "" ? undefined : rest;
}

/** The commands of a crontab: each line after its five time fields (or an `@reboot`-style keyword). */
export function crontabCommands(text: string): string[] {
  const commands: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) continue;
    const command = afterFields(line, line.startsWith("@") ? 1 : 5);
    // `%` starts the job's standard input; everything before it is the command.
    if (command) commands.push((command.split(/(?<!\\)%/)[0] ?? "").trim());
  }
  return commands;
}

function crontab(inv: Invocation): void {
  const p = parseArgs(inv.args, new Set(["-u"]));
  if (p.flags.has("-l")) {
    emit(inv, { name: "crontab -l", effect: "read", summary: "crontab -l lists jobs" });
    return;
  }
  if (p.flags.has("-r")) {
    emit(inv, {
      name: "crontab -r",
      effect: "delete",
      summary: "crontab -r deletes every scheduled job, without asking",
      reversibility: "irreversible",
      blastRadius: "service",
      tags: ["data-loss"],
    });
    return;
  }
  emit(inv, {
    name: "crontab",
    effect: "write",
    summary: `crontab ${inv.argv.join(" ")} replaces the scheduled jobs`,
    reversibility: "recoverable",
    blastRadius: "service",
    tags: ["deferred"],
  });
  if (p.flags.has("-e")) return;
  const file = p.operands[0];
  const text = jobsText(inv, file?.value === "-" ? undefined : file);
  if (text === undefined) {
    emitOpaque(inv, "crontab (opaque)", "crontab installs jobs airlock cannot see");
    return;
  }
  for (const command of crontabCommands(text)) runText(inv, command, "crontab job");
}

function jobsText(inv: Invocation, file: Invocation["args"][number] | undefined): string | undefined {
  if (file === undefined) {
    const stdin = inv.stdin;
    if (stdin.kind === "text" && stdin.known) return stdin.text;
    if (stdin.kind === "file") return inv.state.files.get(stdin.path);
    return undefined;
  }
  const resolved = file.known ? resolvePath(inv.state, file.value) : null;
  return resolved ? inv.state.files.get(resolved) : undefined;
}

const SYSTEMD_RUN_VALUES = new Set(
  `-u --unit -p --property --description --slice -E --setenv --uid --gid --nice -M --machine -H --host
  --working-directory -D --on-active --on-boot --on-startup --on-unit-active --on-unit-inactive
  --on-calendar --timer-property --path-property --socket-property --service-type`.split(/\s+/),
);

/** `systemd-run [--on-*] CMD…`: the command runs now or on the timer; either way it is analysed. */
function systemdRun(inv: Invocation): void {
  let i = 0;
  while (i < inv.args.length) {
    const a = inv.args[i]?.value ?? "";
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-")) break;
    i += SYSTEMD_RUN_VALUES.has(a) ? 2 : 1;
  }
  const inner = inv.args.slice(i);
  if (inv.argv.some((a) => a.startsWith("--on-"))) scheduled(inv, "a command on a timer");
  if (inner.length === 0) {
    emitOpaque(inv, "systemd-run (opaque)", "systemd-run starts a unit airlock cannot see");
    return;
  }
  inv.stdout = inv.dispatch(inner);
}

export const DEFERRED: Record<string, Handler> = { at, batch: at, crontab, "systemd-run": systemdRun };
