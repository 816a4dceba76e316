import type { Decision } from "../action/decision.js";
import type { CompiledPolicy } from "../policy/compile.js";
import { mergeApprovals } from "../policy/evaluate.js";
import { type ActiveFreeze, activeWindows, coveringFreeze, declaredFreeze } from "../policy/freeze.js";
import type { FreezeRecord, GateCheck } from "./records.js";
import { type GateState, iso } from "./state.js";

function requirementText(d: Decision): string {
  const a = d.approvals;
  if (!a) return "an emergency approval";
  const from = a.groups ? ` from ${a.groups.join(" or ")}` : "";
  const wait = a.delaySeconds > 0 ? `, then a ${a.delaySeconds}-second wait` : "";
  return `an emergency approval (${a.required} approval${a.required > 1 ? "s" : ""}${from}${wait})`;
}

/**
 * A change during a freeze: what would have gone through on its own, or with fewer people, now waits
 * for the freeze's emergency approval (the most restrictive of the two requirements). A deny stays one.
 */
export function frozenDecision(decision: Decision, freeze: ActiveFreeze): Decision {
  if (decision.decision === "deny") return decision;
  const raised: Decision = {
    ...decision,
    decision: "hold",
    code: decision.decision === "allow" ? "frozen" : decision.code,
    approvals: mergeApprovals(
      decision.approvals ? [decision.approvals, freeze.emergency] : [freeze.emergency],
    ),
    rules: [`freeze:${freeze.name}`, ...decision.rules],
    request: undefined,
    freeze: { name: freeze.name, until: freeze.until, ...(freeze.reason ? { reason: freeze.reason } : {}) },
  };
  const by = freeze.declaredBy ? ` (declared by ${freeze.declaredBy})` : "";
  const why = freeze.reason ? ` ("${freeze.reason}")` : "";
  raised.reasons = [
    `Freeze ${freeze.name}${by}${why} is in force until ${freeze.until}: changes to ${freeze.environments.join(", ")} need ${requirementText(raised)}.`,
    ...decision.reasons,
  ];
  return raised;
}

/**
 * The freeze calendar: the policy's recurring windows (pure, from the clock) and the freezes admins
 * declare (in the store, checked inside an action's commit like a pause, so one declared a moment
 * before cannot be slipped past).
 */
export class FreezeCalendar {
  constructor(
    private readonly store: GateState,
    private readonly policy: CompiledPolicy,
    private readonly now: () => number,
  ) {}

  /** The decision under the policy's windows, and the commit's check for declared freezes. */
  apply(decision: Decision, gate: GateCheck | undefined): { decision: Decision; gate?: GateCheck } {
    if (!gate) return { decision };
    const freezeScopes = gate.pauseScopes.filter((s) => s.startsWith("env:"));
    const window = coveringFreeze(activeWindows(this.policy.freezes, this.now()), freezeScopes);
    // Frozen already: a declared freeze at the same time would only raise it to the same requirement.
    if (window) return { decision: frozenDecision(decision, window), gate };
    return { decision, gate: { ...gate, freezeScopes } };
  }

  /** The decision once the commit found a declared freeze; the retry need not look for it again. */
  declared(decision: Decision, freeze: FreezeRecord): Decision {
    return frozenDecision(decision, declaredFreeze(freeze, this.policy.document.freezes));
  }

  /** Freeze an environment until a time in the future (an instant, or ISO-8601 text); replaces an earlier one. */
  async declare(
    env: string,
    endsAt: number | string,
    by: string,
    reason?: string,
  ): Promise<{ ok: true; freeze: FreezeRecord } | { ok: false; message: string }> {
    const until = typeof endsAt === "string" ? Date.parse(endsAt) : endsAt;
    if (!Number.isFinite(until) || until <= this.now())
      return { ok: false, message: "a freeze ends in the future: give --until a later time" };
    const freeze: FreezeRecord = {
      scope: `env:${env}`,
      until: iso(until),
      by,
      at: iso(this.now()),
      ...(reason ? { reason } : {}),
    };
    await this.store.commit({ freeze, audit: [{ type: "freeze.declared", time: freeze.at, ...freeze }] });
    return { ok: true, freeze };
  }

  /** Lift a declared freeze; false when none is in force for the environment. */
  async lift(env: string, by: string, reason?: string): Promise<boolean> {
    const scope = `env:${env}`;
    if (!(await this.declaredInForce()).some((f) => f.scope === scope)) return false;
    const time = iso(this.now());
    await this.store.commit({
      unfreeze: scope,
      audit: [{ type: "freeze.lifted", time, scope, by, ...(reason ? { reason } : {}) }],
    });
    return true;
  }

  async declaredInForce(): Promise<FreezeRecord[]> {
    const now = iso(this.now());
    return (await this.store.listFreezes()).filter((f) => f.until > now);
  }

  /** The declared freezes in force and the policy's windows, each with whether it is in force now. */
  async state() {
    const active = activeWindows(this.policy.freezes, this.now());
    return {
      declared: await this.declaredInForce(),
      windows: this.policy.freezes.map((w) => {
        const now = active.find((a) => a.name === w.window.name);
        return {
          ...w.window,
          environments: w.environments,
          emergency: w.emergency,
          active: now !== undefined,
          ...(now ? { until: now.until } : {}),
        };
      }),
    };
  }
}
