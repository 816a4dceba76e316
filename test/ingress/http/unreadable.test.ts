import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../../src/store/sqlite/store.js";
import { call, makeToken, startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let agent: string;

beforeAll(async () => {
  server = await startTestServer();
  agent = makeToken(server.dataDir, ["--name", "bot", "--role", "agent", "--on-behalf-of", "ann"]);
});

afterAll(async () => {
  await server?.stop();
});

async function lastEntry(): Promise<Record<string, unknown>> {
  const store = await SqliteStore.open(server.dataDir, { readonly: true });
  try {
    const entry = await store.auditEntry((await store.auditSize()) - 1);
    return JSON.parse(entry?.bytes ?? "{}") as Record<string, unknown>;
  } finally {
    await store.close();
  }
}

/**
 * Input airlock cannot judge is denied with a code that says why, and the denial is in the audit log
 * (before: `deny store_unavailable`, and no entry, because the entry itself could not be written).
 */
describe("text and nesting airlock cannot judge", () => {
  it.each([
    ["a lone surrogate in the intent", { kind: "shell", command: "ls", intent: "tidy \ud800 up" }, "intent"],
    ["a lone surrogate in a command", { kind: "shell", command: "rm -rf /tmp/\udc00x" }, "command"],
    [
      "a lone surrogate in a key",
      { kind: "mcp", server: "fs", tool: "write", arguments: { "\ud800": "x" } },
      "arguments.(a key)",
    ],
  ])("%s: deny invalid_action, audited", async (_name, action, field) => {
    const r = await call(server, "POST", "/v1/actions", agent, action);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ decision: "deny", code: "invalid_action" });
    expect(String((r.json.reasons as string[])[0])).toContain(`"${field}"`);
    const entry = await lastEntry();
    expect(entry).toMatchObject({ type: "action", agent: "bot", decision: { code: "invalid_action" } });
    expect(JSON.stringify(entry)).toContain("\ufffd");
  });

  it("nesting 10,000 levels deep: deny parse_limit, audited", async () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const body = `{"kind":"mcp","server":"fs","tool":"write","arguments":{"content":${deep}}}`;
    const r = await call(server, "POST", "/v1/actions", agent, body);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ decision: "deny", code: "parse_limit" });
    const entry = await lastEntry();
    expect(entry).toMatchObject({ type: "action", decision: { code: "parse_limit" } });
    expect(JSON.stringify(entry)).toContain("not kept");
  });

  it("still judges deep but reasonable input", async () => {
    const nested = JSON.parse(`${"[".repeat(100)}"x"${"]".repeat(100)}`) as unknown;
    const r = await call(server, "POST", "/v1/actions", agent, {
      kind: "mcp",
      server: "fs",
      tool: "read_file",
      arguments: { path: "/tmp/x", extra: nested },
    });
    expect(r.json.code).not.toBe("parse_limit");
    expect(r.json.code).not.toBe("store_unavailable");
  });
});
