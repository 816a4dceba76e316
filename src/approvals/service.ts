import { randomBytes } from "node:crypto";
import type { Decision, RequestRef } from "../action/decision.js";
import { auditableCopy, type Screened, screenInput } from "../action/screen.js";
import { evaluate } from "../gate/decide.js";
import { failClosed } from "../gate/fail-closed.js";
import { FreezeCalendar } from "../gate/freezes.js";
import { Monitor } from "../gate/monitor.js";
import type { GateRefusal } from "../gate/records.js";
import type { SelfProtection } from "../gate/self-protection.js";
import type { CompiledPolicy } from "../policy/compile.js";
import {
  type AuditDraft,
  type Change,
  type GateCheck,
  type Store,
  StoreConflict,
  StoreUnavailable,
} from "../store/port.js";
import type { Identity } from "./identity.js";
import { KeyedLock } from "./keyed-lock.js";
import type { ReadRecords } from "./read-records.js";
import { boundRefusal, RefusalThrottle } from "./refusal-throttle.js";
import { type ApprovalRequest, iso, openRequest } from "./request.js";
import { supersededByFreeze } from "./superseded.js";
import { advance, approve, cancel, deny, type RefusalCode, type Transition, use } from "./transitions.js";
import { bindContext, mergeTrustedContext, type TrustedContext } from "./trusted-context.js";

export type Refusal = { ok: false; code: RefusalCode | "not_found"; message: string };
export type Outcome = { ok: true; request: ApprovalRequest } | Refusal;
/** A commit the gate refused: decided again with what it found. */
type Refused = { ok: false; refused: GateRefusal };
/**
 * A decision, and when its audit entry is durable; `queued`, for a read forwarded before that, says
 * when the entry is queued (see ApprovalService.submitRead).
 */
export type Submitted = { decision: Decision; recorded: Promise<void>; queued?: Promise<void> };

export interface ServiceOptions {
  store: Store;
  policy: CompiledPolicy;
  /** Where the approvers' page lives, for the links in decisions (known once the server listens). */
  publicUrl: () => string;
  clock?: () => number;
  /** The context of agents whose identity names none (airlock.yaml `defaultContext`). */
  defaultContext?: TrustedContext;
  /** The files and processes this server runs from, which no agent may touch (gate/self-protection.ts). */
  self?: SelfProtection;
}

/** Concurrent writers to the same request retry this many times before the caller sees a conflict. */
const RETRIES = 8;

/**
 * The approval workflow: the gate's decision for an agent's action, the requests people vote on,
 * the clock's releases and expiries, and one audit entry for every step. Every state change and its
 * audit entry are one commit, so neither is ever written without the other.
 */
/**
 * A hold that an approved request would release, returned by submitUnspent (or submitRead with
 * `spend: false`) without using it: nothing was written, and it is not a decision yet.
 */
export function isReleasable(d: Decision): boolean {
  return d.decision === "hold" && d.request?.status === "approved";
}

export class ApprovalService {
  readonly #store: Store;
  readonly #policy: CompiledPolicy;
  readonly #publicUrl: () => string;
  readonly #now: () => number;
  readonly #defaultContext: TrustedContext | undefined;
  readonly #self: SelfProtection;
  readonly #requestLocks = new KeyedLock();
  /** How many refused calls each caller may have logged one by one. */
  readonly #refusals = new RefusalThrottle();
  /** The kill switch and the circuit breakers. */
  readonly monitor: Monitor;
  /** The freeze windows of the policy and the freezes admins declare. */
  readonly freezes: FreezeCalendar;

