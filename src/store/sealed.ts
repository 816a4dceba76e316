import { mkdirSync } from "node:fs";
import { type AnchorReport, AuditTampered, checkAnchoredLog } from "../audit/anchoring.js";
import { CheckpointDir } from "../audit/checkpoint-dir.js";
import { type AuditKeys, loadOrCreateSigner } from "../audit/keys.js";
import { LogSealer } from "../audit/sealer.js";
import { openStore, type StoreLocation } from "./open.js";
import type { Store } from "./port.js";

export interface SealedStore {
  store: Store;
  keys: AuditKeys;
  checkpointDir: CheckpointDir;
  /** The check made before anything was signed (it passed). */
  anchor: AnchorReport;
}

/**
 * Open the store for writing the way every writer of a served log must: first check the whole log
 * against its checkpoint history, its signed tree head and the copies in `checkpointDir` (throwing
 * AuditTampered, with the store closed, when they disagree), then sign the log's head in every commit
 * and copy each head to `checkpointDir` in the background.
 */
export async function openSealedStore(options: {
  dataDir: string;
  /** The store; the SQLite file in `dataDir` when absent. */
  store?: StoreLocation;
  origin: string;
  checkpointDir: string;
  /** The signing key shared by a cluster's replicas; the data directory's own when absent. */
  auditKeyFile?: string;
  log?: (line: string) => void;
}): Promise<SealedStore> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const keys = loadOrCreateSigner(options.dataDir, options.origin, options.auditKeyFile);
  const checkpointDir = new CheckpointDir(options.checkpointDir, options.log);
  const sealer = new LogSealer(keys.signerKey);
  const store = await openStore(options.store ?? { kind: "sqlite", dataDir: options.dataDir }, {
    sealer,
    afterSeal: (head) => checkpointDir.offerLatest(head),
    ...(options.log ? { log: options.log } : {}),
  });
  let anchor: AnchorReport;
  try {
    anchor = await checkAnchoredLog({ store, verifierKey: keys.verifierKey, saved: checkpointDir.read() });
  } catch (err) {
    await store.close();
    throw err;
  }
  if (!anchor.ok) {
    await store.close();
    throw new AuditTampered(anchor);
  }
  // The check rebuilt the tree from every entry's bytes: the first seal starts there.
  if (anchor.frontier) sealer.resume(anchor.frontier);
  return { store, keys, checkpointDir, anchor };
}
