import type { BlastRadius, Reversibility } from "../../action/decision.js";
import type { Effect } from "../types.js";
import { ACCESS_OVERRIDES } from "./overrides-access.js";
import { DATA_OVERRIDES } from "./overrides-data.js";
import type { Params } from "./params.js";
import { wider } from "./targets.js";

/**
 * Where an operation's name and IAM access level are not enough, a row says what the call really
 * does, when, and why. The reason ends up in the operation's summary, so write it for a reviewer.
 */
export interface Override {
  /** Operation names, "service:Operation", as the analyzer names them (the SDK's spelling). */
  actions: readonly string[];
  /** Applies only when this holds for the request parameters. */
  when?: (params: Params) => boolean;
  effect?: Effect;
  reversibility?: Reversibility;
  /** Sets the blast radius outright. */
  blastRadius?: BlastRadius;
  /** Widens the blast radius to at least this. */
  atLeast?: BlastRadius;
  tags?: readonly string[];
  /** Marks the operation as one whose effect cannot be seen (it runs code or a document). */
  opaque?: boolean;
  reason: string | ((params: Params) => string);
}

/** The facts about one operation that rows may change. */
export interface Finding {
  effect: Effect;
  reversibility: Reversibility;
  blastRadius: BlastRadius;
  tags: Set<string>;
  reasons: string[];
  opaque: boolean;
}

const ROWS: ReadonlyMap<string, readonly Override[]> = (() => {
  const byAction = new Map<string, Override[]>();
  for (const row of [...DATA_OVERRIDES, ...ACCESS_OVERRIDES]) {
    for (const action of row.actions) {
      const key = action.toLowerCase();
      byAction.set(key, [...(byAction.get(key) ?? []), row]);
    }
  }
  return byAction;
})();

/** Applies every matching row, in table order; later rows win on the fields they set. */
export function applyOverrides(name: string, params: Params, finding: Finding): void {
  for (const row of ROWS.get(name.toLowerCase()) ?? []) {
    if (row.when && !row.when(params)) continue;
    if (row.effect) finding.effect = row.effect;
    if (row.reversibility) finding.reversibility = row.reversibility;
    if (row.blastRadius) finding.blastRadius = row.blastRadius;
    if (row.atLeast) finding.blastRadius = wider(finding.blastRadius, row.atLeast);
    for (const tag of row.tags ?? []) finding.tags.add(tag);
    if (row.opaque) finding.opaque = true;
    finding.reasons.push(typeof row.reason === "string" ? row.reason : row.reason(params));
  }
}

/** Every row, for tests that check each has a reason and names real actions. */
export function allOverrides(): readonly Override[] {
  return [...DATA_OVERRIDES, ...ACCESS_OVERRIDES];
}
