/**
 * What Codex does with a shell command beyond running it. Two things reach no hook as what they are:
 *
 * - `apply_patch <<'EOF' … EOF` sent to the shell tool: Codex intercepts it and applies the patch as
 *   a file change, so it must be judged as the file change it is, not as a command.
 * - A process that keeps reading its input (`python3 -i`, `node`, `ssh host`, `cat`, a bare shell):
 *   Codex's `write_stdin` types into it later, and no hook sees that input. Under Codex such a
 *   process is an opaque channel.
 */

/** The patch text of `[cd DIR &&] apply_patch <<'EOF' … EOF` (or `applypatch`), and the directory it names. */
export function shellPatch(command: string): { patch: string; dir?: string } | undefined {
  const m =
    /^\s*(?:cd\s+(\S+)\s*&&\s*)?(?:apply_patch|applypatch)\s*<<-?\s*(['"]?)([A-Za-z_][\w-]*)\2[ \t]*\n([\s\S]*?)\n[ \t]*\3[ \t]*\n?\s*$/.exec(
      command,
    );
  if (m?.[4] !== undefined)
    return { patch: m[4], ...(m[1] ? { dir: m[1].replace(/^['"]|['"]$/g, "") } : {}) };
  // A bare `apply_patch '*** Begin Patch …'` argument is the same file change.
  const arg = /^\s*(?:apply_patch|applypatch)\s+(['"])(\*\*\* Begin Patch[\s\S]*)\1\s*$/.exec(command);
  return arg?.[2] ? { patch: arg[2] } : undefined;
}

/** Programs that read commands from their input until it ends, unless given a script (their operand) or a command. */
const INTERPRETERS =
  /^(python[\d.]*|node|nodejs|deno|bun|irb|ruby|perl|php|lua[\d.]*|R|ghci|julia|scala|bash|sh|zsh|dash|ksh|fish)$/;
/** Clients whose operand is where they connect: they read commands from their input unless given one. */
const CLIENTS = /^(psql|mysql|mariadb|mongo|mongosh|nc|ncat|telnet|ftp|sftp|gdb|lldb)$/;
/** Clients that run the rest of their operands as a command. */
const CLIENTS_WITH_COMMAND = /^(sqlite3|redis-cli)$/;
/** Options that make the program print something and end (`node --version`, `psql -l`); a client's -h is its host. */
const ENDS_AT_ONCE = /^(--version|-V|--help|-\?|--list)$/;
const ENDS_AT_ONCE_INTERPRETER = /^(-h)$/;
const ENDS_AT_ONCE_CLIENT = /^(-l)$/;
/** Options that name the script or command, so the program does not read commands from its input. */
const RUNS_SCRIPT = /^(-c|-e|-m|-p|-r|-E|--eval|--print|--command)$/;
const RUNS_QUERY = /^(-c|-f|-e|--command|--file|--execute|--eval)$/;

/** Words of one simple command, without leading assignments and wrappers (env, exec, sudo, nohup). */
function words(segment: string): string[] {
  const all = segment.trim().split(/\s+/).filter(Boolean);
  let at = 0;
  while (
    at < all.length &&
    (/^\w+=/.test(all[at] ?? "") || /^(env|exec|sudo|nohup|command|time)$/.test(all[at] ?? ""))
  )
    at++;
  return all.slice(at);
}

function program(word: string | undefined): string {
  return (word ?? "").split("/").pop() ?? "";
}

/** ssh with a host and no remote command: a login shell. */
function sshSession(args: string[]): boolean {
  const withValue = new Set([
    "-b",
    "-c",
    "-D",
    "-E",
    "-e",
    "-F",
    "-I",
    "-i",
    "-J",
    "-L",
    "-l",
    "-m",
    "-O",
    "-o",
    "-p",
    "-Q",
    "-R",
    "-S",
    "-W",
    "-w",
    "-B",
  ]);
  let at = 0;
  while (at < args.length && args[at]?.startsWith("-")) at += withValue.has(args[at] ?? "") ? 2 : 1;
  return at < args.length && at === args.length - 1;
}

/** Why this command leaves a process reading input that later reaches no hook, or undefined. */
export function interactiveChannel(command: string): string | undefined {
  // Each simple command that is first in its pipeline (its input is the channel) and has no input redirect.
  for (const pipeline of command.split(/&&|\|\||;|\n|&(?!&)/)) {
    const first = pipeline.split("|")[0] ?? "";
    if (/<|\$\(|`/.test(first)) continue;
    const [head, ...args] = words(first);
    const name = program(head);
    if (name === "ssh" && sshSession(args)) return `${first.trim()} opens a remote shell`;
    if (name === "cat" && args.every((a) => a === "-" || a.startsWith("-")))
      return `${first.trim()} copies its input`;
    const interpreter = INTERPRETERS.test(name);
    const ends = interpreter ? ENDS_AT_ONCE_INTERPRETER : ENDS_AT_ONCE_CLIENT;
    const given = interpreter ? RUNS_SCRIPT : RUNS_QUERY;
    const runs =
      args.some((a) => given.test(a) || ENDS_AT_ONCE.test(a) || ends.test(a)) ||
      (/^node/.test(name) && args.includes("-v"));
    const operands = args.filter((a) => !a.startsWith("-"));
    const reads = `${first.trim()} reads commands from its input`;
    if (CLIENTS.test(name) && !runs) return reads;
    if (CLIENTS_WITH_COMMAND.test(name) && !runs && operands.length <= 1) return reads;
    if (!interpreter) continue;
    if (args.some((a) => a === "-i" || a === "--interactive")) return `${first.trim()} is interactive`;
    if (operands.length === 0 && !runs) return reads;
  }
  return undefined;
}
