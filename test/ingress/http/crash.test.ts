import { describe, expect, it } from "vitest";
import { SqliteStore } from "../../../src/store/sqlite/store.js";
import { makeToken, startTestServer, until, verifyAudit } from "./harness.js";

/**
 * Nothing acknowledged is lost: kill the server with SIGKILL in the middle of a burst, and every
 * action it answered must be in the audit log, which must still verify.
 */
describe("a server killed mid-burst", () => {
  it("keeps every acknowledged entry and a log that verifies", async () => {
    const server = await startTestServer();
    const token = makeToken(server.dataDir, ["--name", "burst", "--role", "agent", "--on-behalf-of", "gil"]);
    const acknowledged: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const id = `w${w}-${i}`;
        try {
          const response = await fetch(`${server.url}/v1/actions`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify({
              id,
              kind: "shell",
              command: `kubectl --context prod delete pod api-${i}`,
              intent: `burst ${id}`,
            }),
          });
          const decision = (await response.json()) as { id?: string; decision: string };
          if (response.ok && decision.id === id) acknowledged.push(id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 16 }, (_, w) => worker(w));
    await until(async () => (acknowledged.length >= 300 ? true : undefined), 20);
    server.process.kill("SIGKILL");
    stop = true;
    await Promise.all(workers);

    const store = await SqliteStore.open(server.dataDir, { readonly: true });
    const recorded = new Set<string>();
    for await (const entry of store.auditEntries()) {
      const parsed = JSON.parse(entry.bytes) as { type: string; action?: { id?: string } };
      if (parsed.type === "action" && parsed.action?.id) recorded.add(parsed.action.id);
    }
    await store.close();
    const missing = acknowledged.filter((id) => !recorded.has(id));
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    expect(missing).toEqual([]);

    const verify = verifyAudit(server);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });
});
