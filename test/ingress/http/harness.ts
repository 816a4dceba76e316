import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BIN = new URL("../../../bin/airlock.mjs", import.meta.url).pathname;
const DEFAULT_POLICY = new URL("../../../policies/default.yaml", import.meta.url).pathname;

export function airlockSync(args: string[], input?: string, env?: Record<string, string>) {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: "utf8",
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A copy of the default policy whose production-destruction wait is `delaySeconds`, so a test can see it end. */
export function policyWithDelay(dir: string, delaySeconds: number): string {
  const text = readFileSync(DEFAULT_POLICY, "utf8").replace(
    "approvals: { required: 2, delaySeconds: 600, expiresInSeconds: 7200 }",
    `approvals: { required: 2, delaySeconds: ${delaySeconds}, expiresInSeconds: 7200 }`,
  );
  if (!text.includes(`delaySeconds: ${delaySeconds},`))
    throw new Error("the default policy changed; update the test");
  const path = join(dir, "policy.yaml");
  writeFileSync(path, text);
  return path;
}

/** `airlock audit verify` of a server's data directory, against the key it printed at start. */
export function verifyAudit(server: { dataDir: string; verifierKey: string }, ...extra: string[]) {
  return airlockSync([
    "audit",
    "verify",
    "--data-dir",
    server.dataDir,
    "--key",
    server.verifierKey,
    ...extra,
  ]);
}

export function makeToken(dataDir: string, args: string[]): string {
  const run = airlockSync(["token", "create", "--data-dir", dataDir, ...args]);
  if (run.status !== 0) throw new Error(`token create failed: ${run.stderr}`);
  return run.stdout.trim();
}

export interface TestServer {
  url: string;
  /** The audit log's verifier key, as `airlock serve` printed it at start. */
  verifierKey: string;
  dataDir: string;
  process: ChildProcess;
  stderr: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A real `airlock serve` on a free loopback port, with its own data directory. */
export async function startTestServer(
  options: { dataDir?: string; policy?: string; args?: string[]; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "airlock-serve-"));
  const args = [BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir, ...(options.args ?? [])];
  if (options.policy) args.push("--policy", options.policy);
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
  });
  let err = "";
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const [url, verifierKey] = await new Promise<[string, string]>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      const [line, keyLine] = out.split("\n");
      if (out.split("\n").length > 2 && line && keyLine)
        resolve([line.trim(), keyLine.replace(/^audit log verifier key: /, "").trim()]);
    });
    child.once("exit", (code) => reject(new Error(`airlock serve exited (${code}): ${err}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    url,
    verifierKey,
    dataDir,
    process: child,
    stderr: () => err,
    stop: async (signal = "SIGTERM") => {
      child.kill(signal);
      return exited;
    },
  };
}

export async function call(
  server: { url: string },
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: response.status, json };
}

/** Poll until `check` returns a value; no time limit of its own (the test runner's timeout is the limit). */
export async function until<T>(check: () => Promise<T | undefined>, intervalMs = 200): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
