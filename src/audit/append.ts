import { type AuditFields, encodeEntry, GENESIS_PREV } from "./entry.js";
import { leafHash } from "./tree-hash.js";

/** The last entry of the log as a store read it inside its write transaction; undefined: the log is empty. */
export interface LogTail {
  index: number;
  leafHash: Uint8Array;
}

/** One entry to insert: its position, its exact bytes and their leaf hash. */
export interface AppendedEntry {
  index: number;
  bytes: string;
  leafHash: Buffer;
}

/**
 * The log's append rule, the same for every store: entry `n` follows the tail, names the tail's leaf
 * hash as `prev`, and is stored with SHA-256(0x00 ‖ bytes). A store calls this inside the transaction in
 * which it read the tail and inserts what it returns, so the log stays one chain whoever appends.
 * Throws when a draft cannot be an entry (the caller's bug): the store refuses that change.
 */
export function appendEntries(tail: LogTail | undefined, drafts: readonly AuditFields[]): AppendedEntry[] {
  let index = tail ? tail.index + 1 : 0;
  let prev = tail ? Buffer.from(tail.leafHash).toString("hex") : GENESIS_PREV;
  const out: AppendedEntry[] = [];
  for (const draft of drafts) {
    const bytes = encodeEntry(draft, index, prev);
    const hash = leafHash(bytes);
    out.push({ index, bytes, leafHash: hash });
    prev = hash.toString("hex");
    index++;
  }
  return out;
}

/** The tail after `appended`, or `tail` when nothing was appended. */
export function tailAfter(
  tail: LogTail | undefined,
  appended: readonly AppendedEntry[],
): LogTail | undefined {
  const last = appended.at(-1);
  return last ? { index: last.index, leafHash: last.leafHash } : tail;
}
