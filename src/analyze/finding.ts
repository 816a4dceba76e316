import { BLAST_RADII, type BlastRadius, REVERSIBILITY, type Reversibility } from "../action/decision.js";
import { EFFECTS, type Effect, type Operation } from "./types.js";

/** "effect reversibility blastRadius" in one checked string: `"delete irreversible environment"`. */
export type Shape = `${Effect} ${Reversibility} ${BlastRadius}`;

/** What an analyzer knows about an operation before it names it and its targets. */
export type Finding = Pick<
  Operation,
  "effect" | "reversibility" | "blastRadius" | "summary" | "tags" | "opaque"
>;

export function isShape(s: string): s is Shape {
  const [effect = "", reversibility = "", radius = ""] = s.split(" ");
  return (
    (EFFECTS as readonly string[]).includes(effect) &&
    (REVERSIBILITY as readonly string[]).includes(reversibility) &&
    (BLAST_RADII as readonly string[]).includes(radius)
  );
}

export function finding(shape: Shape, summary: string, tags: string[] = [], opaque = false): Finding {
  const [effect, reversibility, blastRadius] = shape.split(" ") as [Effect, Reversibility, BlastRadius];
  const f: Finding = { effect, reversibility, blastRadius, summary };
  if (tags.length > 0) f.tags = tags;
  if (opaque) f.opaque = true;
  return f;
}

/**
 * An operation the analyzer cannot see through: treated as an irreversible, service-wide execution
 * so that no policy reads it as safe by accident.
 */
export function opaqueOperation(
  kind: string,
  name: string,
  summary: string,
  extra: Partial<Operation> = {},
): Operation {
  return {
    kind,
    name,
    effect: "execute",
    summary,
    reversibility: "irreversible",
    blastRadius: "service",
    targets: [],
    opaque: true,
    ...extra,
  };
}
