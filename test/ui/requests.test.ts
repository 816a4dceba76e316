import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateSignerKey, verifierFromSigner } from "../../src/audit/note-keys.js";
import { DELETE_STACK, type Fixture, form, pagesFixture, people, signIn } from "./fixture.js";

let f: Fixture;
beforeEach(async () => {
  f = await pagesFixture();
});
afterEach(async () => {
  await f.store.close();
});

async function held(action: Record<string, unknown> = DELETE_STACK) {
  const decision = await f.service.submit(action, people.kiro);
  expect(decision.decision).toBe("hold");
  return { id: decision.request?.id ?? "", digest: decision.digest ?? "" };
}

async function page(path: string, cookie: string) {
  const res = await f.app.request(path, { headers: { cookie } });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe("the requests page", () => {
  it("says in plain words what is held, why, how far it reaches, and what it still needs", async () => {
    const { id, digest } = await held();
    const bob = await signIn(f, "bob");
    const { status, text } = await page("/requests", bob.cookie);
    expect(status).toBe(200);
    for (const words of [
      "Delete stack cost-explorer-prod",
      "cloudformation:DeleteStack",
      "fix a minor bug by recreating the stack",
      "cannot be undone (irreversible)",
      "reaches a whole environment",
      "environment: production",
      "production-destruction",
      "agent <strong>kiro</strong> acting for <strong>alice</strong>",
      "0 of 2 approvals",
      "a mandatory wait of 10 min begins",
      `href="/requests/${id}"`,
      `name="digest" value="${digest}"`,
      `name="csrf" value="${bob.csrf}"`,
    ]) {
      expect(text).toContain(words);
    }
  });

  it("shows what the PostgreSQL proxy measured: the rows a DELETE matches and the copy to be made", async () => {
    const { id } = await held({
      kind: "sql",
      engine: "postgres",
      sql: "DELETE FROM orders WHERE created_at < now() - interval '1 day'",
      database: "orders",
      context: { environment: "production" },
      preview: {
        kind: "rows",
        rows: 7000,
        snapshot: { copy: true, into: 'airlock_backup."orders_0a1b2c3d4e5f"' },
      },
    });
    const { text } = await page(`/requests/${id}`, (await signIn(f, "bob")).cookie);
    expect(text).toContain("<dt>preview</dt>");
    expect(text).toContain("&quot;rows&quot;: 7000");
    expect(text).toContain("airlock_backup.\\&quot;orders_0a1b2c3d4e5f");
  });

  it("escapes everything the agent sent", async () => {
    await held({ ...DELETE_STACK, intent: `<script>alert("x")</script><img src=x onerror=alert(1)>` });
    const { text } = await page("/requests", (await signIn(f, "bob")).cookie);
    expect(text).not.toContain("<script>alert");
    expect(text).not.toContain("<img src=x");
    expect(text).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  });

  it("sends security headers and no inline script", async () => {
    await held();
    const { text, headers } = await page("/requests", (await signIn(f, "bob")).cookie);
    expect(headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("cache-control")).toBe("no-store");
    expect([...text.matchAll(/<script[^>]*>/g)].map((m) => m[0])).toEqual([
      '<script src="/ui/countdown.js" defer="">',
    ]);
    const js = await f.app.request("/ui/countdown.js");
    expect(js.headers.get("content-type")).toContain("text/javascript");
    expect((await f.app.request("/ui/style.css")).headers.get("content-type")).toContain("text/css");
  });

  it("keeps its headers and form limit off the JSON API", async () => {
    const res = await f.app.request("/v1/anything");
    expect(res.headers.get("content-security-policy")).toBeNull();
  });

  it("records a vote bound to the digest shown, and shows the countdown once the approvals are in", async () => {
    const { id, digest } = await held();
    for (const who of ["bob", "carol"] as const) {
      const s = await signIn(f, who);
      const res = await f.app.request(
        `/requests/${id}/vote`,
        form({ csrf: s.csrf, digest, verdict: "approve", comment: `ok from ${who}` }, { cookie: s.cookie }),
      );
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`/requests/${id}?done=approve`);
    }
    const r = await f.service.get(id);
    expect(r?.approvals.map((v) => v.by)).toEqual(["bob", "carol"]);
    const { text } = await page(`/requests/${id}?done=approve`, (await signIn(f, "bob")).cookie);
    expect(text).toContain("Your approval is recorded");
    expect(text).toContain("2 of 2 approvals");
    expect(text).toContain("ok from carol");
    expect(text).toMatch(
      /releasable in <time class="clock"[^>]* data-until="[^"]+"[^>]*>(9 min 59 s|10 min)<\/time>/,
    );
  });

  it("refuses a vote without the session's CSRF token, or from another site", async () => {
    const { id, digest } = await held();
    const bob = await signIn(f, "bob");
    const vote = { digest, verdict: "approve" };
    const attempts = [
      form(vote, { cookie: bob.cookie }),
      form({ ...vote, csrf: `${bob.csrf.slice(1)}x` }, { cookie: bob.cookie }),
      form({ ...vote, csrf: bob.csrf }, { cookie: bob.cookie, "sec-fetch-site": "cross-site" }),
      form({ ...vote, csrf: bob.csrf }, { cookie: bob.cookie, origin: "https://evil.example" }),
    ];
    for (const attempt of attempts) {
      expect((await f.app.request(`/requests/${id}/vote`, attempt)).status).toBe(403);
    }
    expect((await f.service.get(id))?.approvals).toEqual([]);
  });

  it("says plainly why a vote is refused: four eyes, twice, another digest", async () => {
    const { id, digest } = await held();
    const alice = await signIn(f, "alice");
    const shown = await page(`/requests/${id}`, alice.cookie);
    expect(shown.text).toContain("Someone else must review this: the agent that asked for it acts for you.");
    expect(shown.text).not.toContain('value="approve"');
    const vote = (s: { csrf: string; cookie: string }, d = digest) =>
      f.app.request(
        `/requests/${id}/vote`,
        form({ csrf: s.csrf, digest: d, verdict: "approve" }, { cookie: s.cookie }),
      );

    const fourEyes = await vote(alice);
    expect(fourEyes.status).toBe(403);
    expect(await fourEyes.text()).toContain("alice cannot vote on this request");

    const bob = await signIn(f, "bob");
    const swapped = await vote(bob, "0".repeat(64));
    expect(swapped.status).toBe(409);
    expect(await swapped.text()).toContain("The request is not the one you reviewed; nothing was recorded.");

    expect((await vote(bob)).status).toBe(303);
    const twice = await vote(bob);
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain("You have already voted on this request");
    expect((await page(`/requests/${id}`, bob.cookie)).text).toContain("bob has already voted");
  });

  it("gives an admin a cancel button instead of a vote, and the history shows the result", async () => {
    const { id } = await held();
    const root = await signIn(f, "root");
    const shown = await page(`/requests/${id}`, root.cookie);
    expect(shown.text).toContain("Cancel request");
    expect(shown.text).not.toContain('value="approve"');
    const res = await f.app.request(
      `/requests/${id}/cancel`,
      form({ csrf: root.csrf, comment: "not today" }, { cookie: root.cookie }),
    );
    expect(res.status).toBe(303);
    expect((await f.service.get(id))?.status).toBe("cancelled");
    const history = await page("/history", root.cookie);
    expect(history.text).toContain('data-status="cancelled"');
    expect(history.text).toContain("Delete stack cost-explorer-prod");
    expect(history.text).toContain("by root");
  });

  it("answers an unknown request with 404, saying so", async () => {
    const { status, text } = await page("/requests/r_missing", (await signIn(f, "bob")).cookie);
    expect(status).toBe(404);
    expect(text).toContain("There is no request r_missing");
  });
});

describe("the audit page", () => {
  it("shows the log's size and verifies the latest checkpoint with the server's key", async () => {
    await held();
    await f.checkpointer.checkpoint();
    const bob = await signIn(f, "bob");
    const { text } = await page("/audit", bob.cookie);
    const entries = await f.store.auditSize();
    expect(text).toContain(`${entries} entries, 1 signed checkpoint.`);
    expect(text).toContain('data-verified="true"');
    expect(text).toContain('data-full="ok"');
  });

  it("says so when the checkpoint does not verify with the server's key", async () => {
    const someoneElse = verifierFromSigner(generateSignerKey("airlock.test/ui"));
    await f.store.close();
    f = await pagesFixture({ verifierKey: someoneElse });
    await held();
    await f.checkpointer.checkpoint();
    const { text } = await page("/audit", (await signIn(f, "bob")).cookie);
    expect(text).toContain('data-verified="false"');
    expect(text).toContain("Signature NOT verified");
    expect(text).toContain('data-full="failed"');
  });
});
