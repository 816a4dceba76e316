import * as z from "zod/mini";
import "../action/zod.js";
import { canonicalize } from "../action/jcs.js";
import { checkDraft, ISO_UTC } from "./entry-types.js";

/**
 * The audit entry on the wire and on disk, version 1: the RFC 8785 canonical JSON of
 *
 *   { v: 1, index, prev, time, type, ...fields }
 *
 * `index` is the entry's 0-based position in the log, `prev` the hex leaf hash of the entry before
 * (64 zeros for the first), `time` when it happened (ISO-8601 UTC), `type` what happened. The fields
 * are the type's own, as its schema in entry-types.ts says. The entry's leaf hash is
 * SHA-256(0x00 ‖ these exact UTF-8 bytes), so the canonical form is what makes it reproducible.
 */

export const AUDIT_ENTRY_VERSION = 1;

/** Every type of entry. Add new ones at the end; a verifier rejects types it does not know. */
export const AUDIT_ENTRY_TYPES = [
  /** An Action received and the Decision made: fields agent, onBehalfOf, intent, action, decision. */
  "action",
  "request.approved",
  "request.denied",
  "request.released",
  "request.used",
  "request.expired",
  "request.cancelled",
  "token.created",
  "token.revoked",
  "config.loaded",
  "server.started",
  "server.stopped",
  /** A malformed or unauthorised HTTP request. */
  "request.rejected",
  /** The kill switch, circuit breakers and declared freezes (src/approvals/monitor.ts, freezes.ts). */
  "breaker.tripped",
  "breaker.reset",
  "paused",
  "resumed",
  "freeze.declared",
  /** An integration's report of how an action went (ok or failed); failures feed error breakers. */
  "outcome.reported",
  /** A declared freeze lifted by an admin before its time (`airlock unfreeze`). */
  "freeze.lifted",
  /** A webhook notification given up on after its last attempt (deliveries themselves are only logged). */
  "notify.failed",
  /** The PostgreSQL proxy copied what a released statement will destroy into airlock_backup. */
  "snapshot.taken",
  /** `airlock restore` put a snapshot back. */
  "snapshot.restored",
] as const;
export type AuditEntryType = (typeof AUDIT_ENTRY_TYPES)[number];

/** `prev` of the first entry. */
export const GENESIS_PREV = "0".repeat(64);

export { ISO_UTC };

const HEX_HASH = /^[0-9a-f]{64}$/;
/** Top-level field names are chosen by code, never by input: plain identifiers keep the header readable fast. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const HEADER_KEYS = new Set(["v", "index", "prev"]);

export const AuditEntry = z.looseObject({
  v: z.literal(AUDIT_ENTRY_VERSION),
  index: z.int().check(z.minimum(0)),
  prev: z.string().check(z.regex(HEX_HASH, "must be 64 lowercase hex digits")),
  time: z.string().check(z.regex(ISO_UTC, "must be an ISO-8601 UTC time such as 2026-01-31T12:00:00.000Z")),
  type: z.enum(AUDIT_ENTRY_TYPES),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** What a caller records; the store adds `v`, `index` and `prev`. The same shape as the store's AuditDraft. */
export interface AuditFields {
  type: string;
  time: string;
  [field: string]: unknown;
}

export type DecodedEntry = { ok: true; entry: AuditEntry } | { ok: false; error: string };

/**
 * The bytes of entry `index`, chained to the entry before by its leaf hash (hex). Throws if the fields
 * cannot make a valid entry (an unknown type, a bad time, a field named v/index/prev or not an
 * identifier, a value JSON cannot hold): a caller's bug, which the store turns into a refused commit.
 */
export function encodeEntry(fields: AuditFields, index: number, prevLeafHash: string): string {
  for (const name of Object.keys(fields)) {
    if (HEADER_KEYS.has(name)) throw new Error(`an audit entry's fields may not be named "${name}"`);
    if (!FIELD_NAME.test(name))
      throw new Error(`"${name}" cannot name an audit entry field: use an identifier`);
  }
  const value = { ...fields, v: AUDIT_ENTRY_VERSION, index, prev: prevLeafHash };
  const checked = AuditEntry.safeParse(value);
  if (!checked.success) throw new Error(`not a valid audit entry: ${describe(checked.error)}`);
  if (process.env.AIRLOCK_CHECK_AUDIT_FIELDS === "1") {
    // Tests set this (vitest.config.ts): every draft has its type's fields (entry-types.ts) where it is written.
    const typed = checkDraft(fields);
    if (!typed.ok) throw new Error(`not a valid audit entry: ${typed.error}`);
  }
  return canonicalize(value);
}

/** Parse and check an entry's bytes. Never throws; the error says what is wrong. */
export function decodeEntry(text: string): DecodedEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, error: "an audit entry is a JSON object" };
  const badName = Object.keys(value).find((name) => !FIELD_NAME.test(name));
  if (badName !== undefined) return { ok: false, error: `"${badName}" cannot name an audit entry field` };
  const checked = AuditEntry.safeParse(value);
  if (!checked.success) return { ok: false, error: describe(checked.error) };
  let canonical: string;
  try {
    canonical = canonicalize(value);
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  if (canonical !== text)
    return { ok: false, error: "not in canonical form (RFC 8785): the bytes were re-serialized or edited" };
  return { ok: true, entry: checked.data };
}

function describe(error: z.core.$ZodError): string {
  return error.issues
    .map((i) => `field "${i.path.map(String).join(".") || "(entry)"}": ${i.message}`)
    .join("; ");
}