  constructor(options: ServiceOptions) {
    this.#store = options.store;
    this.#policy = options.policy;
    this.#publicUrl = options.publicUrl;
    this.#now = options.clock ?? Date.now;
    this.#defaultContext = options.defaultContext;
    this.#self = options.self ?? {};
    this.freezes = new FreezeCalendar(this.#store, this.#policy, this.#now);
    this.monitor = new Monitor(this.#store, this.#policy, this.#now, this.freezes);
  }

  requestUrl(id: string): string {
    return `${this.#publicUrl()}/requests/${encodeURIComponent(id)}`;
  }

  ref(r: ApprovalRequest): RequestRef {
    return {
      id: r.id,
      status: r.status,
      url: this.requestUrl(r.id),
      expiresAt: r.expiresAt,
      ...(r.releasableAt ? { releasableAt: r.releasableAt } : {}),
    };
  }

  /**
   * Decide an agent's action. The agent's name and the person it acts for come from its token, never
   * from the body, and are part of the digest: a release is for this agent's identical action only.
   * Its environment and labels come from the configuration; the body's may only raise the risk.
   */
  async submit(input: unknown, agent: Identity): Promise<Decision> {
    return (await this.#decide(input, agent)).decision;
  }

  /**
   * submit, without spending a release: for an edge that forwards several actions only together (a
   * PostgreSQL message of several statements, a pipeline up to its Sync), and must not use up one
   * action's approval while another of the group is refused. When this action would release an
   * approved request, the hold comes back with that request (`request.status` "approved"), and nothing
   * is written; the edge submits it again, with submit, once the whole group may go. Anything else is
   * decided and recorded as by submit.
   */
  async submitUnspent(input: unknown, agent: Identity): Promise<Decision> {
    return (await this.#decide(input, agent, { spend: false })).decision;
  }

  /**
   * submit, for an edge that forwards reads at once (the PostgreSQL proxy, the AWS endpoint): an
   * allowed action whose every operation is a read (no breaker, pause or freeze applies to it, and it
   * changes nothing here) comes back before its audit entry is written, with `queued`. The entry is
   * queued at `reads.next()`, so that it shares the next group commit (what the caller records of it
   * afterwards, queued on `queued`, follows it), and `recorded` settles once it is durable; it rejects
   * when the entry could not be written: `reads` then sends every later action the durable way, and the
   * caller must stop (fail closed). Any other decision, and every one while `reads.early` is off, is
   * durable before it comes back, as with submit, and its `recorded` is already settled; the reads
   * forwarded before it are queued first (`reads.now()`), so the log keeps the order things were sent in.
   * With `spend: false`, a release is looked at and not used, as with submitUnspent.
   */
  async submitRead(
    input: unknown,
    agent: Identity,
    reads: ReadRecords,
    { spend = true }: { spend?: boolean } = {},
  ): Promise<Submitted> {
    const submitted = await this.#decide(input, agent, { reads, spend });
    const { decision } = submitted;
    if (submitted.queued) submitted.recorded.catch(() => reads.failed());
    else if (decision.code !== "store_unavailable" && !isReleasable(decision)) reads.written();
    return submitted;
  }

  async #decide(
    input: unknown,
    agent: Identity,
    { reads, spend = true }: { reads?: ReadRecords; spend?: boolean } = {},
  ): Promise<Submitted> {
    const durable = (decision: Decision): Submitted => ({ decision, recorded: Promise.resolve() });
    const screened = screenInput(input, (input as { intent?: unknown } | null)?.intent);
    if (!screened.ok) {
      reads?.now();
      return durable(await this.#refuseUnreadable(input, agent, screened));
    }
    const action = bindContext(
      bindAgent(input, agent),
      mergeTrustedContext(agent.context, this.#defaultContext),
    );
    const evaluation = await evaluate(action, this.#policy, { self: this.#self });
    let decision = evaluation.decision;
    const intent =
      typeof (input as { intent?: unknown })?.intent === "string"
        ? (input as { intent: string }).intent
        : undefined;
    const entry = (d: Decision): AuditDraft => ({
      type: "action",
      time: iso(this.#now()),
      agent: agent.name,
      onBehalfOf: agent.onBehalfOf,
      intent,
      action,
      decision: d,
      // Shadow-mode verdicts, recorded beside the enforced one: would_hold, would_deny.
      ...(d.shadow ? { shadow: `would_${d.shadow.decision}` } : {}),
      // A change made during a freeze, under its emergency approval.
      ...(d.freeze ? { freeze: d.freeze.name } : {}),
    });
    let gate = this.monitor.gateFor(evaluation, agent);
    ({ decision, gate } = this.freezes.apply(decision, gate));
    if (reads?.early && decision.decision === "allow" && !gate && evaluation.action !== undefined) {
      // Registered on `queued` before the caller hears the decision, so this entry is queued before any
      // the caller queues on the same promise (its outcome).
      const queued = reads.next();
      const recorded = queued.then(() => this.#store.commit({ audit: [entry(decision)] }));
      return { decision, recorded: recorded.then(() => undefined), queued };
    }
    reads?.now();
    for (let attempt = 0; ; attempt++) {
      let outcome: Decision | Refused;
      try {
        if (
          decision.decision !== "hold" ||
          decision.digest === undefined ||
          evaluation.action === undefined
        ) {
          const result = await this.#store.commit({ audit: [entry(decision)], ...(gate ? { gate } : {}) });
          outcome = result.ok ? decision : result;
        } else {
          const held = evaluation.action as unknown as Record<string, unknown>;
          const hold = { digest: decision.digest, action: held, spend };
          outcome = await this.#hold(decision, hold, agent, intent, entry, gate);
        }
        if (!("refused" in outcome)) return durable(outcome);
        // Paused, frozen, tripped or over a breaker's limit: nothing was written; decide again with that known.
        if (attempt >= 4)
          throw new Error(`the gate refused the decision ${attempt + 1} times (${outcome.refused.kind})`);
        ({ decision, gate } = await this.monitor.refused(outcome.refused, decision, gate, agent));
      } catch (err) {
        return durable(unrecorded(input, err, decision.digest));
      }
    }
  }

  /** Invalid text or nesting too deep to judge: denied with its own code, and audited as far as it can be. */
  async #refuseUnreadable(
    input: unknown,
    agent: Identity,
    screened: Extract<Screened, { ok: false }>,
  ): Promise<Decision> {
    const copy = auditableCopy(bindAgent(input, agent)) as { intent?: unknown };
    const decision = failClosed(copy, screened.code, `${screened.message}. Fix it and submit it again.`);
    try {
      await this.#store.commit({
        audit: [
          {
            type: "action",
            time: iso(this.#now()),
            agent: agent.name,
            onBehalfOf: agent.onBehalfOf,
            intent: typeof copy.intent === "string" ? copy.intent : undefined,
            action: copy,
            decision,
          },
        ],
      });
      return decision;
    } catch (err) {
      return unrecorded(copy, err, undefined);
    }
  }

  async #hold(
    decision: Decision,
    { digest, action, spend }: { digest: string; action: Record<string, unknown>; spend: boolean },
    agent: Identity,
    intent: string | undefined,
    entry: (d: Decision) => AuditDraft,
    gate: GateCheck | undefined,
  ): Promise<Decision | Refused> {
    const checked = gate ? { gate } : {};
    for (let attempt = 0; ; attempt++) {
      try {
        let open = await this.#settle(await this.#store.findOpenRequest(digest, agent.name));
        const superseded = open && supersededByFreeze(open, decision, this.#now());
        if (superseded) {
          await this.#store.commit({ update: superseded.request, audit: [this.#event(superseded)] });
          open = undefined;
        }
        // Looked at, not used: the caller submits again when it forwards the action.
        if (open?.status === "approved" && !spend) return { ...decision, request: this.ref(open) };
        if (open?.status === "approved") {
          const spent = use(open, digest, this.#now());
          if (!spent.ok) throw new StoreConflict(spent.message);
          const released = this.#released(decision, spent.request);
          const result = await this.#store.commit({
            update: spent.request,
            audit: [entry(released), this.#event(spent)],
            ...checked,
          });
          return result.ok ? released : result;
        }
        if (open?.status === "pending") {
          const held = { ...decision, request: this.ref(open) };
          const result = await this.#store.commit({ audit: [entry(held)], ...checked });
          return result.ok ? held : result;
        }
        const latest = await this.#store.findLatestRequest(digest, agent.name);
        if (latest?.status === "denied" && this.#now() < Date.parse(latest.expiresAt)) {
          const refused = this.#refusedAgain(decision, latest);
          await this.#store.commit({ audit: [entry(refused)] });
          return refused;
        }
        const request = openRequest({
          id: `r_${randomBytes(12).toString("base64url")}`,
          digest,
          agent: agent.name,
          ...(agent.onBehalfOf !== undefined ? { onBehalfOf: agent.onBehalfOf } : {}),
          ...(intent !== undefined ? { intent } : {}),
          requirement: decision.approvals ?? { required: 1, delaySeconds: 0, expiresInSeconds: 3600 },
          action,
          decision: decision as unknown as Record<string, unknown>,
          now: this.#now(),
        });
        const held = { ...decision, request: this.ref(request) };
        const result = await this.#store.commit({ create: request, audit: [entry(held)], ...checked });
        return result.ok ? held : result;
      } catch (err) {
        if (!(err instanceof StoreConflict) || attempt >= RETRIES) throw err;
      }
    }
  }

  #released(decision: Decision, r: ApprovalRequest): Decision {
    const by = r.approvals.map((v) => v.by).join(", ");
    return {
      ...decision,
      decision: "allow",
      code: "released",
      reasons: [
        `Released once by request ${r.id}: approved by ${by}; the wait ended at ${r.releasableAt}.`,
        ...decision.reasons,
      ],
      request: this.ref(r),
    };
  }

  #refusedAgain(decision: Decision, r: ApprovalRequest): Decision {
    const by = r.denials.map((v) => `${v.by}${v.comment ? ` ("${v.comment}")` : ""}`).join(", ");
    return {
      ...decision,
      decision: "deny",
      code: "request_closed",
      reasons: [
        `This identical action was denied by ${by} in request ${r.id}; do not retry it. Change the approach or talk to the approvers.`,
        ...decision.reasons,
      ],
      request: this.ref(r),
    };
  }

  /** Apply what the clock has done to a request (release, expiry) before anyone acts on it. */
  async #settle(r: ApprovalRequest | undefined): Promise<ApprovalRequest | undefined> {
    if (!r) return r;
    const moved = advance(r, this.#now());
    if (!moved?.ok) return r;
    await this.#store.commit({ update: moved.request, audit: [this.#event(moved)] });
    return moved.request;
  }

  async vote(
    id: string,
    caller: Identity,
    verdict: "approve" | "deny",
    digest: string,
    comment?: string,
  ): Promise<Outcome> {
    return this.#change(id, caller, (r, now) =>
      verdict === "approve"
        ? approve(r, caller, digest, now, comment)
        : deny(r, caller, digest, now, comment),
    );
  }

  async cancel(id: string, caller: Identity, comment?: string): Promise<Outcome> {
    return this.#change(id, caller, (r, now) => cancel(r, caller, now, comment));
  }

  /** One change of a request at a time in this process: see KeyedLock. */
  #change(
    id: string,
    caller: Identity,
    transition: (r: ApprovalRequest, now: number) => Transition,
  ): Promise<Outcome> {
    return this.#requestLocks.run(id, () => this.#changeNow(id, caller, transition));
  }

  async #changeNow(
    id: string,
    caller: Identity,
    transition: (r: ApprovalRequest, now: number) => Transition,
  ): Promise<Outcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.#settle(await this.#store.getRequest(id));
        if (!r) return { ok: false, code: "not_found", message: `there is no request ${id}` };
        const t = transition(r, this.#now());
        if (!t.ok) {
          await this.#store.commit({ audit: [this.#rejected(caller, id, t.code, t.message)] });
          return t;
        }
        await this.#store.commit({ update: t.request, audit: [this.#event(t)] });
        // With no wait, the last approval releases at once.
        return { ok: true, request: (await this.#settle(t.request)) ?? t.request };
      } catch (err) {
        if (!(err instanceof StoreConflict) || attempt >= RETRIES) throw err;
      }
    }
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    return this.#settle(await this.#store.getRequest(id));
  }

  /**
   * Record what an ingress saved before running a released request's action: appended to the
   * request's `recoveryPoints` (shown on its page) and written to the audit log in the same commit.
   */
  async addRecoveryPoint(
    id: string,
    point: Record<string, unknown>,
    draft: Omit<AuditDraft, "time">,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const r = await this.#store.getRequest(id);
      if (!r) throw new Error(`no request ${id}`);
      const update = { ...r, version: r.version + 1, recoveryPoints: [...(r.recoveryPoints ?? []), point] };
      try {
        await this.#store.commit({ update, audit: [{ ...draft, time: iso(this.#now()) } as AuditDraft] });
        return;
      } catch (err) {
        if (!(err instanceof StoreConflict) || attempt >= RETRIES) throw err;
      }
    }
  }

