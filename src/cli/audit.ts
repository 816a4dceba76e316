import { readFileSync } from "node:fs";
import { checkAnchoredLog, describeFirstBad } from "../audit/anchoring.js";
import { openCheckpoint } from "../audit/checkpoint.js";
import { CheckpointDir } from "../audit/checkpoint-dir.js";
import { readVerifierKey } from "../audit/keys.js";
import { inclusionProof, leafHash, verifyInclusion } from "../audit/merkle.js";
import { type ConfigOverrides, loadServerConfig } from "../ingress/http/config.js";
import { openStore } from "../store/open.js";
import type { Store } from "../store/port.js";

export interface AuditOptions extends ConfigOverrides {
  key?: string;
}

async function openReadOnly(opts: ConfigOverrides): Promise<{ store: Store; dataDir: string }> {
  const config = loadServerConfig(opts);
  return { store: await openStore(config.store, { readonly: true }), dataDir: config.dataDir };
}

function verifierKeyOf(opts: AuditOptions, dataDir: string): string | undefined {
  if (opts.key) return opts.key.includes("+") ? opts.key : readFileSync(opts.key, "utf8").trim();
  return readVerifierKey(dataDir);
}

/** What to pass when nothing outside the data directory vouches for the log. */
const NOTHING_TRUSTED =
  "airlock audit verify: nothing trusted to check the log against. The key and checkpoints in the data " +
  "directory can be replaced by whoever can change the log, so pass at least one of:\n" +
  "  --key KEY|FILE     the verifier key `airlock serve` printed at start, kept elsewhere\n" +
  "  --checkpoints DIR  the checkpoint directory (checkpointDir in airlock.yaml), outside the data directory\n" +
  "  --from FILE        a signed checkpoint saved elsewhere (GET /v1/audit/checkpoint, or a webhook's copy)\n";

/**
 * `airlock audit verify`: recompute the whole log and check it against every signed checkpoint (the
 * store's history and head, the checkpoint directory, `--from`) and the key it recorded. Exit 0 when it
 * verifies, 1 naming the first bad entry, 64 when nothing trusted was given to check against.
 */
export async function runAuditVerify(
  opts: AuditOptions & { from?: string; checkpoints?: string },
): Promise<number> {
  const config = loadServerConfig(opts);
  if (!opts.key && !opts.from && !config.checkpointDirNamed) {
    process.stderr.write(NOTHING_TRUSTED);
    return 64;
  }
  const { store, dataDir } = await openReadOnly(opts);
  try {
    const dataDirKey = readVerifierKey(dataDir);
    const key = verifierKeyOf(opts, dataDir);
    if (!key) {
      process.stderr.write(
        "airlock audit verify: no verifier key: pass --key (the key `airlock serve` printed at start)\n",
      );
      return 64;
    }
    const saved = new CheckpointDir(config.checkpointDir).read();
    if (!opts.key && !opts.from && saved.length === 0) {
      // A named checkpoint directory that holds nothing vouches for nothing.
      process.stderr.write(`${config.checkpointDir} holds no checkpoint. ${NOTHING_TRUSTED}`);
      return 64;
    }
    if (opts.from)
      saved.push({ label: "the checkpoint saved elsewhere", note: readFileSync(opts.from, "utf8") });
    const report = await checkAnchoredLog({
      store,
      verifierKey: key,
      saved,
      ...(opts.key && dataDirKey !== undefined ? { dataDirKey } : {}),
    });
    for (const warning of report.warnings) process.stderr.write(`warning: ${warning}\n`);
    const tail = `unsigned tail: ${report.unsigned} entries`;
    if (report.ok) {
      process.stdout.write(
        `audit log verified: ${report.size} entries, ${report.checkpointsChecked} signed checkpoints ` +
          `(${saved.length} kept outside the store); the latest vouches for the first ${report.signedSize}; ${tail}\n`,
      );
      return 0;
    }
    const bad = report.firstBad;
    process.stdout.write(
      `audit log FAILED verification${bad ? ` ${describeFirstBad(bad)}: ${bad.problem}` : ""}\n` +
        `${report.problems.map((p) => `  ${p}`).join("\n")}\n${tail}\n`,
    );
    return 1;
  } finally {
    await store.close();
  }
}

/** `airlock audit proof INDEX`: the inclusion proof of one entry in the latest signed checkpoint, as JSON. */
export async function runAuditProof(index: string, opts: AuditOptions): Promise<number> {
  const { store, dataDir } = await openReadOnly(opts);
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
    for await (const entry of store.auditEntries()) {
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
  const { store } = await openReadOnly(opts);
  try {
    const from = Number(opts.from ?? 0);
    let buffer = "";
    for await (const entry of store.auditEntries(Number.isSafeInteger(from) && from > 0 ? from : 0)) {
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
