import { describe, expect, it, vi } from "vitest";
import type { Decision } from "../../../src/action/decision.js";
import { deniedToolFilter } from "../../../src/ingress/mcp/hide-denied.js";
import { decisionOf } from "./harness.js";
import { decision, probeServer, textOf, throughProxy } from "./in-process.js";

function deciding(...answers: (Decision | (() => Promise<Decision>))[]) {
  const queue = [...answers];
  return {
    decide: vi.fn(async (_action: unknown) => {
      const next = queue.length > 1 ? queue.shift() : queue[0];
      return typeof next === "function" ? next() : (next as Decision);
    }),
  };
}

describe("the MCP proxy's gate on tools/call", () => {
  it("turns the call into an mcp Action with the annotations the server declared, even unlisted", async () => {
    const { server, ran } = probeServer();
    const decider = deciding(decision("allow"));
    const { client } = await throughProxy(server, { decider });
    // The client never listed the tools: the proxy lists them itself to learn the annotations.
    const result = await client.callTool({ name: "delete_records", arguments: { table: "users" } });
    expect(textOf(result)).toBe("deleted users");
    expect(ran.delete_records).toBe(1);
    expect(decider.decide).toHaveBeenCalledWith(
      {
        kind: "mcp",
        server: "probe",
        tool: "delete_records",
        arguments: { table: "users" },
        annotations: { destructiveHint: true, readOnlyHint: false },
      },
      expect.any(AbortSignal),
    );
  });

  it("judges a tool the server never listed without annotations", async () => {
    const { server } = probeServer();
    const decider = deciding(decision("allow"));
    const { client } = await throughProxy(server, { decider });
    const result = await client.callTool({ name: "no_such_tool", arguments: {} });
    expect(decider.decide.mock.calls[0]?.[0]).toEqual({
      kind: "mcp",
      server: "probe",
      tool: "no_such_tool",
      arguments: {},
    });
    expect(result.isError).toBe(true); // the server's own answer, forwarded
  });

  it("answers a deny with an isError result that says why, and never calls the server", async () => {
    const { server, ran } = probeServer();
    const denied = decision("deny", {
      reasons: ["Wiping is never left to an agent"],
      rules: ["wipe-denied"],
    });
    const { client } = await throughProxy(server, { decider: deciding(denied) });
    const result = await client.callTool({ name: "delete_records", arguments: { table: "users" } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("airlock denied this call to probe/delete_records");
    expect(textOf(result)).toContain("Wiping is never left to an agent");
    expect(textOf(result)).toContain("wipe-denied");
    expect(decisionOf(result)?.decision).toBe("deny");
    expect(ran.delete_records).toBe(0);
  });

  it("fails closed when the decider throws, answers nonsense or does not answer in time", async () => {
    const { server, ran } = probeServer();
    const broken = { decide: async () => Promise.reject(new Error("disk on fire")) };
    const nonsense = { decide: async () => ({ decision: "sure" }) as unknown as Decision };
    const silent = { decide: () => new Promise<Decision>(() => {}) };
    for (const [decider, words] of [
      [broken, "disk on fire"],
      [nonsense, "not a Decision"],
      [silent, "did not decide this call within"],
    ] as const) {
      const { client } = await throughProxy(server, { decider, decideTimeoutMs: 50 });
      const result = await client.callTool({ name: "delete_records", arguments: { table: "t" } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(words);
      expect(decisionOf(result)?.code).toBe("analysis_error");
      await client.close();
    }
    expect(ran.delete_records).toBe(0);
  });

  it("answers a hold at once with the request to approve and the instruction to retry", async () => {
    const { server, ran } = probeServer();
    const held = decision("hold", {
      approvals: { required: 2, delaySeconds: 600, expiresInSeconds: 3600 },
      request: {
        id: "req-7",
        status: "pending",
        url: "http://airlock/r/req-7",
        expiresAt: "2030-01-01T00:00:00Z",
      },
    });
    const { client } = await throughProxy(server, { decider: deciding(held) });
    const result = await client.callTool({ name: "delete_records", arguments: { table: "users" } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("req-7");
    expect(textOf(result)).toContain("http://airlock/r/req-7");
    expect(textOf(result)).toContain("retry the identical call");
    expect(ran.delete_records).toBe(0);
  });

  it("says a standalone hold cannot be approved here", async () => {
    const { server } = probeServer();
    const held = decision("hold", { approvals: { required: 1, delaySeconds: 0, expiresInSeconds: 3600 } });
    const { client } = await throughProxy(server, { decider: deciding(held) });
    const result = await client.callTool({ name: "delete_records", arguments: { table: "users" } });
    expect(textOf(result)).toContain("not connected to an airlock server");
  });

  it("hides from tools/list what the policy always denies, and still gates a call to it", async () => {
    const { server, ran } = probeServer();
    const policy = {
      decide: async (action: unknown) =>
        decision((action as { tool: string }).tool === "delete_records" ? "deny" : "allow"),
    };
    const { client } = await throughProxy(server, { decider: policy, toolFilter: deniedToolFilter(policy) });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["read_notes"]);
    const result = await client.callTool({ name: "delete_records", arguments: { table: "users" } });
    expect(result.isError).toBe(true);
    expect(ran.delete_records).toBe(0);
  });
});
