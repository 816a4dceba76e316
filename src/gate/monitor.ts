import { randomBytes } from "node:crypto";
import type { Decision } from "../action/decision.js";
import type { CompiledBreaker, CompiledPolicy } from "../policy/compile.js";
import { type Actor, actionCharges, actionScopes, errorCharges } from "./breakers.js";
import type { Evaluation } from "./decide.js";
import type { FreezeCalendar } from "./freezes.js";
import { pausedDecision, scopeText, trippedDecision } from "./overrides.js";
import type { AuditDraft, GateCheck, GateRefusal, PauseRecord, TripRecord } from "./records.js";
import { type GateState, isConflict, iso, type Who } from "./state.js";

const actorOf = (agent: Who): Actor => ({
  agent: agent.name,
  ...(agent.onBehalfOf !== undefined ? { onBehalfOf: agent.onBehalfOf } : {}),
});

/**
 * The monitor outside the agent: the kill switch and the policy's circuit breakers. Their state is
 * in the store, and an action's checks and counts are part of the commit of its audit entry, so
 * concurrent requests and restarts cannot let anything past a limit.
 */
export class Monitor {
  constructor(
    private readonly store: GateState,
    private readonly policy: CompiledPolicy,
    private readonly now: () => number,
    private readonly freezes: FreezeCalendar,
  ) {}

  /** What the commit of this decision must check and count; none for a deny or an action that only reads. */
  gateFor(evaluation: Evaluation, agent: Who): GateCheck | undefined {
    const { decision, action } = evaluation;
    if (decision.decision === "deny" || action === undefined) return undefined;
    const ops = evaluation.verdicts.map((v) => v.op);
    if (ops.every((op) => op.effect === "read")) return undefined;
    const actor = actorOf(agent);
    const scopes = actionScopes(actor, ops);
    const now = this.now();
    return {
      now: iso(now),
      pauseScopes: scopes,
      tripScopes: scopes,
      charges: actionCharges(this.policy.breakers, action, ops, actor, now),
      // Set by the freeze calendar: the scopes whose declared freeze this commit checks.
      freezeScopes: [],
    };
  }

  /** The decision and checks to try again with, after the store refused the first on `refusal`. */
  async refused(
    refusal: GateRefusal,
    decision: Decision,
    gate: GateCheck | undefined,
    agent: Who,
  ): Promise<{ decision: Decision; gate?: GateCheck }> {
    if (refusal.kind === "paused") return { decision: pausedDecision(decision, refusal.pause) };
    if (refusal.kind === "frozen") {
      const frozen = this.freezes.declared(decision, refusal.freeze);
      return { decision: frozen, ...(gate ? { gate: { ...gate, freezeScopes: [] } } : {}) };
    }
    const trip = refusal.kind === "tripped" ? refusal.trip : await this.#trip(refusal, agent);
    const tripped = trippedDecision(decision, trip, this.policy);
    // A hold still waits for people; only the pauses are checked again when it is recorded.
    if (tripped.decision !== "hold" || !gate) return { decision: tripped };
    return { decision: tripped, gate: { ...gate, tripScopes: [], charges: [] } };
  }

