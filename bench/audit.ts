/**
 * The audit log: durable appends per second with group commit (against one commit per entry, in the
 * same run), and the time `audit verify` takes for a million entries.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Checkpointer } from "../src/audit/checkpointer.js";
import { loadOrCreateSigner } from "../src/audit/keys.js";
import { LogSealer } from "../src/audit/sealer.js";
import { verifyStoredLog } from "../src/audit/stored.js";
import type { AuditDraft, Store } from "../src/store/port.js";
import { openSealedStore } from "../src/store/sealed.js";
import { SqliteStore } from "../src/store/sqlite/store.js";

/** An entry the size of a real one: a shell action, its decision and the agent's intent. */
export function draft(i: number): AuditDraft {
  return {
    type: "action",
    time: new Date().toISOString(),
    agent: "kiro-7",
    onBehalfOf: "alice",
    intent: "clean up the pods the failed rollout left behind",
    action: { kind: "shell", id: `a-${i}`, command: `kubectl --context prod-eu delete pod api-${i}` },
    decision: {
      version: 1,
      decision: "hold",
      risk: { reversibility: "recoverable", blastRadius: "resource", environment: "production" },
      rules: ["production-change"],
      digest: "9f".repeat(32),
    },
  };
}

/** `concurrency` callers each waiting for their own entry to be durable, as HTTP requests do. */
export async function appendAll(store: Store, total: number, concurrency: number): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  const caller = async () => {
    while (next < total) {
      const i = next++;
      await store.commit({ audit: [draft(i)] });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return total / (Number(process.hrtime.bigint() - start) / 1e9);
}

export async function benchAudit(options: { durable?: number; verify?: number } = {}): Promise<void> {
  const durable = options.durable ?? 100_000;
  const verifyCount = options.verify ?? 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), "airlock-bench-audit-"));
  try {
    const sealedStore = (name: string) => {
      const path = join(dir, name);
      mkdirSync(path, { recursive: true });
      const keys = loadOrCreateSigner(path, "bench.airlock.local/audit");
      return SqliteStore.open(path, { sealer: new LogSealer(keys.signerKey) });
    };
    const single = await SqliteStore.open(join(dir, "single"));
    const oneByOne = await appendAll(single, 2_000, 1);
    await single.close();
    const singleSealed = await sealedStore("single-sealed");
    const oneByOneSealed = await appendAll(singleSealed, 2_000, 1);
    await singleSealed.close();
    const grouped = await SqliteStore.open(join(dir, "grouped"));
    const groupCommit = await appendAll(grouped, durable, 512);
    await grouped.close();
    const groupedSealed = await sealedStore("grouped-sealed");
    const groupCommitSealed = await appendAll(groupedSealed, durable, 512);
    await groupedSealed.close();
    console.log(
      `\naudit log, durable (WAL, synchronous=FULL): one caller at a time ${Math.round(oneByOne).toLocaleString()} entries/s; ` +
        `512 concurrent callers with group commit ${Math.round(groupCommit).toLocaleString()} entries/s ` +
        `(${(groupCommit / oneByOne).toFixed(1)}×; target ≥ 20,000)`,
    );
    console.log(
      `audit log with a signed tree head in every commit (what airlock serve runs): one caller at a time ` +
        `${Math.round(oneByOneSealed).toLocaleString()} entries/s (${(oneByOneSealed / oneByOne).toFixed(2)}× unsigned); ` +
        `group commit ${Math.round(groupCommitSealed).toLocaleString()} entries/s (${(groupCommitSealed / groupCommit).toFixed(2)}× unsigned)`,
    );

    const bigDir = join(dir, "big");
    const big = await SqliteStore.open(bigDir);
    const keys = loadOrCreateSigner(bigDir, "bench.airlock.local/audit");
    const checkpointer = new Checkpointer(big, keys.signerKey);
    const BATCH = 5_000;
    for (let written = 0; written < verifyCount; written += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, verifyCount - written) }, (_, i) =>
        draft(written + i),
      );
      await big.commit({ audit: batch });
      if ((written / BATCH) % 40 === 0) await checkpointer.checkpoint();
    }
    await checkpointer.checkpoint();
    const t0 = process.hrtime.bigint();
    const report = await verifyStoredLog(big, keys.verifierKey);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await big.close();
    const s0 = process.hrtime.bigint();
    const reopened = await openSealedStore({
      dataDir: bigDir,
      origin: "bench.airlock.local/audit",
      checkpointDir: join(dir, "checkpoints"),
    });
    const startSeconds = Number(process.hrtime.bigint() - s0) / 1e9;
    await reopened.store.close();
    console.log(
      `airlock serve's start-up check of the same log (every entry against every checkpoint, before signing): ${startSeconds.toFixed(2)} s`,
    );
    console.log(
      `audit verify: ${report.size.toLocaleString()} entries and ${report.checkpointsChecked} checkpoints in ${seconds.toFixed(2)} s ` +
        `(${Math.round(report.size / seconds).toLocaleString()} entries/s; target ≤ 10 s for 1,000,000); ${report.ok ? "verified" : `FAILED: ${report.problems[0]}`}; ` +
        `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
