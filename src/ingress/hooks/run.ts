import { beforeDeadline } from "../deadline.js";
import type { Decider } from "../decider.js";
import { CLI_NAMES, type CliHook, type HookAnswer, type Verdict } from "./types.js";
import { verdictFor } from "./verdict.js";

/**
 * One hook call: the CLI's JSON in, the CLI's answer out, and never anything but an answer. Bad
 * input, a fault anywhere and a decision that takes too long are all denials in the CLI's own
 * blocking form, because every one of these CLIs runs the tool when a hook crashes or times out.
 */

/** How long a hook call may take unless told otherwise: well inside every CLI's own timeout (30 s or more). */
export const DEFAULT_BUDGET_MS = 8000;
/** The most stdin a hook reads: a tool call is kilobytes; more is not a tool call. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export interface HookRun {
  hook: CliHook;
  /** The raw stdin, or an error saying why it could not be read. */
  input: Promise<string>;
  /** Made only when a call needs the gate: reads and in-project writes never load the policy. */
  decider: () => Promise<Decider>;
  env: NodeJS.ProcessEnv;
  budgetMs: number;
  /** The caller's directory, when this process runs elsewhere (the hook daemon). */
  cwd?: string;
  /** Deny without deciding, for this reason (the fast client's answer when the daemon failed it). */
  deny?: string;
}

function deny(hook: CliHook, input: unknown, reason: string): HookAnswer {
  return hook.answer({ kind: "deny", reason }, input);
}

async function decideText(run: HookRun, text: string, signal: AbortSignal): Promise<HookAnswer> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    return deny(
      run.hook,
      undefined,
      `airlock could not read the ${run.hook.title} hook input: it is not valid JSON (${(err as Error).message}). The tool call is denied because airlock cannot check it.`,
    );
  }
  if (run.deny) return deny(run.hook, input, run.deny);
  const call = inDirectory(run.cwd, () => run.hook.read(input, run.env));
  const canAsk = run.hook.canAsk(input, run.env);
  let verdict: Verdict;
  if (call.kind === "act") {
    const decider = await run.decider();
    verdict = verdictFor(call, await decider.decide(call.action, signal), decider.mode, canAsk);
  } else {
    verdict = verdictFor(call, undefined, "local", canAsk);
  }
  return run.hook.answer(verdict, input);
}

/**
 * Reading an event falls back to the process's directory when the event names none. The daemon
 * serves callers in many directories, so it enters the caller's for that synchronous read only:
 * no other call can run in between.
 */
function inDirectory<T>(dir: string | undefined, read: () => T): T {
  if (dir === undefined) return read();
  const home = process.cwd();
  try {
    process.chdir(dir);
  } catch (err) {
    throw new Error(`cannot enter the caller's directory ${dir}: ${(err as NodeJS.ErrnoException).code}`);
  }
  try {
    return read();
  } finally {
    process.chdir(home);
  }
}

/**
 * Answer one hook call within `budgetMs`; every failure is the CLI's deny. The deadline is held on
 * this thread while a local analysis runs in a worker, so no analysis can hold the answer back.
 */
export function answerHook(run: HookRun): Promise<HookAnswer> {
  const seconds = Math.round(run.budgetMs / 100) / 10;
  const late = () =>
    deny(
      run.hook,
      undefined,
      `airlock did not reach a decision within ${seconds} s (the analysis or the airlock server is too slow), so the tool call is denied. Retry once; if it happens again, tell the user.`,
    );
  return beforeDeadline(
    run.budgetMs,
    async (signal) => {
      try {
        return await decideText(run, await run.input, signal);
      } catch (err) {
        return deny(
          run.hook,
          undefined,
          `airlock failed while checking this tool call (${(err as Error)?.message ?? String(err)}), so it is denied. Retry once; if it happens again, tell the user.`,
        );
      }
    },
    late,
  );
}

/** The whole of a stream as text, refusing more than `MAX_INPUT_BYTES`. */
export async function readAll(stream: NodeJS.ReadableStream, limit = MAX_INPUT_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw new Error(`the hook input is larger than ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** How close to the CLI's own timeout a hook may still be deciding. */
const MARGIN_MS = 3000;

/**
 * The time a hook call may take: AIRLOCK_HOOK_TIMEOUT_MS (default 8 s) to decide, plus, connected,
 * AIRLOCK_WAIT_SECONDS for an approval; all of it ending at least 3 s before the CLI's own timeout
 * for the hook (`--timeout`, written by `airlock install`), which would otherwise let the tool run.
 */
export function budgetFor(
  env: NodeJS.ProcessEnv,
  cliTimeoutSeconds?: number,
): { ms: number; waitSeconds: number } {
  const asked = Number(env.AIRLOCK_HOOK_TIMEOUT_MS);
  const wanted = env.AIRLOCK_URL ? Number(env.AIRLOCK_WAIT_SECONDS) : 0;
  let base = Number.isFinite(asked) && asked > 0 ? asked : DEFAULT_BUDGET_MS;
  let wait = Number.isFinite(wanted) && wanted > 0 ? wanted : 0;
  if (cliTimeoutSeconds !== undefined && Number.isFinite(cliTimeoutSeconds) && cliTimeoutSeconds > 0) {
    const limit = Math.max(1000, cliTimeoutSeconds * 1000 - MARGIN_MS);
    base = Math.min(base, limit);
    wait = Math.min(wait, (limit - base) / 1000);
  }
  return { ms: base + wait * 1000, waitSeconds: wait };
}

/** A hook call as the CLI's command line gives it, wherever it is answered (this process or the daemon). */
export interface HookCall {
  hook: CliHook;
  input: Promise<string>;
  env: NodeJS.ProcessEnv;
  /** `--timeout`: the CLI's own timeout for the hook, in seconds. */
  timeout?: string | undefined;
  cwd?: string;
  deny?: string;
  /** The decider for an environment (default: a new one from it). */
  decider?: (env: NodeJS.ProcessEnv) => Promise<Decider>;
}

async function newDecider(env: NodeJS.ProcessEnv): Promise<Decider> {
  const { createDecider, deciderOptionsFromEnv } = await import("../decider.js");
  return createDecider(deciderOptionsFromEnv(env));
}

/** Budget the call from its environment and `--timeout`, then answer it. */
export function answerCall(call: HookCall): Promise<HookAnswer> {
  let env = call.env;
  const budget = budgetFor(env, call.timeout === undefined ? undefined : Number(call.timeout));
  // A wait cut short to fit the CLI's timeout; an invalid one is left for the decider to refuse.
  if (Number(env.AIRLOCK_WAIT_SECONDS) > budget.waitSeconds)
    env = { ...env, AIRLOCK_WAIT_SECONDS: String(budget.waitSeconds) };
  const decider = call.decider ?? newDecider;
  return answerHook({
    hook: call.hook,
    input: call.input,
    env,
    budgetMs: budget.ms,
    decider: () => decider(env),
    ...(call.cwd !== undefined ? { cwd: call.cwd } : {}),
    ...(call.deny ? { deny: call.deny } : {}),
  });
}

/** The answer to a CLI name airlock does not know: exit 2, the blocking status of most of these CLIs. */
export function unknownCli(cli: string): HookAnswer {
  return {
    exitCode: 2,
    stdout: "",
    stderr: `airlock hook: unknown CLI "${cli}"; use one of ${CLI_NAMES.join(", ")}\n`,
  };
}
