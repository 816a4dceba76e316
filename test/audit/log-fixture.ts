import { signCheckpoint } from "../../src/audit/checkpoint.js";
import { type AuditFields, encodeEntry, GENESIS_PREV } from "../../src/audit/entry.js";
import { leafHash, MerkleFrontier } from "../../src/audit/merkle.js";
import { generateSignerKey, verifierFromSigner } from "../../src/audit/note.js";
import type { LogEntry } from "../../src/audit/verify.js";
import { failClosed } from "../../src/gate/fail-closed.js";

export const ORIGIN = "airlock.test/audit";

/** Entries of the kinds a server writes, with strings and nesting that could fool a careless reader. */
export function fields(i: number): AuditFields {
  const time = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
  switch (i % 4) {
    case 0:
      return {
        type: "action",
        time,
        agent: "kiro-7",
        intent: `clean up "index": ${i}, "prev": {"x": [1, 2]} \\`,
        action: { kind: "shell", command: `rm -rf /tmp/${i}`, body: { index: 99, prev: "f".repeat(64) } },
        decision: failClosed(undefined, "analysis_error", `"reasons": ["a", {"b": []}], "index": ${i}`),
      };
    case 1:
      return {
        type: "request.approved",
        time,
        requestId: `r-${i}`,
        digest: "d".repeat(64),
        by: "alice",
        comment: "ok \u2014 ✓",
        count: 1,
        required: 2,
      };
    case 2:
      return { type: "token.created", time, by: "root", identity: { name: `agent-${i}`, role: "agent" } };
    default:
      return { type: "request.rejected", time, code: "unauthorized", message: "no token", pid: i };
  }
}

/** Encode entries as a store does: each chained to the one before by its leaf hash. */
export function encodeAll(all: AuditFields[], start = 0, prev = GENESIS_PREV): LogEntry[] {
  const entries: LogEntry[] = [];
  let previous = prev;
  for (const [offset, f] of all.entries()) {
    const bytes = encodeEntry(f, start + offset, previous);
    const hash = leafHash(bytes);
    entries.push({ index: start + offset, bytes, leafHash: hash });
    previous = hash.toString("hex");
  }
  return entries;
}

/** The stored leaf hash of an entry, in hex. */
export function hexOf(entry: LogEntry | undefined): string {
  return Buffer.from(entry?.leafHash ?? []).toString("hex");
}

export interface Log {
  entries: LogEntry[];
  checkpoints: string[];
  signerKey: string;
  verifierKey: string;
}

/** A log of `size` entries with a signed checkpoint at each of `at`, as a server would keep it. */
export function makeLog(size: number, at: number[], signerKey = generateSignerKey(ORIGIN)): Log {
  const entries = encodeAll(Array.from({ length: size }, (_, i) => fields(i)));
  return {
    entries,
    checkpoints: checkpointsOf(entries, at, signerKey),
    signerKey,
    verifierKey: verifierFromSigner(signerKey),
  };
}

export function checkpointsOf(entries: readonly LogEntry[], at: number[], signerKey: string): string[] {
  return at.map((size) => {
    const root = MerkleFrontier.from(entries.slice(0, size).map((e) => e.leafHash as Buffer)).root();
    return signCheckpoint({ origin: ORIGIN, size, root }, signerKey);
  });
}
