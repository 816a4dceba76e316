import { spawn, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, PROBE } from "./harness.js";

/** Run `airlock mcp ARGS…`, write JSON-RPC lines to it, and collect everything until it exits. */
async function session(args: string[], messages: object[], closeInput = false) {
  const child = spawn(process.execPath, [BIN, "mcp", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  for (const m of messages) child.stdin.write(`${JSON.stringify(m)}\n`);
  if (closeInput) child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const lines = stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map(
      (l) => JSON.parse(l) as { id?: number; result?: unknown; error?: { code: number; message: string } },
    );
  return { code, lines, stderr };
}

const INIT = [
  {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
  },
  { jsonrpc: "2.0", method: "notifications/initialized" },
];

describe("airlock mcp when things break", () => {
  it("answers pending calls with JSON-RPC errors and exits non-zero when the upstream server dies", async () => {
    const run = await session(
      ["--name", "probe", "--env", "development", "--", process.execPath, PROBE],
      [
        ...INIT,
        { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "read_and_crash", arguments: {} } },
      ],
    );
    expect(run.code).toBe(1);
    const answer = run.lines.find((l) => l.id === 2);
    expect(answer?.error?.code).toBe(-32000);
    expect(answer?.error?.message).toContain('upstream MCP server "probe" exited with code 3');
    expect(run.stderr).toContain('airlock mcp: upstream MCP server "probe" exited with code 3');
  });

  it("exits non-zero, saying so, when the upstream command cannot be started", async () => {
    const run = await session(["--name", "ghost", "--", "/nonexistent/mcp-server"], INIT);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("could not start ghost (/nonexistent/mcp-server)");
  });

  it("exits 0 when the client closes its end", async () => {
    const run = await session(["--name", "probe", "--", process.execPath, PROBE], INIT, true);
    expect(run.code).toBe(0);
    expect(run.lines.find((l) => l.id === 1)?.result).toBeDefined();
  });

  it("refuses a command line that names no upstream, or two", () => {
    for (const args of [[], ["--upstream", "http://127.0.0.1:1/mcp", "--", "x"]]) {
      const run = spawnSync(process.execPath, [BIN, "mcp", ...args], { encoding: "utf8" });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("name exactly one upstream");
    }
  });
});
