import type { AuditLogStore } from "./log-store.js";
import { parseVerifierKey } from "./note-keys.js";
import { type VerifyLogResult, verifyLogStream } from "./verify.js";

/**
 * Verify a store's whole audit log against its signed checkpoints with `verifierKey` (the log's origin is
 * that key's name), and, with `from`, against a checkpoint saved elsewhere earlier.
 */
export async function verifyStoredLog(
  store: AuditLogStore,
  verifierKey: string,
  from?: string,
): Promise<VerifyLogResult> {
  const key = parseVerifierKey(verifierKey);
  const checkpoints = (await store.checkpoints()).map((c) => c.note);
  const head = await store.head();
  return verifyLogStream({
    ...(head ? { saved: [{ label: "the store's signed tree head", note: head.note }] } : {}),
    entries: store.auditEntries(),
    checkpoints,
    verifierKey,
    origin: key.ok ? key.key.name : "",
    ...(from !== undefined ? { from } : {}),
  });
}
