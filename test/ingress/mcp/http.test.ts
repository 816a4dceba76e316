import type { ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BIN,
  decisionOf,
  EVERYTHING,
  FILESYSTEM,
  freePort,
  httpClient,
  startProcess,
  tempDir,
  textOf,
} from "./harness.js";

const SERVING = /serving MCP \(Streamable HTTP\) at (\S+)/;

/** `airlock mcp … --listen 127.0.0.1:0`: the proxy process and the URL it serves. */
async function httpProxy(args: string[]) {
  const { child, match } = await startProcess(
    process.execPath,
    [BIN, "mcp", "--listen", "127.0.0.1:0", ...args],
    SERVING,
  );
  return { child, url: match[1] ?? "" };
}

function post(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", headers: { host, "content-type": "application/json" } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end("{}");
  });
}

describe("airlock mcp --upstream: Streamable HTTP in front of Streamable HTTP", () => {
  const children: ChildProcess[] = [];
  let proxied: Client;
  let direct: Client;
  let proxyUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    const upstream = await startProcess(
      process.execPath,
      [EVERYTHING, "streamableHttp"],
      /listening on port/,
      {
        PORT: String(port),
      },
    );
    children.push(upstream.child);
    const directUrl = `http://127.0.0.1:${port}/mcp`;
    const proxy = await httpProxy(["--upstream", directUrl, "--name", "everything", "--env", "development"]);
    children.push(proxy.child);
    proxyUrl = proxy.url;
    proxied = await httpClient(proxyUrl);
    direct = await httpClient(directUrl);
    for (const client of [proxied, direct])
      client.setRequestHandler(CreateMessageRequestSchema, async () => ({
        model: "m",
        role: "assistant",
        content: { type: "text", text: "sampled" },
      }));
  });
  afterAll(async () => {
    await proxied?.close();
    await direct?.close();
    for (const child of children) child.kill();
  });

  it("lists and reads exactly what the server offers", async () => {
    expect(proxied.getServerVersion()).toEqual(direct.getServerVersion());
    expect(await proxied.listTools()).toEqual(await direct.listTools());
    expect(await proxied.listPrompts()).toEqual(await direct.listPrompts());
    expect(await proxied.listResources()).toEqual(await direct.listResources());
    const uri = "demo://resource/dynamic/text/2";
    // The demo server stamps the time it answered into the text: compare it without the clock.
    const unclocked = (r: unknown) => JSON.stringify(r).replace(/created at [^"]*/g, "created at …");
    expect(unclocked(await proxied.readResource({ uri }))).toEqual(
      unclocked(await direct.readResource({ uri })),
    );
  });

  it("forwards allowed calls with their progress and the server's sampling requests", async () => {
    expect(textOf(await proxied.callTool({ name: "echo", arguments: { message: "over http" } }))).toBe(
      "Echo: over http",
    );
    const progress: number[] = [];
    await proxied.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(progress.slice(0, 2)).toEqual([1, 2]); // the last one may race the result (see everything.test.ts)
    const sampled = await proxied.callTool({ name: "trigger-sampling-request", arguments: { prompt: "p" } });
    expect(textOf(sampled)).toContain("sampled");
  });

  it("answers only requests addressed to loopback", async () => {
    expect(await post(proxyUrl, "attacker.example")).toBe(403);
  });
});

describe("airlock mcp --listen in front of a stdio server", () => {
  it("gates calls over HTTP as it does over stdio", async () => {
    const root = tempDir();
    writeFileSync(join(root, "prod.env"), "KEY=1\n");
    const proxy = await httpProxy(["--name", "filesystem", "--", FILESYSTEM, root]);
    const client = await httpClient(proxy.url);
    try {
      const read = await client.callTool({
        name: "read_text_file",
        arguments: { path: join(root, "prod.env") },
      });
      expect(textOf(read)).toBe("KEY=1\n");
      const write = await client.callTool({
        name: "write_file",
        arguments: { path: join(root, "prod.env"), content: "" },
      });
      expect(write.isError).toBe(true);
      expect(decisionOf(write)?.decision).toBe("hold");
      expect(readFileSync(join(root, "prod.env"), "utf8")).toBe("KEY=1\n");
    } finally {
      await client.close();
      proxy.child.kill();
    }
  });
});