  /** Record a breaker's trip (once, however many requests crossed its limit at the same moment). */
  async #trip(refusal: Extract<GateRefusal, { kind: "limit" }>, agent: Who): Promise<TripRecord> {
    const { charge, count } = refusal;
    const b = this.#breaker(charge.breaker);
    const now = this.now();
    const trip: TripRecord = {
      id: `t_${randomBytes(9).toString("base64url")}`,
      breaker: charge.breaker,
      scope: charge.scope,
      // biome-ignore lint/suspicious/noThenProperty: the policy's word for what a trip does; a string, never awaited.
      then: b?.breaker.then ?? "deny-all-but-reads",
      trippedAt: iso(now),
      ...(b?.resetAfterSeconds !== undefined ? { until: iso(now + b.resetAfterSeconds * 1000) } : {}),
      reason:
        b?.breaker.reason ??
        `${b?.breaker.kind ?? "count"} reached ${count} of ${charge.limit} within ${b?.breaker.windowSeconds ?? "?"} seconds`,
    };
    const audit: AuditDraft[] = [
      {
        type: "breaker.tripped",
        time: trip.trippedAt,
        ...trip,
        agent: agent.name,
        count,
        limit: charge.limit,
      },
    ];
    const pause: PauseRecord | undefined = b?.breaker.pause
      ? {
          scope: charge.scope.startsWith("onBehalfOf:") ? `agent:${agent.name}` : charge.scope,
          by: `breaker:${trip.breaker}`,
          reason: trip.reason,
          at: trip.trippedAt,
        }
      : undefined;
    if (pause) audit.push({ type: "paused", time: pause.at, ...pause });
    try {
      await this.store.commit({ trip, ...(pause ? { pause } : {}), audit });
      return trip;
    } catch (err) {
      if (!isConflict(err)) throw err;
      // Someone else's request tripped it first: theirs is the trip on record.
      return (
        (await this.store.openTrips()).find((t) => t.breaker === trip.breaker && t.scope === trip.scope) ??
        trip
      );
    }
  }

  #breaker(name: string): CompiledBreaker | undefined {
    return this.policy.breakers.find((b) => b.breaker.name === name);
  }

  async pause(scope: string, by: string, reason?: string): Promise<PauseRecord> {
    const pause: PauseRecord = { scope, by, at: iso(this.now()), ...(reason ? { reason } : {}) };
    await this.store.commit({ pause, audit: [{ type: "paused", time: pause.at, ...pause }] });
    return pause;
  }

  /** Lift a pause; false when the scope was not paused. */
  async resume(scope: string, by: string, reason?: string): Promise<boolean> {
    if (!(await this.store.listPauses()).some((p) => p.scope === scope)) return false;
    const time = iso(this.now());
    await this.store.commit({
      resume: scope,
      audit: [{ type: "resumed", time, scope, by, ...(reason ? { reason } : {}) }],
    });
    return true;
  }

  pauses(): Promise<PauseRecord[]> {
    return this.store.listPauses();
  }

  /** The policy's breakers and the trips still open (`active` false once their time is up). */
  async state() {
    const now = iso(this.now());
    return {
      breakers: this.policy.breakers.map((b) => b.breaker),
      trips: (await this.store.openTrips()).map((t) => ({
        ...t,
        active: t.until === undefined || t.until > now,
      })),
    };
  }

  /** Reset the open trips of a breaker (in one scope, or all); the trips reset. */
  async reset(name: string, scope: string | undefined, by: string, reason?: string): Promise<TripRecord[]> {
    const open = (await this.store.openTrips()).filter(
      (t) => t.breaker === name && (scope === undefined || t.scope === scope),
    );
    const done: TripRecord[] = [];
    for (const t of open) if (await this.#close(t, by, reason)) done.push(t);
    return done;
  }

  async #close(t: TripRecord, by: string, reason?: string): Promise<boolean> {
    const resetAt = iso(this.now());
    try {
      await this.store.commit({
        resetTrip: { id: t.id, resetAt, resetBy: by },
        audit: [
          {
            type: "breaker.reset",
            time: resetAt,
            trip: t.id,
            breaker: t.breaker,
            scope: t.scope,
            by,
            ...(reason ? { reason } : {}),
          },
        ],
      });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** Close the trips whose time is up, each with its breaker.reset entry. Run by the server's sweep. */
  async sweep(): Promise<number> {
    const now = iso(this.now());
    let closed = 0;
    for (const t of await this.store.openTrips()) {
      if (t.until !== undefined && t.until <= now && (await this.#close(t, "clock"))) closed++;
    }
    return closed;
  }

  /** An integration's report of how an action went; failures count on error breakers, which may trip. */
  async outcome(
    report: { ok: boolean; digest?: string; id?: string; environment?: string; message?: string },
    agent: Who,
  ): Promise<{ tripped: string[] }> {
    const now = this.now();
    let charges = report.ok
      ? []
      : errorCharges(this.policy.breakers, actorOf(agent), report.environment ?? "unknown", now);
    const audit: AuditDraft = { type: "outcome.reported", time: iso(now), agent: agent.name, ...report };
    const tripped: string[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      const result = await this.store.commit({
        gate: { now: iso(now), pauseScopes: [], tripScopes: [], charges },
        audit: [audit],
      });
      if (result.ok) return { tripped };
      if (result.refused.kind !== "limit")
        throw new Error(
          `internal error: a report checked no pause, freeze or trip but was refused (${result.refused.kind})`,
        );
      const trip = await this.#trip(result.refused, agent);
      tripped.push(`${trip.breaker} (${scopeText(trip.scope)})`);
      // Recorded without the charge that tripped it: the trip emptied that window.
      const { breaker, scope } = result.refused.charge;
      charges = charges.filter((c) => c.breaker !== breaker || c.scope !== scope);
    }
    throw new Error("too many breakers tripped at once");
  }
}
