import * as z from "zod/mini";
import "../action/zod.js";

/**
 * The gate's state as a store keeps it: pauses (the kill switch), declared freezes, breaker trips and
 * the charges an action puts on a breaker. The zod schemas are the source of truth: a store validates
 * every row it reads back against them, so a corrupt row is an error, never a record.
 */

/** A kill switch for a scope: `all`, `agent:NAME`, `onBehalfOf:PERSON` or `env:ENVIRONMENT`. */
export const PauseRecord = z.object({
  scope: z.string(),
  by: z.string(),
  reason: z.optional(z.string()),
  at: z.string(),
});
export type PauseRecord = z.infer<typeof PauseRecord>;

/** A freeze an admin declared: changes in `env:NAME` need an emergency approval until `until`. */
export const FreezeRecord = z.object({
  scope: z.string(),
  until: z.string(),
  by: z.string(),
  at: z.string(),
  reason: z.optional(z.string()),
});
export type FreezeRecord = z.infer<typeof FreezeRecord>;

export const TripRecord = z.object({
  id: z.string(),
  breaker: z.string(),
  scope: z.string(),
  // biome-ignore lint/suspicious/noThenProperty: the policy's word for what a trip does; a string, never awaited.
  then: z.enum(["hold-all-but-reads", "deny-all-but-reads"]),
  trippedAt: z.string(),
  /** When the clock resets it; absent when only an admin can. */
  until: z.optional(z.string()),
  resetAt: z.optional(z.string()),
  resetBy: z.optional(z.string()),
  reason: z.string(),
});
export type TripRecord = z.infer<typeof TripRecord>;

/** One action's (or reported error's) weight on one breaker in one scope: the policy works it out. */
export const Charge = z.object({
  breaker: z.string(),
  /** `all`, `agent:NAME`, `onBehalfOf:PERSON` or `env:ENVIRONMENT`. */
  scope: z.string(),
  /** Counts add up only under the same key: the normalised action for repetition, "" otherwise. */
  key: z.string(),
  weight: z.number(),
  /** The most the window may hold; a charge that would take it past this is refused. */
  limit: z.number(),
  /** Counts are kept per bucket (a sixtieth of the window); buckets starting at or before this have left it. */
  since: z.string(),
  /** The start of the bucket this charge adds to. */
  bucket: z.string(),
});
export type Charge = z.infer<typeof Charge>;

/** What an action's commit checks first: no pause or open trip on its scopes, and every charge within its limit. */
export interface GateCheck {
  now: string;
  pauseScopes: string[];
  tripScopes: string[];
  charges: Charge[];
  /** Scopes whose declared freeze (still in force at `now`) refuses the commit; absent or empty: none. */
  freezeScopes?: string[];
}

/** Why the gate refused a commit: a normal state of the world, returned as a value and decided again. */
export type GateRefusal =
  | { kind: "paused"; pause: PauseRecord }
  | { kind: "tripped"; trip: TripRecord }
  | { kind: "limit"; charge: Charge; count: number }
  | { kind: "frozen"; freeze: FreezeRecord };

/** An audit entry as the caller states it; the store adds `v`, `index` and `prev` when it appends. */
export interface AuditDraft {
  type: string;
  time: string;
  [field: string]: unknown;
}

/**
 * What a commit did: written (its first audit entry's index), or refused by the gate with nothing
 * written. A conflict or an unreachable store is not a result but an error (store/port.ts).
 */
export type CommitResult = { ok: true; firstIndex: number } | { ok: false; refused: GateRefusal };
