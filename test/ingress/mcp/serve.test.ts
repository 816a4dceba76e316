import { type ChildProcess, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AirlockClient } from "../../../src/sdk/client.js";
import { BIN, decisionOf, FILESYSTEM, proxiedClient, startProcess, tempDir, textOf } from "./harness.js";

/** A held write through `airlock mcp` connected to a real `airlock serve`, approved by a person. */
describe("airlock mcp connected to airlock serve", () => {
  const dir = tempDir();
  const root = tempDir();
  const file = join(root, "app.conf");
  const write = { name: "write_file", arguments: { path: file, content: "v2\n" } };
  let server: ChildProcess;
  let env: Record<string, string>;
  let approver: AirlockClient;

  const token = (args: string[]) =>
    spawnSync(process.execPath, [BIN, "token", "create", "--data-dir", join(dir, "data"), ...args], {
      encoding: "utf8",
    }).stdout.trim();

  /** Approve a request, as the approver who reviewed its digest. */
  async function approve(id: string): Promise<string> {
    const view = await approver.request(id);
    if (!view.ok) throw new Error(`no request ${id}: ${view.error}`);
    const vote = await approver.vote(id, "approve", view.request.digest, "looks right");
    if (!vote.ok) throw new Error(`approval refused: ${vote.error}`);
    return id;
  }

  beforeAll(async () => {
    const policy = join(dir, "policy.yaml");
    writeFileSync(
      policy,
      [
        "version: 1",
        "name: one-approval",
        "rules:",
        "  - id: writes-need-one",
        "    reason: A write needs one approval",
        '    match: { tool: "filesystem/write_file" }',
        "    decision: hold",
        "    approvals: { required: 1, delaySeconds: 0, expiresInSeconds: 900 }",
        "  - id: rest",
        "    reason: Anything else is fine here",
        "    match: {}",
        "    decision: allow",
        "",
      ].join("\n"),
    );
    const agent = token(["--name", "agent-1", "--role", "agent", "--on-behalf-of", "bob"]);
    const carol = token(["--name", "carol", "--role", "approver"]);
    const started = await startProcess(
      process.execPath,
      [BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data"), "--policy", policy],
      /listening on (http:\/\/\S+)/,
    );
    server = started.child;
    const url = started.match[1] ?? "";
    env = { AIRLOCK_URL: url, AIRLOCK_TOKEN: agent };
    approver = new AirlockClient({ url, token: carol });
  });
  afterAll(() => {
    server?.kill();
  });

  it("answers a hold with the request, and lets the identical retry through once after approval", async () => {
    writeFileSync(file, "v1\n");
    const { client } = await proxiedClient(["--name", "filesystem", "--", FILESYSTEM, root], env);
    try {
      const held = await client.callTool(write);
      expect(decisionOf(held)?.decision).toBe("hold");
      expect(textOf(held)).toContain("retry the identical call");
      await approve(decisionOf(held)?.request?.id ?? "");
      expect(readFileSync(file, "utf8")).toBe("v1\n");
      const released = await client.callTool(write);
      expect(released.isError).toBeFalsy();
      expect(readFileSync(file, "utf8")).toBe("v2\n");
      const again = await client.callTool(write);
      expect(decisionOf(again)?.decision).toBe("hold");
    } finally {
      await client.close();
    }
  });

  it("with --wait, keeps the call open with progress and forwards it once approved", async () => {
    writeFileSync(file, "v1\n");
    const { client } = await proxiedClient(
      ["--name", "filesystem", "--wait", "60", "--", FILESYSTEM, root],
      env,
    );
    try {
      let approval: Promise<string> | undefined;
      const messages: string[] = [];
      const result = await client.callTool(write, undefined, {
        timeout: 120_000,
        onprogress: (p) => {
          messages.push(p.message ?? "");
          approval ??= approve(/request (\S+) \(/.exec(p.message ?? "")?.[1] ?? "");
        },
      });
      expect(await approval).toMatch(/^r_/);
      expect(messages[0]).toContain("waiting for approval of request");
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toContain("Successfully wrote");
      expect(readFileSync(file, "utf8")).toBe("v2\n");
    } finally {
      await client.close();
    }
  });
});
