import { describe, expect, it } from "vitest";
import { AUDIT_ENTRY_TYPES, encodeEntry, GENESIS_PREV } from "../../src/audit/entry.js";
import { AUDIT_DRAFTS, checkDraft } from "../../src/audit/entry-types.js";
import { failClosed } from "../../src/gate/fail-closed.js";

const time = "2026-12-06T18:00:00.000Z";
const digest = "a".repeat(64);

/** One draft of every type, as its recorder writes it. */
const SAMPLES: Record<string, Record<string, unknown>> = {
  action: {
    agent: "kiro-7",
    onBehalfOf: "alice",
    action: { kind: "shell", command: "ls" },
    decision: failClosed(undefined, "invalid_action", "x"),
  },
  "request.approved": { requestId: "r1", digest, by: "bob", count: 1, required: 2 },
  "request.denied": { requestId: "r1", digest, by: "bob", comment: "no", count: 1, required: 1 },
  "request.released": { requestId: "r1", digest, releasableAt: time },
  "request.used": { requestId: "r1", digest },
  "request.expired": { requestId: "r1", digest },
  "request.cancelled": { requestId: "r1", digest, by: "root" },
  "token.created": {
    by: "local:root",
    identity: { name: "kiro-7", role: "agent", groups: [], onBehalfOf: "alice" },
  },
  "token.revoked": { by: "local:root", name: "kiro-7" },
  "config.loaded": {
    config: {
      listen: "127.0.0.1:8080",
      dataDir: "/tmp/d",
      policy: { sha256: digest },
      identities: [{ name: "bob", role: "approver", groups: [] }],
      origin: "http://127.0.0.1:8080",
      verifierKey: "airlock+abc",
    },
  },
  "server.started": { pid: 42, url: "http://127.0.0.1:8080" },
  "server.stopped": { pid: 42 },
  "request.rejected": {
    code: "unauthorized",
    message: "no token",
    method: "POST",
    path: "/v1/actions",
    source: "127.0.0.1",
  },
  "breaker.tripped": {
    id: "t1",
    breaker: "deletes",
    scope: "agent:kiro-7",
    // biome-ignore lint/suspicious/noThenProperty: the trip record's field is named so
    then: "deny-all-but-reads",
    trippedAt: time,
    reason: "too many",
    agent: "kiro-7",
    count: 6,
    limit: 5,
  },
  "breaker.reset": { trip: "t1", breaker: "deletes", scope: "agent:kiro-7", by: "root" },
  paused: { scope: "all", by: "root", at: time, reason: "incident" },
  resumed: { scope: "env:production", by: "root" },
  "freeze.declared": { scope: "env:production", until: time, by: "root", at: time },
  "outcome.reported": { agent: "kiro-7", ok: false, digest, environment: "production" },
  "freeze.lifted": { scope: "env:production", by: "root" },
  "notify.failed": {
    webhook: "slack",
    eventId: "evt_1",
    eventType: "hold",
    auditIndex: 3,
    attempts: 5,
    error: "502",
  },
  "snapshot.taken": {
    requestId: "r1",
    agent: "kiro-7",
    database: "app",
    table: "users",
    sql: "DELETE FROM users",
    into: "airlock_backup.users_1",
    rows: 3,
  },
  "snapshot.restored": {
    by: "local:root",
    requestId: "r1",
    database: "app",
    table: "users",
    from: "airlock_backup.users_1",
    rows: 3,
  },
};

describe("the audit entry types' schemas", () => {
  it("cover every type of entry, in the log's order", () => {
    expect(Object.keys(AUDIT_DRAFTS)).toEqual([...AUDIT_ENTRY_TYPES]);
    expect(Object.keys(SAMPLES).sort()).toEqual([...AUDIT_ENTRY_TYPES].sort());
  });

  it.each(Object.entries(SAMPLES))("accept a %s draft as its recorder writes it", (type, fields) => {
    expect(checkDraft({ type, time, ...fields })).toEqual({ ok: true });
  });

  it.each(Object.entries(SAMPLES))(
    "refuse a %s draft without a field it needs, naming it",
    (type, fields) => {
      const [first] = Object.keys(fields);
      const { [first ?? ""]: _dropped, ...rest } = fields;
      const checked = checkDraft({ type, time, ...rest });
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.error).toContain(`field "${first}"`);
    },
  );

  it("refuse a scope that is not one, a bad digest, and a type that is none", () => {
    expect(checkDraft({ type: "paused", time, scope: "production", by: "root", at: time }).ok).toBe(false);
    expect(checkDraft({ type: "request.used", time, requestId: "r1", digest: "XYZ" }).ok).toBe(false);
    expect(checkDraft({ type: "request.teleported", time })).toEqual({
      ok: false,
      error: '"request.teleported" is not a type of audit entry',
    });
  });

  it("keep fields a later version adds", () => {
    expect(checkDraft({ type: "request.used", time, requestId: "r1", digest, by: "kiro-7" })).toEqual({
      ok: true,
    });
  });

  it("are checked where an entry is written, under the tests' switch", () => {
    expect(process.env.AIRLOCK_CHECK_AUDIT_FIELDS).toBe("1");
    expect(() => encodeEntry({ type: "paused", time, scope: "all" }, 0, GENESIS_PREV)).toThrow(/field "by"/);
    expect(() =>
      encodeEntry({ type: "paused", time, scope: "all", by: "root", at: time }, 0, GENESIS_PREV),
    ).not.toThrow();
  });
});
