import type { BlastRadius, DecisionOperation, Reversibility } from "../action/decision.js";
import { ACTION_KINDS, type ActionKind, IDENTITY_FIELDS } from "../action/schema.js";

/** How the risk vocabulary reads to a person deciding at a glance. */
export const REVERSIBILITY_WORDS: Record<Reversibility, string> = {
  reversible: "can be undone",
  recoverable: "can be recovered, with effort (from a backup or a snapshot)",
  irreversible: "cannot be undone",
};

export const BLAST_RADIUS_WORDS: Record<BlastRadius, string> = {
  none: "reaches nothing beyond itself",
  resource: "reaches one resource",
  service: "reaches a whole service",
  environment: "reaches a whole environment",
  account: "reaches a whole cloud account",
  host: "reaches the whole machine",
};

/** "9 min 58 s", "1 h 59 min", "42 s": the same format as the countdown script writes. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** "2nd", for "after the 2nd approval". */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** "Delete stack cost-explorer-prod", and how many operations follow it. */
export function headline(operations: readonly DecisionOperation[]): string {
  const first = operations[0];
  if (!first) return "An action airlock could not break down";
  const targets = first.targets.map((t) => `${t.type} ${t.name}`).join(", ");
  const what = `${first.effect}${targets ? ` ${targets}` : ` (${first.name})`}`;
  const more =
    operations.length > 1
      ? ` and ${operations.length - 1} more operation${operations.length > 2 ? "s" : ""}`
      : "";
  return `${what.charAt(0).toUpperCase()}${what.slice(1)}${more}`;
}

export interface ActionField {
  name: string;
  /** The value as text: strings as they are, anything else as indented JSON. */
  text: string;
  /** Characters left out of `text` because the value was too long to show. */
  omitted: number;
}

/**
 * What the agent would run: the fields that make the action what it is (the command, the SQL, the API
 * call and its parameters), in the order the contract lists them, without commentary.
 */
/** Fields the PostgreSQL proxy adds to an Action: what the statement would touch, and the functions it calls. */
const MEASURED = ["preview", "previewAtApproval", "previewChanged", "functions"] as const;

export function actionFields(action: Record<string, unknown>, limit = 4000): ActionField[] {
  const kind = action.kind;
  const names = isKind(kind) ? IDENTITY_FIELDS[kind] : Object.keys(action).filter((k) => k !== "agent");
  const fields: ActionField[] = [{ name: "kind", text: String(kind), omitted: 0 }];
  // After the identity: what the PostgreSQL proxy measured. Outside the digest, but what approvers decide on.
  for (const name of [...names, ...(isKind(kind) ? MEASURED : [])]) {
    const value = action[name];
    if (value === undefined) continue;
    const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
    fields.push({ name, text: text.slice(0, limit), omitted: Math.max(0, text.length - limit) });
  }
  return fields;
}

function isKind(kind: unknown): kind is ActionKind {
  return (ACTION_KINDS as readonly unknown[]).includes(kind);
}

/**
 * A reason without the operation summary the policy appends to it, when the page already shows that
 * summary: "… needs two people and a ten-minute wait (production-destruction)".
 */
export function reasonWithoutSummary(reason: string, operations: readonly DecisionOperation[]): string {
  const op = operations.find((o) => reason.endsWith(`: ${o.summary}`));
  return op ? reason.slice(0, reason.length - op.summary.length - 2) : reason;
}
