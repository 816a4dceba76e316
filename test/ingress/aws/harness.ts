import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { airlockSync, BIN, until } from "../http/harness.js";

/** The credentials airlock itself holds in these tests: moto takes any, and the agent never sees them. */
export const UPSTREAM_ENV = {
  AWS_ACCESS_KEY_ID: "AKIAUPSTREAMREALKEY1",
  AWS_SECRET_ACCESS_KEY: "upstream-real-secret",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export interface Moto {
  url: string;
  stop(): Promise<void>;
}

/** A real moto_server on a free port, one per test file. */
export async function startMoto(): Promise<Moto> {
  const which = spawnSync("sh", ["-c", "command -v moto_server"], { encoding: "utf8" });
  if (which.status !== 0)
    throw new Error(
      "moto_server is not on PATH: these tests need the AWS emulator; pip install 'moto[server]'",
    );
  const port = await freePort();
  const child: ChildProcess = spawn("moto_server", ["-p", String(port), "-H", "127.0.0.1"], {
    stdio: ["ignore", "ignore", "pipe"],
    // AWS's managed policies (AdministratorAccess…), which moto leaves out unless asked.
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
  });
  // moto logs every request to stderr: read it all, or once the pipe's 64 KiB fill (some 500 calls)
  // moto blocks on the write and every call stalls. The tail is kept for the error message.
  let tail = "";
  child.stderr?.on("data", (d: Buffer) => {
    tail = (tail + d.toString("utf8")).slice(-4096);
  });
  const url = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${tail}`);
    try {
      return (await fetch(`${url}/moto-api/`)).ok ? true : undefined;
    } catch {
      return undefined;
    }
  }, 100);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export interface AwsAirlock {
  url: string;
  pid: number;
  awsUrl: string;
  dataDir: string;
  /** The audit log's verifier key, as `airlock serve` prints it. */
  verifierKey: string;
  stderr: () => string;
  stop(): Promise<void>;
}

/** A real `airlock serve` with its AWS endpoint forwarding to `upstream`. */
export async function startAwsAirlock(
  upstream: string,
  options: { policy?: string; extraYaml?: string; env?: Record<string, string> } = {},
): Promise<AwsAirlock> {
  const dir = mkdtempSync(join(tmpdir(), "airlock-aws-"));
  const dataDir = join(dir, "data");
  const config = join(dir, "airlock.yaml");
  writeFileSync(
    config,
    `version: 1\nlisten: 127.0.0.1:0\naws:\n  listen: 127.0.0.1:0\n  endpoint: ${upstream}\n  idleSeconds: 2\n${options.extraYaml ?? ""}`,
  );
  const args = [BIN, "serve", "--config", config, "--data-dir", dataDir];
  if (options.policy) args.push("--policy", options.policy);
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...UPSTREAM_ENV, ...(options.env ?? {}) },
  });
  let err = "";
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const lines = await new Promise<string[]>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      if (/AWS endpoint: \S+\n/.test(out)) resolve(out.split("\n"));
    });
    child.once("exit", (code) => reject(new Error(`airlock serve exited (${code}): ${err}`)));
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", (code, signal) => {
    if (!stopping) process.stderr.write(`airlock serve exited unexpectedly (${code ?? signal}):\n${err}\n`);
  });
  return {
    url: (lines[0] ?? "").trim(),
    pid: child.pid ?? 0,
    awsUrl: (lines.find((l) => l.startsWith("AWS endpoint: ")) ?? "").slice("AWS endpoint: ".length).trim(),
    dataDir,
    verifierKey: (lines.find((l) => l.startsWith("audit log verifier key: ")) ?? "")
      .slice("audit log verifier key: ".length)
      .trim(),
    stderr: () => err,
    stop: async () => {
      stopping = true;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export interface AgentKeys {
  token: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** `airlock token create … --aws`, and the three lines it prints. */
export function makeAgent(dataDir: string, name: string, onBehalfOf: string): AgentKeys {
  const run = airlockSync([
    "token",
    "create",
    "--data-dir",
    dataDir,
    "--name",
    name,
    "--role",
    "agent",
    "--on-behalf-of",
    onBehalfOf,
    "--aws",
  ]);
  if (run.status !== 0) throw new Error(`token create failed: ${run.stderr}`);
  const [token = "", id = "", secret = ""] = run.stdout.trim().split("\n");
  if (!id.startsWith("AWS_ACCESS_KEY_ID=") || !secret.startsWith("AWS_SECRET_ACCESS_KEY="))
    throw new Error(`token create --aws printed ${run.stdout}`);
  return {
    token,
    accessKeyId: id.slice("AWS_ACCESS_KEY_ID=".length),
    secretAccessKey: secret.slice("AWS_SECRET_ACCESS_KEY=".length),
  };
}

/** The environment of an agent's shell: airlock's keys only, no config files, no real credentials. */
export function agentEnv(keys: { accessKeyId: string; secretAccessKey: string }): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/** The real AWS CLI (v1) against the endpoint. */
export function awsCli(
  endpoint: string,
  keys: { accessKeyId: string; secretAccessKey: string },
  args: string[],
) {
  const run = spawnSync("aws", ["--endpoint-url", endpoint, "--output", "json", ...args], {
    env: agentEnv(keys),
    encoding: "utf8",
  });
  if (run.error) throw new Error(`the AWS CLI did not run (${run.error.message}): pip install awscli`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The audit log as JSON entries, read by `airlock audit export`. */
export function auditEntries(dataDir: string): Record<string, unknown>[] {
  const run = airlockSync(["audit", "export", "--data-dir", dataDir]);
  if (run.status !== 0) throw new Error(`audit export failed: ${run.stderr}`);
  return run.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { entry: Record<string, unknown> }).entry);
}

/** The peak resident memory of a process so far, in bytes (Linux). */
export function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmHWM for process ${pid}`);
  return Number(kb) * 1024;
}
