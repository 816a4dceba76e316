import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openCheckpoint } from "../../src/audit/checkpoint.js";
import { call, makeToken, startTestServer, verifyAudit } from "../ingress/http/harness.js";
import { SECRET, startReceiver } from "./receiver.js";

/**
 * Signed checkpoints go to the webhooks that subscribe to `checkpoint`: a copy the log's host cannot
 * take back, which `audit verify --from` checks the log against later.
 */
describe("checkpoints sent to a webhook", () => {
  it("arrive signed, and the log verifies against one", async () => {
    const receiver = await startReceiver();
    const dir = mkdtempSync(join(tmpdir(), "airlock-notify-checkpoint-"));
    const dataDir = join(dir, "data");
    writeFileSync(
      join(dir, "airlock.yaml"),
      `version: 1
checkpointSeconds: 1
notify:
  webhooks:
    - { name: evidence, url: "${receiver.url}", secretEnv: AIRLOCK_TEST_HOOK_SECRET, events: [checkpoint] }
`,
    );
    process.env.AIRLOCK_TEST_HOOK_SECRET = SECRET;
    const agent = makeToken(dataDir, ["--name", "bot", "--role", "agent", "--on-behalf-of", "ann"]);
    const server = await startTestServer({ dataDir, args: ["--config", join(dir, "airlock.yaml")] });
    try {
      await receiver.waitFor(1);
      await call(server, "POST", "/v1/actions", agent, { kind: "shell", command: "ls" });
      const received = await receiver.waitFor(2);
      const event = JSON.parse(received.at(-1)?.body ?? "{}") as {
        type: string;
        event: string;
        details: { size: number; note: string };
      };
      expect(event).toMatchObject({ type: "audit.checkpoint", event: "checkpoint" });
      const opened = openCheckpoint(event.details.note, server.verifierKey);
      expect(opened.ok && opened.checkpoint.size).toBe(event.details.size);
      writeFileSync(join(dir, "saved.checkpoint"), event.details.note);
    } finally {
      await server.stop();
      await receiver.close();
    }
    const run = verifyAudit(server, "--from", join(dir, "saved.checkpoint"));
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });
});
