import { describe, expect, it } from "vitest";
import type { Identity } from "../../src/approvals/identity.js";
import { type ApprovalRequest, openRequest } from "../../src/approvals/request.js";
import { advance, approve, cancel, deny, type Transition, use } from "../../src/approvals/transitions.js";

const T0 = Date.parse("2026-11-21T10:00:00Z");
const DIGEST = "a".repeat(64);
const OTHER = "b".repeat(64);

const approver = (name: string, groups: string[] = ["sre"]): Identity => ({ name, role: "approver", groups });
const admin: Identity = { name: "root", role: "admin", groups: [] };

function request(requirement: Partial<ApprovalRequest["requirement"]> = {}): ApprovalRequest {
  return openRequest({
    id: "r_1",
    digest: DIGEST,
    agent: "kiro-7",
    onBehalfOf: "alice",
    requirement: { required: 2, delaySeconds: 600, expiresInSeconds: 3600, ...requirement },
    action: { kind: "aws" },
    decision: {},
    now: T0,
  });
}

function ok(t: Transition): ApprovalRequest {
  if (!t.ok) throw new Error(`refused: ${t.code} ${t.message}`);
  return t.request;
}

describe("votes", () => {
  it("never lets the agent or the person it acts for vote, whatever their role", () => {
    const r = request();
    expect(approve(r, approver("alice"), DIGEST, T0)).toMatchObject({ ok: false, code: "four_eyes" });
    expect(approve(r, approver("kiro-7"), DIGEST, T0)).toMatchObject({ ok: false, code: "four_eyes" });
    expect(deny(r, approver("alice"), DIGEST, T0)).toMatchObject({ ok: false, code: "four_eyes" });
  });

  it("refuses an approval whose wait would end after the request expires: it could never release", () => {
    const r = ok(approve(request(), approver("bob"), DIGEST, T0));
    // 3600 s to expiry, a 600 s wait: approving with 500 s left would wait past the end.
    const late = approve(r, approver("carol"), DIGEST, T0 + 3100 * 1000);
    expect(late).toMatchObject({ ok: false, code: "expires_before_release" });
    if (!late.ok)
      expect(late.message).toMatch(/could never be released; the agent must submit the action again/);
    expect(ok(approve(r, approver("carol"), DIGEST, T0 + 2999 * 1000)).releasableAt).toBeDefined();
  });

  it("refuses agents and admins: only approvers vote", () => {
    const r = request();
    expect(approve(r, admin, DIGEST, T0)).toMatchObject({ ok: false, code: "wrong_role" });
    expect(approve(r, { name: "bot", role: "agent", groups: [], onBehalfOf: "x" }, DIGEST, T0)).toMatchObject(
      {
        ok: false,
        code: "wrong_role",
      },
    );
  });

  it("counts each approver once", () => {
    const once = ok(approve(request(), approver("bob"), DIGEST, T0));
    expect(approve(once, approver("bob"), DIGEST, T0 + 1)).toMatchObject({
      ok: false,
      code: "already_voted",
    });
    expect(deny(once, approver("bob"), DIGEST, T0 + 1)).toMatchObject({ ok: false, code: "already_voted" });
  });

  it("binds a vote to the digest the approver reviewed", () => {
    expect(approve(request(), approver("bob"), OTHER, T0)).toMatchObject({
      ok: false,
      code: "digest_mismatch",
    });
  });

  it("takes approvers from the named groups only", () => {
    const r = request({ groups: ["dba"] });
    expect(approve(r, approver("bob", ["sre"]), DIGEST, T0)).toMatchObject({
      ok: false,
      code: "not_in_group",
    });
    expect(approve(r, approver("dora", ["dba"]), DIGEST, T0).ok).toBe(true);
  });

  it("ends the request at the first denial unless the policy tolerates more", () => {
    expect(ok(deny(request(), approver("bob"), DIGEST, T0)).status).toBe("denied");
    const tolerant = ok(deny(request({ denials: 2 }), approver("bob"), DIGEST, T0));
    expect(tolerant.status).toBe("pending");
    expect(ok(deny(tolerant, approver("carol"), DIGEST, T0)).status).toBe("denied");
  });

  it("increases the version with every change, for the store's compare-and-swap", () => {
    const r = request();
    expect(ok(approve(r, approver("bob"), DIGEST, T0)).version).toBe(r.version + 1);
  });
});

describe("release", () => {
  it("releases only after the required approvals and then the whole wait after the last one", () => {
    let r = ok(approve(request(), approver("bob"), DIGEST, T0));
    expect(r.releasableAt).toBeUndefined();
    expect(advance(r, T0 + 3_000_000)).toBeUndefined();
    r = ok(approve(r, approver("carol"), DIGEST, T0 + 60_000));
    expect(r.releasableAt).toBe(new Date(T0 + 60_000 + 600_000).toISOString());
    expect(advance(r, T0 + 60_000 + 599_999)).toBeUndefined();
    const released = ok(advance(r, T0 + 660_000) as Transition);
    expect(released.status).toBe("approved");
  });

  it("lets the identical action through once, and nothing else", () => {
    let r = ok(approve(request({ required: 1, delaySeconds: 0 }), approver("bob"), DIGEST, T0));
    r = ok(advance(r, T0) as Transition);
    expect(use(r, OTHER, T0)).toMatchObject({ ok: false, code: "digest_mismatch" });
    const used = ok(use(r, DIGEST, T0));
    expect(used.status).toBe("used");
    expect(use(used, DIGEST, T0)).toMatchObject({ ok: false, code: "request_closed" });
  });

  it("expires a request that is still pending, or approved but unused, at its expiry", () => {
    const r = request();
    expect(ok(advance(r, T0 + 3_600_000) as Transition).status).toBe("expired");
    let quick = ok(approve(request({ required: 1, delaySeconds: 0 }), approver("bob"), DIGEST, T0));
    quick = ok(advance(quick, T0) as Transition);
    expect(ok(advance(quick, T0 + 3_600_000) as Transition).status).toBe("expired");
  });

  it("takes no votes once closed", () => {
    const expired = ok(advance(request(), T0 + 3_600_000) as Transition);
    expect(approve(expired, approver("bob"), DIGEST, T0 + 3_600_001)).toMatchObject({
      ok: false,
      code: "request_closed",
    });
  });
});

describe("cancel", () => {
  it("is for admins, on open requests", () => {
    expect(cancel(request(), approver("bob"), T0)).toMatchObject({ ok: false, code: "wrong_role" });
    const cancelled = ok(cancel(request(), admin, T0));
    expect(cancelled).toMatchObject({ status: "cancelled", closedBy: "root" });
    expect(cancel(cancelled, admin, T0)).toMatchObject({ ok: false, code: "request_closed" });
  });
});
