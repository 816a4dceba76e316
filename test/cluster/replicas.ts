import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { airlockSync, call, startTestServer, type TestServer } from "../ingress/http/harness.js";

/**
 * Several real `airlock serve` processes on one PostgreSQL database, as docs/deploy.md runs them:
 * the same store URL, one shared audit signing key (`AIRLOCK_AUDIT_KEY_FILE`), each replica its own
 * data directory and port.
 */
export interface Cluster {
  store: string;
  replicas: TestServer[];
  verifierKey: string;
  keyFile: string;
  /** A token made with `airlock token create` against the shared store. */
  token(args: string[]): string;
  /** Start one more replica (to replace one that was killed). */
  add(): Promise<TestServer>;
  /** `airlock audit verify` of the shared log against the cluster's key. */
  verify(): ReturnType<typeof airlockSync>;
  /** Every audit entry, through `airlock audit export`. */
  entries(): { index: number; entry: Record<string, unknown> }[];
  stop(): Promise<void>;
}

export async function startCluster(options: {
  store: string;
  replicas: number;
  policy?: string;
}): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), "airlock-cluster-"));
  const keyFile = join(dir, "audit-signer.key");
  const keygen = airlockSync(["audit", "keygen", "--origin", "airlock.test/cluster", "--out", keyFile]);
  if (keygen.status !== 0) throw new Error(`audit keygen failed: ${keygen.stderr}`);
  const storeArgs = ["--store", options.store];
  const env = { AIRLOCK_AUDIT_KEY_FILE: keyFile };
  const start = () =>
    startTestServer({ args: storeArgs, env, ...(options.policy ? { policy: options.policy } : {}) });
  // One first, so that the others start on a migrated schema (they would wait on its lock anyway).
  const replicas = [await start()];
  replicas.push(...(await Promise.all(Array.from({ length: options.replicas - 1 }, start))));
  const verifierKey = keygen.stdout.trim();
  return {
    store: options.store,
    replicas,
    verifierKey,
    keyFile,
    token(args) {
      // A writer of the log like any replica: it signs the head with the cluster's key.
      const tools = ["--data-dir", join(dir, "tools")];
      const run = airlockSync(["token", "create", ...storeArgs, ...tools, ...args], undefined, env);
      if (run.status !== 0) throw new Error(`token create failed: ${run.stderr}`);
      return run.stdout.trim();
    },
    async add() {
      const replica = await start();
      replicas.push(replica);
      return replica;
    },
    verify: () =>
      airlockSync(["audit", "verify", ...storeArgs, "--data-dir", join(dir, "tools"), "--key", verifierKey]),
    entries() {
      const run = airlockSync(["audit", "export", ...storeArgs, "--data-dir", join(dir, "tools")]);
      if (run.status !== 0) throw new Error(`audit export failed: ${run.stderr}`);
      return run.stdout
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as { index: number; entry: Record<string, unknown> });
    },
    async stop() {
      await Promise.all(replicas.map((r) => (r.process.exitCode === null ? r.stop() : undefined)));
    },
  };
}

/** POST an Action as an agent to one replica; the Decision, or the API error's code. */
export async function submit(replica: { url: string }, token: string, action: unknown) {
  return call(replica, "POST", "/v1/actions", token, action);
}

/** The replicas whose log says they took the sweep lease, in the order they said it. */
export function leaseHolders(replicas: TestServer[]): TestServer[] {
  return replicas.filter((r) => r.stderr().includes("holds the sweep lease"));
}

/**
 * Load workers whose first failure surfaces in the test's waits (`check` throws it), so that a test
 * waiting for a count the dead workers will never reach fails with their error instead of hanging.
 */
export function watched(workers: Promise<void>[]): { check(): void; all: Promise<unknown> } {
  let failure: unknown;
  for (const w of workers)
    w.catch((err: unknown) => {
      failure ??= err;
    });
  return {
    check() {
      if (failure !== undefined) throw failure;
    },
    all: Promise.all(workers),
  };
}

/** How many replicas report holding the sweep lease on /metrics (1 in a healthy cluster). */
export async function leaseGauge(replicas: { url: string }[]): Promise<number> {
  let held = 0;
  for (const r of replicas) {
    const text = await (await fetch(`${r.url}/metrics`)).text();
    held += Number(/^airlock_sweep_lease_held (\d+)$/m.exec(text)?.[1] ?? 0);
  }
  return held;
}
