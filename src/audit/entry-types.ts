import * as z from "zod/mini";
import "../action/zod.js";
import { Decision } from "../action/decision.js";
import { schemaFile } from "../action/json-schema.js";
import { ScopeText } from "../policy/scope.js";
import type { AuditEntryType } from "./entry.js";

/**
 * The fields of each type of audit entry, as the code that records it writes them: the schema is
 * the contract a reader of the log (the verifier, a SIEM, docs/schema/audit-entry.schema.json) relies
 * on. Objects are loose: a field added later is kept and does not break an older reader.
 */

export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

const text = z.string();
const time = z
  .string()
  .check(z.regex(ISO_UTC, "must be an ISO-8601 UTC time such as 2026-01-31T12:00:00.000Z"));
const digest = z.string().check(z.regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits"));
const count = z.int().check(z.minimum(0));
const comment = z.optional(text);
const reason = z.optional(text);

const request = { requestId: text, digest };
const vote = { ...request, by: text, comment, count, required: z.int().check(z.minimum(1)) };

/** The fields of each type, without `type` and `time`. */
const FIELDS = {
  /** An Action received (as sent, when it was not a valid one) and the Decision made. */
  action: {
    agent: text,
    onBehalfOf: z.optional(text),
    intent: z.optional(text),
    action: z.unknown(),
    decision: Decision,
    /** What a rule in shadow mode would have decided, when more restrictive. */
    shadow: z.optional(z.enum(["would_hold", "would_deny"])),
    /** The freeze the change was made under, with its emergency approval. */
    freeze: z.optional(text),
  },
  "request.approved": { ...vote, releasableAt: z.optional(time) },
  "request.denied": vote,
  "request.released": { ...request, releasableAt: z.optional(time) },
  "request.used": request,
  "request.expired": request,
  "request.cancelled": { ...request, by: text, comment },
  "token.created": { by: text, identity: z.looseObject({ name: text, role: text }) },
  "token.revoked": { by: text, name: text },
  "config.loaded": {
    config: z.looseObject({
      file: z.optional(text),
      listen: text,
      dataDir: text,
      policy: z.looseObject({ file: z.optional(text), sha256: digest }),
      identities: z.array(z.looseObject({ name: text, role: text })),
      origin: text,
      verifierKey: text,
    }),
  },
  "server.started": { pid: z.int(), url: text, publicUrl: z.optional(text) },
  "server.stopped": { pid: z.int() },
  /** A malformed, unauthorised or over-budget call: where it came from, what it asked, the code it got. */
  "request.rejected": {
    code: text,
    message: text,
    by: z.optional(text),
    source: z.optional(text),
    method: z.optional(text),
    path: z.optional(text),
    requestId: z.optional(text),
    /** The listener other than the HTTP API that refused it (`aws`). */
    ingress: z.optional(text),
    /** A summary of refusals over the budget: how many, since when. */
    count: z.optional(count),
    from: z.optional(time),
  },
  "breaker.tripped": {
    id: text,
    breaker: text,
    scope: ScopeText,
    // biome-ignore lint/suspicious/noThenProperty: the trip record's field (store/port.ts TripRecord) is named so
    then: z.enum(["hold-all-but-reads", "deny-all-but-reads"]),
    trippedAt: time,
    until: z.optional(time),
    reason: text,
    agent: text,
    count: z.number(),
    limit: z.number(),
  },
  "breaker.reset": { trip: text, breaker: text, scope: ScopeText, by: text, reason },
  paused: { scope: ScopeText, by: text, at: time, reason },
  resumed: { scope: ScopeText, by: text, reason },
  "freeze.declared": { scope: ScopeText, until: time, by: text, at: time, reason },
  "outcome.reported": {
    agent: text,
    ok: z.boolean(),
    digest: z.optional(digest),
    id: z.optional(text),
    environment: z.optional(text),
    message: z.optional(text),
  },
  "freeze.lifted": { scope: ScopeText, by: text, reason },
  "notify.failed": {
    webhook: text,
    eventId: text,
    eventType: text,
    auditIndex: z.optional(count),
    attempts: count,
    error: text,
  },
  /**
   * A recovery point taken before a released destruction ran, or `failed` when it could not be (and the
   * action did not run). The PostgreSQL proxy names the database, table and statement, and `into` and
   * `rows` of its copy; the AWS endpoint (`ingress: "aws"`) names the operation, region, upstream account
   * and role, and each point's `kind`, `id`, what it is `of` and how to `restore` from it.
   */
  "snapshot.taken": {
    requestId: text,
    agent: text,
    database: z.optional(text),
    table: z.optional(text),
    sql: z.optional(text),
    into: z.optional(text),
    rows: z.optional(count),
    ingress: z.optional(z.literal("aws")),
    operation: z.optional(text),
    region: z.optional(text),
    account: z.optional(text),
    role: z.optional(text),
    kind: z.optional(text),
    id: z.optional(text),
    of: z.optional(text),
    restore: z.optional(text),
    failed: z.optional(text),
  },
  "snapshot.restored": { by: text, requestId: text, database: text, table: text, from: text, rows: count },
} satisfies Record<AuditEntryType, z.core.$ZodLooseShape>;

function draftOf<T extends AuditEntryType>(type: T) {
  return z.looseObject({ type: z.literal(type), time, ...FIELDS[type] });
}

const TYPES = Object.keys(FIELDS) as AuditEntryType[];

/** One schema per type: what a caller records (the store adds `v`, `index` and `prev`). */
export const AUDIT_DRAFTS = Object.fromEntries(TYPES.map((t) => [t, draftOf(t)])) as {
  [T in AuditEntryType]: ReturnType<typeof draftOf<T>>;
};

/** Any draft, by its type. */
export const AuditDraftSchema = z.discriminatedUnion(
  "type",
  TYPES.map((t) => AUDIT_DRAFTS[t]) as unknown as [
    ReturnType<typeof draftOf<AuditEntryType>>,
    ...ReturnType<typeof draftOf<AuditEntryType>>[],
  ],
);

export type CheckedDraft = { ok: true } | { ok: false; error: string };

/** Whether a draft has its type's fields; the error names the type and every bad field. */
export function checkDraft(draft: { type: string; [field: string]: unknown }): CheckedDraft {
  const schema = (AUDIT_DRAFTS as Record<string, z.ZodMiniType | undefined>)[draft.type];
  if (schema === undefined) return { ok: false, error: `"${draft.type}" is not a type of audit entry` };
  const parsed = schema.safeParse(draft);
  if (parsed.success) return { ok: true };
  const issues = parsed.error.issues.map((i) => `field "${i.path.map(String).join(".")}": ${i.message}`);
  return { ok: false, error: `a ${draft.type} entry: ${issues.join("; ")}` };
}

/** docs/schema/audit-entry.schema.json: an entry as a reader of the log sees it, by its type. */
export function auditEntrySchemas(): Record<string, string> {
  const header = {
    v: z.literal(1),
    index: z.int().check(z.minimum(0)),
    prev: digest,
  };
  const entries = TYPES.map((t) => z.extend(AUDIT_DRAFTS[t], header));
  return schemaFile(
    "audit-entry",
    z.discriminatedUnion(
      "type",
      entries as unknown as [(typeof entries)[number], ...(typeof entries)[number][]],
    ),
    "output",
  );
}
