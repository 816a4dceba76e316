import { readFileSync, readlinkSync } from "node:fs";

/**
 * Whether the Gemini CLI process that runs this hook has a person at the keyboard to answer "ask".
 * Gemini CLI 0.61 turns a hook's `decision: "ask"` into a confirmation it waits for whatever its
 * mode (scheduler `_processToolCall`: `hookDecision === "ask"` forces `ask_user`, and
 * `resolveConfirmation` waits on the message bus); headless, nothing ever answers and the run hangs.
 * Its hook input does not say which mode it runs in, so the hook looks at the process itself
 * (its pid comes from the installed command: `AIRLOCK_AGENT_PID=$PPID`) and repeats Gemini's own
 * test (`isHeadlessMode`, and `interactive` in its config): headless under CI, when its standard
 * input or output is not a terminal, or when it was given a prompt (`-p`, or a query as an
 * argument) without `-i`. Anything it cannot read (no pid, no /proc, another system) counts as
 * headless: a hold is then denied with its reason, which never hangs a run.
 */

/** Gemini's options that take a value: the word after one is not a query. */
const VALUED = new Set([
  "-m",
  "--model",
  "-w",
  "--worktree",
  "-o",
  "--output-format",
  "--approval-mode",
  "--policy",
  "--admin-policy",
  "-e",
  "--extensions",
  "--allowed-mcp-server-names",
  "--allowed-tools",
  "--include-directories",
  "-r",
  "--resume",
  "--session-id",
]);

/** The arguments Gemini's own command line parser sees: after node, its options and the script. */
function scriptArgs(argv: string[]): string[] {
  const script = argv.findIndex((a, i) => i > 0 && !a.startsWith("-"));
  return script < 0 ? [] : argv.slice(script + 1);
}

/** What Gemini would run for these arguments: interactive only without a prompt, or with `-i`. */
export function interactiveArgs(args: string[]): boolean {
  let interactive = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const name = arg.split("=")[0] ?? arg;
    if (["-p", "--prompt"].includes(name)) return false;
    if (["-i", "--prompt-interactive"].includes(name)) interactive = true;
    if (arg.startsWith("-")) {
      if (VALUED.has(name) && !arg.includes("=")) i++;
      continue;
    }
    // A word that is no option's value is a query (or a subcommand): Gemini answers it headless.
    if (!interactive) return false;
  }
  return true;
}

function isTerminal(pid: number, fd: number): boolean {
  try {
    return /^\/dev\/(pts\/\d+|tty\w*)$/.test(readlinkSync(`/proc/${pid}/fd/${fd}`));
  } catch {
    return false;
  }
}

function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, -1);
  } catch {
    return undefined;
  }
}

/** Whether the Gemini CLI at `AIRLOCK_AGENT_PID` runs interactively, so that "ask" is answered. */
export function geminiCanAsk(env: NodeJS.ProcessEnv): boolean {
  const pid = Number(env.AIRLOCK_AGENT_PID);
  if (!Number.isInteger(pid) || pid <= 1) return false;
  if (env.GEMINI_CLI_INTEGRATION_TEST !== "true" && (env.CI === "true" || env.GITHUB_ACTIONS === "true"))
    return false;
  const argv = commandLine(pid);
  if (!argv?.some((a) => /gemini/.test(a))) return false;
  if (!isTerminal(pid, 0) || !isTerminal(pid, 1)) return false;
  return interactiveArgs(scriptArgs(argv));
}
