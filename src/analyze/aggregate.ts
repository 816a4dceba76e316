import { BLAST_RADII, type BlastRadius, REVERSIBILITY, type Reversibility } from "../action/decision.js";
import type { Analysis, Effect, Operation } from "./types.js";

/** From least to most serious, for summarising several operations in one word. */
const EFFECT_SEVERITY: readonly Effect[] = ["read", "write", "execute", "privilege", "delete"];

export function effectRank(effect: Effect): number {
  return EFFECT_SEVERITY.indexOf(effect);
}
export function reversibilityRank(r: Reversibility): number {
  return REVERSIBILITY.indexOf(r);
}
export function blastRank(b: BlastRadius): number {
  return BLAST_RADII.indexOf(b);
}

export function worstEffect(ops: readonly Operation[]): Effect {
  let worst: Effect = "read";
  for (const op of ops) if (effectRank(op.effect) > effectRank(worst)) worst = op.effect;
  return worst;
}
export function worstReversibility(ops: readonly Operation[]): Reversibility {
  let worst: Reversibility = "reversible";
  for (const op of ops)
    if (reversibilityRank(op.reversibility) > reversibilityRank(worst)) worst = op.reversibility;
  return worst;
}
export function widestBlastRadius(ops: readonly Operation[]): BlastRadius {
  let widest: BlastRadius = "none";
  for (const op of ops) if (blastRank(op.blastRadius) > blastRank(widest)) widest = op.blastRadius;
  return widest;
}
export function isOpaque(analysis: Analysis): boolean {
  return analysis.status === "opaque" || analysis.operations.some((op) => op.opaque === true);
}
export function allTags(ops: readonly Operation[]): Set<string> {
  return new Set(ops.flatMap((op) => op.tags ?? []));
}
export function allEnvHints(analysis: Analysis): string[] {
  return [...analysis.envHints, ...analysis.operations.flatMap((op) => op.envHints ?? [])];
}
