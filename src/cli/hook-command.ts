import { existsSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { quoteWord } from "../analyze/shell/quote.js";
import type { CliName } from "../ingress/hooks/types.js";

/**
 * The command `airlock install` writes into an agent CLI's settings. By default it is the fast
 * client (bin/airlock-hook.sh), which asks the hook daemon, starts one on first use and otherwise
 * runs the light entry (dist/airlock-hook.mjs) itself. All by absolute paths, so the hook works from
 * any directory without a PATH lookup.
 *
 * Every CLI runs the command through a shell and reads exit status 2 as "blocked", while most of
 * them run the tool when a hook exits with anything else. So the command ends in `|| exit 2`: a
 * client or a Node that cannot start (airlock moved, upgraded or deleted; Node gone) blocks the
 * tool instead. airlock's own answers exit 0, or 2 where 2 is the answer (Kiro's deny).
 */

export interface HookCommandOptions {
  /** The policy file the hook judges by, carried on the command line (CLIs may strip the environment). */
  policy?: string;
  /** A Node process per call, no daemon (`install --no-daemon`). */
  noDaemon?: boolean;
}

/** What the CLI's shell prints and does when the hook cannot run at all. */
export const CANNOT_RUN =
  '{ s=$?; [ $s = 2 ] || echo "airlock: the hook could not run (exit $s: is airlock or node moved or gone? run airlock doctor); the tool call is blocked." >&2; exit 2; }';

export function hookCommand(cli: CliName, seconds: number, options: HookCommandOptions = {}): string {
  const entry = fileURLToPath(new URL("./airlock-hook.mjs", import.meta.url));
  const node = quoteWord(process.execPath);
  const policy = options.policy ? ` --policy ${quoteWord(resolve(options.policy))}` : "";
  const args = `${cli} --timeout ${seconds}${policy}`;
  // Gemini CLI runs the command with `bash -c`, so $PPID is Gemini's own process: the hook looks at it
  // to tell whether a person is there to answer "ask" (src/ingress/hooks/gemini-session.ts).
  const agent = cli === "gemini" ? "AIRLOCK_AGENT_PID=$PPID " : "";
  if (!existsSync(entry)) {
    const script = process.argv[1] ? realpathSync(process.argv[1]) : "airlock";
    return `${agent}${node} ${quoteWord(script)} hook ${args} || ${CANNOT_RUN}`;
  }
  // The client takes the light entry's own command line, which it runs when the daemon does not answer.
  const client = fileURLToPath(new URL("../bin/airlock-hook.sh", import.meta.url));
  const sh = existsSync("/bin/sh") ? "/bin/sh" : "sh";
  const prefix = !options.noDaemon && existsSync(client) ? `${sh} ${quoteWord(client)} ` : "";
  return `${agent}${prefix}${node} ${quoteWord(entry)} ${args} || ${CANNOT_RUN}`;
}
