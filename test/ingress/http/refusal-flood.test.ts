import { describe, expect, it } from "vitest";
import { REFUSALS_PER_WINDOW } from "../../../src/approvals/refusal-throttle.js";
import { SqliteStore } from "../../../src/store/sqlite/store.js";
import { call, makeToken, startTestServer, type TestServer } from "./harness.js";

async function logBytes(dataDir: string): Promise<{ bytes: number; entries: Record<string, unknown>[] }> {
  const store = await SqliteStore.open(dataDir, { readonly: true });
  try {
    let bytes = 0;
    const entries: Record<string, unknown>[] = [];
    for await (const e of store.auditEntries()) {
      bytes += e.bytes.length;
      entries.push(JSON.parse(e.bytes) as Record<string, unknown>);
    }
    return { bytes, entries };
  } finally {
    await store.close();
  }
}

async function signIn(server: TestServer, token: string) {
  const response = await fetch(`${server.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
    body: new URLSearchParams({ token }).toString(),
  });
  await response.text();
  return response.status;
}

/**
 * Calls that decide nothing cannot grow the audit log without bound (before: 500 calls with a 15 KB
 * id added 7.3 MiB), and failed sign-ins are rate limited, while an agent with a valid token from the
 * same address keeps getting every decision, each audited.
 */
describe("a flood of refused calls", () => {
  it("is logged up to a budget, with bounded fields, then answered 429 and counted in one entry", async () => {
    const server = await startTestServer();
    const agent = makeToken(server.dataDir, ["--name", "bot", "--role", "agent", "--on-behalf-of", "ann"]);
    const before = await logBytes(server.dataDir);
    const id = `r_${"x".repeat(15 * 1024)}`;
    const statuses: number[] = [];
    const decisions: unknown[] = [];
    for (let i = 0; i < 500; i++) {
      const r = await call(server, "POST", `/v1/requests/${id}/approve`, undefined, {
        digest: "a".repeat(64),
      });
      statuses.push(r.status);
      if (i % 50 === 0) {
        const d = await call(server, "POST", "/v1/actions", agent, {
          kind: "shell",
          command: `ls /tmp/${i}`,
        });
        decisions.push(d.json.decision);
      }
    }
    expect(statuses.filter((s) => s === 401).length).toBe(REFUSALS_PER_WINDOW);
    expect(statuses.filter((s) => s === 429).length).toBe(500 - REFUSALS_PER_WINDOW);
    expect(decisions).toEqual(Array(10).fill("allow"));

    // Failed sign-ins from one address: refused, then rate limited before the token is looked at.
    const failed: number[] = [];
    for (let i = 0; i < REFUSALS_PER_WINDOW + 5; i++) failed.push(await signIn(server, `alk_wrong${i}`));
    expect(failed.slice(0, REFUSALS_PER_WINDOW)).toEqual(Array(REFUSALS_PER_WINDOW).fill(401));
    expect(failed.slice(REFUSALS_PER_WINDOW)).toEqual(Array(5).fill(429));

    expect(await server.stop()).toBe(0);
    const after = await logBytes(server.dataDir);
    const added = after.entries.slice(before.entries.length);
    // Every decision is there; the refusals are there, cut to size, and the rest counted.
    expect(added.filter((e) => e.type === "action").length).toBe(10);
    const rejected = added.filter((e) => e.type === "request.rejected");
    expect(rejected.filter((e) => e.code === "unauthorized").length).toBe(2 * REFUSALS_PER_WINDOW);
    const counted = rejected.filter((e) => e.code === "rate_limited");
    expect(counted.map((e) => e.count).sort()).toEqual([470, 5].sort());
    for (const e of rejected) expect(String(e.path ?? "").length).toBeLessThan(400);
    expect(after.bytes - before.bytes).toBeLessThan(64 * 1024);
  });
});
