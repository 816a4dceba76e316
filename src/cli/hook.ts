import { loadCliHook } from "../ingress/hooks/registry.js";
import { answerCall, readAll, unknownCli } from "../ingress/hooks/run.js";
import { type CliHook, type HookAnswer, isCliName } from "../ingress/hooks/types.js";

export interface HookOptions {
  policy?: string;
  /** The agent CLI's own timeout for this hook, in seconds, as installed: airlock answers well before it. */
  timeout?: string;
  /** Deny with this reason without deciding: how the fast client (bin/airlock-hook.sh) fails closed in the CLI's form. */
  denyBecause?: string;
}

/** Print the answer, then end the process: an open connection or timer must not keep the CLI waiting. */
function finish(answer: HookAnswer): void {
  const exit = () => process.exit(answer.exitCode);
  if (answer.stderr) process.stderr.write(answer.stderr);
  if (answer.stdout) process.stdout.write(answer.stdout, exit);
  else exit();
}

/** Anything that escapes is still answered in the CLI's blocking form, once. */
function guard(hook: CliHook): () => void {
  let done = false;
  const last = (err: unknown) => {
    if (done) return;
    done = true;
    finish(
      hook.answer(
        {
          kind: "deny",
          reason: `airlock failed while checking this tool call (${(err as Error)?.message ?? String(err)}), so it is denied. Tell the user if it happens again.`,
        },
        undefined,
      ),
    );
  };
  process.on("uncaughtException", last);
  process.on("unhandledRejection", last);
  return () => {
    done = true;
  };
}

/** `airlock hook <cli>`: one pre-tool-use event on standard input, one answer in that CLI's format. */
export async function runHook(cli: string, options: HookOptions): Promise<void> {
  if (!isCliName(cli)) return finish(unknownCli(cli));
  let hook: CliHook;
  try {
    hook = await loadCliHook(cli);
  } catch (err) {
    process.stderr.write(`airlock hook: cannot load the ${cli} hook (${(err as Error).message}); denied.\n`);
    process.exit(2);
  }
  const settle = guard(hook);
  const answer = await answerCall({
    hook,
    input: readAll(process.stdin),
    env: options.policy ? { ...process.env, AIRLOCK_POLICY: options.policy } : process.env,
    timeout: options.timeout,
    ...(options.denyBecause ? { deny: options.denyBecause } : {}),
  });
  settle();
  finish(answer);
}
