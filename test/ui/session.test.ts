import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { revokeTokens } from "../../src/approvals/tokens.js";
import { SESSION_HOURS } from "../../src/ui/session.js";
import { entries } from "../approvals/monitor-fixtures.js";
import { type Fixture, form, pagesFixture, sha256, signIn } from "./fixture.js";

let f: Fixture;
beforeEach(async () => {
  f = await pagesFixture();
});
afterEach(async () => {
  await f.store.close();
});

function audit() {
  return entries(f.store);
}

describe("signing in to the approvers' page", () => {
  it("sends a person without a session to the sign-in page, and back afterwards", async () => {
    const res = await f.app.request("/requests/r_x");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?next=%2Frequests%2Fr_x");
    const back = await f.app.request("/login", form({ token: f.tokens.bob, next: "/requests/r_x" }));
    expect(back.headers.get("location")).toBe("/requests/r_x");
  });

  it("sets an HttpOnly, SameSite=Strict session cookie whose value the store keeps only hashed", async () => {
    const res = await f.app.request("/login", form({ token: f.tokens.bob }));
    expect(res.status).toBe(303);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^airlock_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/");
    expect(cookie).not.toContain("Secure");
    const value = /airlock_session=([^;]+)/.exec(cookie)?.[1] ?? "";
    expect(await f.store.findSession(value)).toBeUndefined();
    expect(await f.store.findSession(sha256(value))).toMatchObject({ name: "bob" });
  });

  it("marks the cookie Secure when the page is reached over https", async () => {
    const res = await f.app.request(
      "https://airlock.test/login",
      form({ token: f.tokens.bob }, { origin: "https://airlock.test" }),
    );
    expect(res.headers.get("set-cookie")).toContain("Secure");
  });

  it("refuses agents: approvals come from people", async () => {
    const res = await f.app.request("/login", form({ token: f.tokens.kiro }));
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("kiro is an agent. Agents cannot sign in");
    expect((await audit()).at(-1)).toMatchObject({
      type: "request.rejected",
      path: "/login",
      by: "kiro",
      code: "wrong_role",
    });
  });

  it("refuses an unknown token and a revoked one", async () => {
    expect((await f.app.request("/login", form({ token: "alk_nope" }))).status).toBe(401);
    await revokeTokens(f.store, "bob", "test");
    const res = await f.app.request("/login", form({ token: f.tokens.bob }));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("unknown or revoked");
  });

  it("does not redirect to another site after signing in", async () => {
    for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      const res = await f.app.request("/login", form({ token: f.tokens.bob, next }));
      expect(res.headers.get("location")).toBe("/requests");
    }
  });

  it("ends the session on sign-out, and only with the session's CSRF token", async () => {
    const { cookie, csrf } = await signIn(f, "bob");
    const forged = await f.app.request("/logout", form({ csrf: "x" }, { cookie }));
    expect(forged.status).toBe(403);
    expect((await f.app.request("/requests", { headers: { cookie } })).status).toBe(200);
    const out = await f.app.request("/logout", form({ csrf }, { cookie }));
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/airlock_session=;.*Max-Age=0/);
    expect((await f.app.request("/requests", { headers: { cookie } })).status).toBe(303);
  });

  it(`ends a session after ${SESSION_HOURS} hours, and when its token is revoked`, async () => {
    const bob = await signIn(f, "bob");
    const carol = await signIn(f, "carol");
    f.clock.now += SESSION_HOURS * 3600_000 - 1000;
    expect((await f.app.request("/requests", { headers: { cookie: bob.cookie } })).status).toBe(200);
    await revokeTokens(f.store, "carol", "test");
    expect((await f.app.request("/requests", { headers: { cookie: carol.cookie } })).status).toBe(303);
    f.clock.now += 1000;
    expect((await f.app.request("/requests", { headers: { cookie: bob.cookie } })).status).toBe(303);
  });

  it("refuses a sign-in form posted from another site", async () => {
    const cross = await f.app.request(
      "/login",
      form({ token: f.tokens.bob }, { "sec-fetch-site": "cross-site" }),
    );
    expect(cross.status).toBe(403);
    const origin = await f.app.request(
      "/login",
      form({ token: f.tokens.bob }, { origin: "https://evil.example" }),
    );
    expect(origin.status).toBe(403);
    expect(origin.headers.get("set-cookie")).toBeNull();
  });
});
