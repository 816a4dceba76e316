import { describe, expect, it, vi } from "vitest";
import type { Decision, RequestStatus } from "../../../src/action/decision.js";
import type { RequestResult } from "../../../src/sdk/client.js";
import type { RequestWatcher } from "../../../src/sdk/follow-hold.js";
import { decision, probeServer, textOf, throughProxy } from "./in-process.js";

const REQUEST = {
  id: "req-1",
  status: "pending" as const,
  url: "http://airlock/r/req-1",
  expiresAt: "2030-01-01T00:00:00Z",
};
const HELD = decision("hold", {
  request: REQUEST,
  approvals: { required: 1, delaySeconds: 0, expiresInSeconds: 3600 },
});

/** A server whose request goes through `statuses`, one per look, staying at the last. */
function watcher(...statuses: RequestStatus[]): RequestWatcher & { looks: number } {
  const w = {
    looks: 0,
    async request(id: string): Promise<RequestResult> {
      const status = statuses[Math.min(w.looks++, statuses.length - 1)] ?? "pending";
      return { ok: true, request: { ...REQUEST, id, status, digest: "d" } };
    },
  };
  return w;
}

function decider(first: Decision, then: Decision) {
  let calls = 0;
  return { decide: vi.fn(async () => (calls++ === 0 ? first : then)) };
}

describe("the MCP proxy waiting for a held call (--wait)", () => {
  it("keeps the call open with progress, then forwards it on the one-time allow", async () => {
    const { server, ran } = probeServer();
    const d = decider(HELD, decision("allow", { code: "released" }));
    const w = watcher("pending", "pending", "approved");
    const { client } = await throughProxy(server, {
      decider: d,
      hold: { watcher: w, waitMs: 60_000, intervalMs: 5 },
    });
    const progress: string[] = [];
    const result = await client.callTool(
      { name: "delete_records", arguments: { table: "users" } },
      undefined,
      {
        onprogress: (p) => progress.push(p.message ?? ""),
      },
    );
    expect(textOf(result)).toBe("deleted users");
    expect(ran.delete_records).toBe(1);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[0]).toContain("req-1");
    expect(progress[0]).toContain("http://airlock/r/req-1");
    // The identical Action, submitted again for the release.
    expect(d.decide).toHaveBeenCalledTimes(2);
    const [first, second] = d.decide.mock.calls as unknown[][];
    expect(second?.[0]).toEqual(first?.[0]);
  });

  it("denies when the approver refuses", async () => {
    const { server, ran } = probeServer();
    const refused = decision("deny", { code: "request_closed", reasons: ["an approver refused it"] });
    const { client } = await throughProxy(server, {
      decider: decider(HELD, refused),
      hold: { watcher: watcher("denied"), waitMs: 60_000, intervalMs: 5 },
    });
    const result = await client.callTool({ name: "delete_records", arguments: { table: "users" } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("an approver refused it");
    expect(textOf(result)).toContain("do not retry it unchanged");
    expect(ran.delete_records).toBe(0);
  });

  it("answers with the hold when the time runs out", async () => {
    const { server, ran } = probeServer();
    const { client } = await throughProxy(server, {
      decider: decider(HELD, HELD),
      hold: { watcher: watcher("pending"), waitMs: 50, intervalMs: 10 },
    });
    const result = await client.callTool({ name: "delete_records", arguments: { table: "users" } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("still pending");
    expect(textOf(result)).toContain("retry the identical call");
    expect(ran.delete_records).toBe(0);
  });

  it("keeps an approved call held until its mandatory wait has passed", async () => {
    const { server } = probeServer();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const w: RequestWatcher = {
      request: async (id) => ({
        ok: true,
        request: { ...REQUEST, id, status: "approved", releasableAt: later, digest: "d" },
      }),
    };
    const d = decider(HELD, decision("allow"));
    const { client } = await throughProxy(server, {
      decider: d,
      hold: { watcher: w, waitMs: 60, intervalMs: 10 },
    });
    const result = await client.callTool({ name: "delete_records", arguments: { table: "users" } });
    expect(result.isError).toBe(true);
    expect(d.decide).toHaveBeenCalledTimes(1);
  });

  it("stops waiting when the client cancels, and never forwards the call", async () => {
    const { server, ran } = probeServer();
    const d = decider(HELD, decision("allow"));
    const w = watcher("pending");
    const { client } = await throughProxy(server, {
      decider: d,
      hold: { watcher: w, waitMs: 60_000, intervalMs: 5 },
    });
    const abort = new AbortController();
    const call = client.callTool({ name: "delete_records", arguments: { table: "users" } }, undefined, {
      signal: abort.signal,
      onprogress: () => abort.abort("the user gave up"),
    });
    await expect(call).rejects.toThrow();
    const looksAtCancel = w.looks;
    await new Promise((r) => setTimeout(r, 50));
    expect(w.looks).toBeLessThanOrEqual(looksAtCancel + 1);
    expect(d.decide).toHaveBeenCalledTimes(1);
    expect(ran.delete_records).toBe(0);
  });
});
