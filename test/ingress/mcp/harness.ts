import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, realpathSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Decision } from "../../../src/action/decision.js";
import { DECISION_META_KEY } from "../../../src/ingress/mcp/verdict-results.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
export const BIN = join(ROOT, "bin/airlock.mjs");
export const FILESYSTEM = join(ROOT, "node_modules/.bin/mcp-server-filesystem");
export const EVERYTHING = join(ROOT, "node_modules/.bin/mcp-server-everything");
export const PROBE = join(ROOT, "test/ingress/mcp/fixtures/probe-server.mjs");

/** A fresh directory (its real path: the filesystem server compares resolved paths). */
export function tempDir(prefix = "airlock-mcp-"): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/** What the proxied and the direct client both declare, so that servers answer them alike. */
const CLIENT_INFO = { name: "airlock-test", version: "1.0.0" };
const CAPABILITIES = { capabilities: { sampling: {}, elicitation: {} } };

/** A client talking stdio to `command` (a server directly, or `airlock mcp` in front of it). */
export async function stdioClient(command: string, args: string[], env?: Record<string, string>) {
  const transport = new StdioClientTransport({
    command,
    args,
    stderr: "pipe",
    env: { ...(process.env as Record<string, string>), ...env },
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client(CLIENT_INFO, CAPABILITIES);
  await client.connect(transport);
  return { client, transport, stderr: () => stderr };
}

/** `airlock mcp ARGS…` over stdio. */
export function proxiedClient(args: string[], env?: Record<string, string>) {
  return stdioClient(process.execPath, [BIN, "mcp", ...args], env);
}

/** Run `use` with a client of `airlock mcp ARGS…`, closing it (and so the proxy) afterwards. */
export async function withProxied(args: string[], use: (client: Client) => Promise<void>): Promise<void> {
  const { client } = await proxiedClient(args);
  try {
    await use(client);
  } finally {
    await client.close();
  }
}

export async function httpClient(url: string) {
  const client = new Client(CLIENT_INFO, CAPABILITIES);
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Start a long-running process and wait until its standard error matches `ready`. */
export async function startProcess(
  command: string,
  args: string[],
  ready: RegExp,
  env?: Record<string, string>,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let seen = "";
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = seen.match(ready);
      if (m) resolve(m);
    };
    child.stderr?.on("data", look);
    child.stdout?.on("data", look);
    child.once("exit", (code) =>
      reject(new Error(`${command} exited (${code}) before it was ready:\n${seen}`)),
    );
  });
  return { child, match };
}

export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}

/** The Decision the proxy attached to a tool result it answered itself. */
export function decisionOf(result: { _meta?: Record<string, unknown> }): Decision | undefined {
  return result._meta?.[DECISION_META_KEY] as Decision | undefined;
}
