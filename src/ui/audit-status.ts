import { openCheckpoint } from "../audit/checkpoint.js";
import { parseVerifierKey } from "../audit/note-keys.js";
import { verifyStoredLog } from "../audit/stored.js";
import type { Store } from "../store/port.js";

/**
 * Up to this many entries, the audit page recomputes the whole log against its checkpoints on every
 * view (about 0.1 s on a small machine); above it, that would hold up the server, and `airlock audit verify`
 * is the tool for it.
 */
export const FULL_CHECK_LIMIT = 20_000;

export interface AuditStatus {
  entries: number;
  checkpoints: number;
  latest?: {
    note: string;
    size: number;
    /** The signature checked with the server's verifier key, and the checkpoint of this server's log. */
    signature: { ok: true; rootBase64: string; origin: string } | { ok: false; error: string };
  };
  /** Every entry recomputed against every checkpoint; undefined when the log is too large to do it here. */
  full?: { ok: boolean; problems: string[] };
}

export async function auditStatus(store: Store, verifierKey: string): Promise<AuditStatus> {
  const entries = await store.auditSize();
  const all = await store.checkpoints();
  const status: AuditStatus = { entries, checkpoints: all.length };
  const last = all.at(-1);
  if (last) {
    const key = parseVerifierKey(verifierKey);
    const opened = key.ok
      ? openCheckpoint(last.note, key.key, key.key.name)
      : { ok: false as const, error: `the server's verifier key is malformed: ${key.error}` };
    status.latest = {
      note: last.note,
      size: last.size,
      signature: opened.ok
        ? {
            ok: true,
            rootBase64: opened.checkpoint.root.toString("base64"),
            origin: opened.checkpoint.origin,
          }
        : { ok: false, error: opened.error },
    };
  }
  if (entries <= FULL_CHECK_LIMIT) {
    const result = await verifyStoredLog(store, verifierKey);
    status.full = { ok: result.ok, problems: result.problems };
  }
  return status;
}
