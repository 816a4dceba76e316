import type { BlastRadius, Reversibility } from "../../action/decision.js";
import type { Effect, Operation, Target } from "../types.js";

/** Everything an sql Operation carries; `kind` is always "sql". */
export interface OpFields {
  name: string;
  effect: Effect;
  summary: string;
  reversibility: Reversibility;
  blastRadius: BlastRadius;
  targets?: Target[];
  tags?: string[];
  envHints?: string[];
  opaque?: boolean;
}

export function sqlOp(f: OpFields): Operation {
  const op: Operation = {
    kind: "sql",
    name: f.name,
    effect: f.effect,
    summary: f.summary,
    reversibility: f.reversibility,
    blastRadius: f.blastRadius,
    targets: f.targets ?? [],
  };
  if (f.tags && f.tags.length > 0) op.tags = unique(f.tags);
  if (f.envHints && f.envHints.length > 0) op.envHints = unique(f.envHints);
  if (f.opaque) op.opaque = true;
  return op;
}

function unique(values: string[]): string[] {
  return values.length < 2 ? values : [...new Set(values)];
}

export function readOp(
  name: string,
  summary: string,
  targets: Target[] = [],
  envHints?: string[],
): Operation {
  return sqlOp({
    name,
    effect: "read",
    reversibility: "reversible",
    blastRadius: "none",
    summary,
    targets,
    envHints,
  });
}

/**
 * Something airlock could not see through. Its effect is unknown, so it is reported as
 * code that runs with the worst plausible reach: never as safe.
 */
export function opaqueOp(name: string, why: string, targets: Target[] = []): Operation {
  return sqlOp({
    name,
    effect: "execute",
    reversibility: "irreversible",
    blastRadius: "environment",
    summary: why,
    targets,
    opaque: true,
  });
}

/** Marks operations found inside another construct (a DO block, a function body, EXPLAIN ANALYZE). */
export function within(ops: Operation[], where: string): Operation[] {
  for (const op of ops) op.summary = `${op.summary} [inside ${where}]`;
  return ops;
}

export function tables(names: readonly string[]): Target[] {
  return names.map((name) => ({ type: "table", name }));
}

/** "a, b, c and 4 more" for summaries. */
export function listNames(names: readonly string[], max = 3): string {
  if (names.length === 0) return "(unnamed)";
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