  list(filter: { status?: ApprovalRequest["status"]; limit?: number }): Promise<ApprovalRequest[]> {
    return this.#store.listRequests(filter);
  }

  /** Release and expire what the clock has reached. Run every second by the server. */
  async sweep(): Promise<number> {
    await this.recordThrottled();
    const due = await this.#store.dueRequests(iso(this.#now()));
    let changed = await this.monitor.sweep();
    for (const r of due) {
      try {
        if ((await this.#settle(r)) !== r) changed++;
      } catch (err) {
        if (!(err instanceof StoreConflict)) throw err;
      }
    }
    return changed;
  }

  /**
   * Record a call refused before it decided anything, within its caller's budget (see RefusalThrottle):
   * false when the caller is over it, and the call should be answered `rate_limited` instead.
   */
  async recordRefusal(caller: string, draft: Omit<AuditDraft, "time">): Promise<boolean> {
    if (!this.#refusals.take(caller, this.#now())) return false;
    await this.record(boundRefusal(draft));
    return true;
  }

  /** Whether a caller is over its budget of refusals now. */
  refusalBlocked(caller: string): boolean {
    return this.#refusals.blocked(caller, this.#now());
  }

  /** Write the sums of refused calls counted rather than logged (`all`: every window, at stop). */
  async recordThrottled(all = false): Promise<void> {
    const drafts = this.#refusals.drain(this.#now(), all);
    if (drafts.length > 0) await this.#store.commit({ audit: drafts });
  }

  /** Record something that is not a request's transition (token made, config loaded, a refused call). */
  async record(draft: Omit<AuditDraft, "time">, change: Omit<Change, "audit"> = {}): Promise<void> {
    await this.#store.commit({ ...change, audit: [{ ...draft, time: iso(this.#now()) } as AuditDraft] });
  }

  #event(t: Extract<Transition, { ok: true }>): AuditDraft {
    return { ...t.event, time: iso(this.#now()) };
  }

  #rejected(caller: Identity, id: string, code: string, message: string): AuditDraft {
    return {
      type: "request.rejected",
      time: iso(this.#now()),
      by: caller.name,
      requestId: id,
      code,
      message,
    };
  }
}

/**
 * The deny for an action that could not be recorded: `store_unavailable` when the store failed (or lost
 * every retry to concurrent writers), `internal_error` for anything else, which is airlock's own fault
 * and must not send people looking at a healthy database.
 */
function unrecorded(input: unknown, err: unknown, digest: string | undefined): Decision {
  const message = (err as Error)?.message ?? String(err);
  if (err instanceof StoreUnavailable || err instanceof StoreConflict)
    return failClosed(
      input,
      "store_unavailable",
      `airlock could not record this action (${message}); it is denied until the store is back. Retry shortly, or ask an admin to check the server.`,
      digest,
    );
  return failClosed(
    input,
    "internal_error",
    `airlock failed on this action (${message}); it is denied and nothing was recorded. Tell an admin: this is a bug in airlock.`,
    digest,
  );
}

/** The Action as the token says it is: `agent.id` and `agent.onBehalfOf` from the identity, the rest as sent. */
function bindAgent(input: unknown, agent: Identity): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const given = (input as { agent?: unknown }).agent;
  const rest = typeof given === "object" && given !== null && !Array.isArray(given) ? given : {};
  return {
    ...(input as Record<string, unknown>),
    agent: {
      ...rest,
      id: agent.name,
      ...(agent.onBehalfOf !== undefined ? { onBehalfOf: agent.onBehalfOf } : {}),
    },
  };
}
