import { actionIdentity } from "../action/digest.js";
import { canonicalize } from "../action/jcs.js";
import type { Action } from "../action/schema.js";
import { mayBeProduction } from "../analyze/environment.js";
import type { CompiledBreaker } from "../policy/compile.js";
import { matchesStatically, type PlacedOperation } from "../policy/evaluate.js";
import type { Breaker } from "../policy/schema.js";
import type { Charge } from "./records.js";

export type { Charge } from "./records.js";

/** Who acts: the agent's name and the person it acts for, from its token. */
export interface Actor {
  agent: string;
  onBehalfOf?: string;
}

/**
 * The scopes an action falls in: `all`, its agent, its person, and the environment of every operation
 * that is not a read. An operation that may be production (an unknown environment) is also in
 * `env:production`, so pausing production cannot be slipped past by hiding where a command runs.
 */
export function actionScopes(actor: Actor, ops: readonly PlacedOperation[]): string[] {
  const scopes = ["all", `agent:${actor.agent}`];
  if (actor.onBehalfOf !== undefined) scopes.push(`onBehalfOf:${actor.onBehalfOf}`);
  for (const op of ops) {
    if (op.effect === "read") continue;
    for (const env of mayBeProduction(op.environment) ? [op.environment, "production"] : [op.environment]) {
      if (!scopes.includes(`env:${env}`)) scopes.push(`env:${env}`);
    }
  }
  return scopes;
}

/** The breaker's scope keys for this actor and these (matching) operations' environments. */
function scopesOf(breaker: Breaker, actor: Actor, environments: readonly string[]): string[] {
  switch (breaker.scope) {
    case "global":
      return ["all"];
    case "agent":
      return [`agent:${actor.agent}`];
    case "onBehalfOf":
      // An agent acting for nobody is its own person: it must not escape a per-person limit.
      return [`onBehalfOf:${actor.onBehalfOf ?? `agent:${actor.agent}`}`];
    case "environment":
      return [...new Set(environments)].map((e) => `env:${e}`);
  }
}

/**
 * The same action up to numbers and ids: a UUID, a hex run of six or more with a digit in it, and
 * every number become `#`, so `delete pod api-7f9c2d1` and `delete pod api-8a1b3e4` repeat each other.
 */
export function repetitionKey(action: Action): string {
  return canonicalize(actionIdentity(action))
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "#")
    .replace(/\b(?=[0-9a-f]*[0-9])[0-9a-f]{6,}\b/gi, "#")
    .replace(/[0-9]+/g, "#");
}

function weightOf(b: CompiledBreaker, action: Action, ops: readonly PlacedOperation[]): number {
  switch (b.breaker.kind) {
    case "rate":
    case "repetition":
      return 1;
    case "blast":
      return ops.reduce((n, op) => n + (op.effect === "delete" ? Math.max(1, op.targets.length) : 0), 0);
    case "cost":
      return action.cost ?? 0;
    case "errors":
      return 0;
  }
}

/** What an action that the gate lets through (allow or hold, not only reads) adds to each breaker. */
export function actionCharges(
  breakers: readonly CompiledBreaker[],
  action: Action,
  ops: readonly PlacedOperation[],
  actor: Actor,
  now: number,
): Charge[] {
  const charges: Charge[] = [];
  for (const b of breakers) {
    if (b.breaker.kind === "errors") continue;
    const matching = ops.filter((op) => matchesStatically(b, op, action));
    if (matching.length === 0) continue;
    const weight = weightOf(b, action, matching);
    if (weight <= 0) continue;
    const key = b.breaker.kind === "repetition" ? repetitionKey(action) : "";
    for (const scope of scopesOf(
      b.breaker,
      actor,
      matching.map((op) => op.environment),
    )) {
      charges.push(charge(b.breaker, scope, key, weight, now));
    }
  }
  return charges;
}

/** A failure an integration reported, on each error breaker whose environment match (if any) it meets. */
export function errorCharges(
  breakers: readonly CompiledBreaker[],
  actor: Actor,
  environment: string,
  now: number,
): Charge[] {
  return breakers
    .filter((b) => b.breaker.kind === "errors" && (!b.environment || b.environment.has(environment)))
    .flatMap((b) => scopesOf(b.breaker, actor, [environment]).map((s) => charge(b.breaker, s, "", 1, now)));
}

/**
 * Counts are kept in buckets of a sixtieth of the window (a second at least), so a check sums at most
 * sixty-one rows however busy the agent is. The oldest bucket counts whole: an event may count for up
 * to a sixtieth of the window longer than the window, never shorter, so a breaker trips early rather than late.
 */
function charge(b: Breaker, scope: string, key: string, weight: number, now: number): Charge {
  const bucketMs = Math.max(1000, Math.floor((b.windowSeconds * 1000) / 60));
  return {
    breaker: b.name,
    scope,
    key,
    weight,
    limit: b.limit,
    since: new Date(now - b.windowSeconds * 1000 - bucketMs).toISOString(),
    bucket: new Date(Math.floor(now / bucketMs) * bucketMs).toISOString(),
  };
}
