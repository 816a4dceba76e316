import type { Decision } from "../action/decision.js";
import { failClosed } from "../gate/fail-closed.js";
import { localDecide } from "../local/decider.js";
import { AirlockClient, type RequestResult } from "./client.js";
import { followHold } from "./follow-hold.js";
import { AirlockDenied, AirlockHeld, type AirlockRefusal, refusalOf } from "./refusal.js";

/**
 * What a hold does: come back as a refusal, throw `AirlockHeld`, or first wait for the approvals
 * (remote only) and then, if it is still held, do `afterWait` (default "return").
 */
export type OnHold =
  | "return"
  | "throw"
  | { waitSeconds: number; pollMs?: number; afterWait?: "return" | "throw" };
export type OnDeny = "return" | "throw";

interface Reactions {
  /** Default "return". `{ waitSeconds }` needs a server: only `airlock serve` collects approvals. */
  onHold?: OnHold;
  /** Default "return". */
  onDeny?: OnDeny;
}

/** Ask `airlock serve`: the token is an agent token from `airlock token create`. */
export interface RemoteGuardOptions extends Reactions {
  url: string;
  token: string;
  /** How long one HTTP call may take before the answer is a deny (default 5000 ms). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Decide in this process under a policy file (default: the built-in policy). */
export interface LocalGuardOptions extends Reactions {
  url?: undefined;
  policy?: string;
}

export type GuardOptions = RemoteGuardOptions | LocalGuardOptions;

export interface Guard {
  readonly mode: "local" | "remote";
  /** One Decision for the Action, as the gate gives it. Never throws: every failure is a deny. */
  submit(action: unknown): Promise<Decision>;
  /** The Decision with `onHold` and `onDeny` applied: it may wait, and it may throw. */
  check(action: unknown): Promise<Decision>;
  /** Follow an approval request of `airlock serve` until it leaves `pending` or the time is up. */
  waitForDecision(id: string, options?: { timeoutMs?: number; intervalMs?: number }): Promise<RequestResult>;
  /**
   * Nothing when the action may go ahead, otherwise the refusal to hand back (or it throws, per
   * `onHold`/`onDeny`). `makeAction` failing is a deny: a call that cannot be described is not run.
   */
  admit(makeAction: () => unknown): Promise<AirlockRefusal | undefined>;
  /** Run `work` only when the action is allowed. */
  run<T>(action: unknown, work: () => T | Promise<T>): Promise<T | AirlockRefusal>;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A guard for tools: remote when `url` is given, local otherwise. Bad options throw a TypeError here. */
export function createGuard(options: GuardOptions = {}): Guard {
  const onHold = options.onHold ?? "return";
  if (typeof onHold === "object" && !(Number.isFinite(onHold.waitSeconds) && onHold.waitSeconds >= 0))
    throw new TypeError(`airlock: onHold.waitSeconds must be a number of seconds (0 or more)`);
  if (options.url === undefined) return new AirlockGuard("local", localDecide(options.policy), options);
  if (!options.token)
    throw new TypeError("airlock: a guard with a url needs an agent token (`airlock token create`)");
  const client = new AirlockClient(options);
  return new AirlockGuard("remote", (action) => client.submit(action), options, client);
}

class AirlockGuard implements Guard {
  constructor(
    readonly mode: "local" | "remote",
    private readonly decide: (action: unknown) => Promise<Decision>,
    private readonly reactions: Reactions,
    private readonly client?: AirlockClient,
  ) {}

  async submit(action: unknown): Promise<Decision> {
    try {
      return await this.decide(action);
    } catch (err) {
      return failClosed(action, "analysis_error", `airlock failed while deciding (${message(err)}); denied.`);
    }
  }

  async check(action: unknown): Promise<Decision> {
    let decision = await this.submit(action);
    const onHold = this.reactions.onHold ?? "return";
    if (decision.decision === "hold" && typeof onHold === "object" && this.client) {
      try {
        const client = this.client;
        decision = await followHold(action, decision, {
          waitMs: onHold.waitSeconds * 1000,
          watcher: client,
          resubmit: () => client.submit(action),
          ...(onHold.pollMs !== undefined ? { intervalMs: onHold.pollMs } : {}),
        });
      } catch (err) {
        decision = failClosed(
          action,
          "server_unavailable",
          `airlock lost the approval request: ${message(err)}`,
        );
      }
    }
    return this.settle(decision);
  }

  /** Throw where the options say so; otherwise hand the Decision back. */
  private settle(decision: Decision): Decision {
    const onHold = this.reactions.onHold ?? "return";
    const throwOnHold = onHold === "throw" || (typeof onHold === "object" && onHold.afterWait === "throw");
    if (decision.decision === "hold" && throwOnHold) throw new AirlockHeld(decision);
    if (decision.decision === "deny" && this.reactions.onDeny === "throw") throw new AirlockDenied(decision);
    return decision;
  }

  async admit(makeAction: () => unknown): Promise<AirlockRefusal | undefined> {
    let action: unknown;
    try {
      action = await makeAction();
    } catch (err) {
      const reason = `the tool's input could not be turned into an airlock action (${message(err)}), so the tool is not run. Check the arguments.`;
      return refusalOf(this.settle(failClosed(undefined, "invalid_action", reason)));
    }
    const decision = await this.check(action);
    return decision.decision === "allow" ? undefined : refusalOf(decision);
  }

  async run<T>(action: unknown, work: () => T | Promise<T>): Promise<T | AirlockRefusal> {
    return (await this.admit(() => action)) ?? (await work());
  }

  async waitForDecision(
    id: string,
    options?: { timeoutMs?: number; intervalMs?: number },
  ): Promise<RequestResult> {
    if (!this.client)
      return {
        ok: false,
        status: 0,
        error: "a local guard has no approval requests; only `airlock serve` does",
      };
    return this.client.waitForDecision(id, options);
  }
}
