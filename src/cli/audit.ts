import { readFileSync } from "node:fs";
import { openCheckpoint } from "../audit/checkpoint.js";
import { readVerifierKey } from "../audit/keys.js";
import { inclusionProof, leafHash, verifyInclusion } from "../audit/merkle.js";
import { verifyStoredLog } from "../audit/stored.js";
import { type ConfigOverrides, loadServerConfig } from "../ingress/http/config.js";
import { SqliteStore } from "../store/sqlite/store.js";

export interface AuditOptions extends ConfigOverrides {
  key?: string;
}

function openReadOnly(opts: ConfigOverrides): { store: SqliteStore; dataDir: string } {
  const { dataDir } = loadServerConfig(opts);
  return { store: SqliteStore.open(dataDir, { readonly: true }), dataDir };
}

function verifierKeyOf(opts: AuditOptions, dataDir: string): string | undefined {
  if (opts.key) return opts.key.includes("+") ? opts.key : readFileSync(opts.key, "utf8").trim();
  return readVerifierKey(dataDir);
}

/**
 * `airlock audit verify [--from CHECKPOINT]`: recompute the whole log and check every signed checkpoint.
 * Exit 0 when it verifies, 1 naming the first bad entry otherwise.
 */
export async function runAuditVerify(opts: AuditOptions & { from?: string }): Promise<number> {
  const { store, dataDir } = openReadOnly(opts);
  try {
    const key = verifierKeyOf(opts, dataDir);
    if (!key) {
      process.stderr.write(
        `airlock audit verify: no verifier key: pass --key (the key \`airlock serve\` printed at start)\n`,
      );
      return 64;
    }
    const from = opts.from ? readFileSync(opts.from, "utf8") : undefined;
    const report = await verifyStoredLog(store, key, from);
    if (report.ok) {
      const unsigned = report.size - report.signedSize;
      process.stdout.write(
        `audit log verified: ${report.size} entries, ${report.checkpointsChecked} signed checkpoints; ` +
          `the latest vouches for the first ${report.signedSize}${unsigned > 0 ? ` (${unsigned} appended since, chained but not yet signed)` : ""}\n`,
      );
      return 0;
    }
    const bad = report.firstBad;
    process.stdout.write(
      `audit log FAILED verification${bad ? ` at entry ${bad.index}: ${bad.problem}` : ""}\n${report.problems.map((p) => `  ${p}`).join("\n")}\n`,
    );
    return 1;
  } finally {
    await store.close();
  }
}

/** `airlock audit proof INDEX`: the inclusion proof of one entry in the latest signed checkpoint, as JSON. */
export async function runAuditProof(index: string, opts: AuditOptions): Promise<number> {
  const { store, dataDir } = openReadOnly(opts);
  try {
    const at = Number(index);
    const key = verifierKeyOf(opts, dataDir);
    const latest = (await store.checkpoints()).at(-1);
    if (!key || !latest) {
      process.stderr.write(
        "airlock audit proof: no signed checkpoint (or verifier key) in this data directory yet\n",
      );
      return 1;
    }
    const opened = openCheckpoint(latest.note, key);
    if (!opened.ok) {
      process.stderr.write(`airlock audit proof: the latest checkpoint does not verify: ${opened.error}\n`);
      return 1;
    }
    const { size, root } = opened.checkpoint;
    if (!Number.isSafeInteger(at) || at < 0 || at >= size) {
      process.stderr.write(
        `airlock audit proof: entry ${index} is not in the latest checkpoint (entries 0 to ${size - 1})\n`,
      );
      return 64;
    }
    const leaves: Buffer[] = [];
    for (const entry of store.auditEntries()) {
      if (leaves.length >= size) break;
      leaves.push(leafHash(entry.bytes));
    }
    const entry = await store.auditEntry(at);
    const proof = inclusionProof(leaves, at, size);
    const leaf = leaves[at] ?? Buffer.alloc(0);
    if (!entry || !verifyInclusion(leaf, at, size, proof, root)) {
      process.stderr.write(
        `airlock audit proof: entry ${at} does not verify against the checkpoint; run \`airlock audit verify\`\n`,
      );
      return 1;
    }
    const out = {
      index: at,
      entry: JSON.parse(entry.bytes) as unknown,
      leafHash: leaf.toString("hex"),
      treeSize: size,
      rootHash: root.toString("hex"),
      proof: proof.map((h) => h.toString("hex")),
      checkpoint: latest.note,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `airlock audit export [--from INDEX]`: JSON Lines for a SIEM, each entry with its index and leaf hash. */
export async function runAuditExport(opts: AuditOptions & { from?: string }): Promise<number> {
  const { store } = openReadOnly(opts);
  try {
    const from = Number(opts.from ?? 0);
    let buffer = "";
    for (const entry of store.auditEntries(Number.isSafeInteger(from) && from > 0 ? from : 0)) {
      buffer += `{"index":${entry.index},"leafHash":"${leafHash(entry.bytes).toString("hex")}","entry":${entry.bytes}}\n`;
      if (buffer.length > 1 << 20) {
        if (!process.stdout.write(buffer)) await new Promise((r) => process.stdout.once("drain", r));
        buffer = "";
      }
    }
    process.stdout.write(buffer);
    return 0;
  } finally {
    await store.close();
  }
}
