import { openCheckpoint } from "./checkpoint.js";
import type { FirstBad } from "./findings.js";
import type { AuditLogStore } from "./log-store.js";
import { parseVerifierKey } from "./note-keys.js";
import { type FrontierSnapshot, type LogEntry, type SavedCheckpoint, verifyLogStream } from "./verify.js";

/** The stable code of a log that disagrees with its signed checkpoints: `airlock serve` will not start over it. */
export const AUDIT_TAMPERED = "audit_tampered";
/** The exit status of a command that refused to write to (or sign) such a log: EX_DATAERR. */
export const AUDIT_TAMPERED_EXIT = 65;

export interface AnchorInput {
  store: AuditLogStore;
  /** The key to check every signature with. */
  verifierKey: string;
  /** Checkpoints kept outside the store: the checkpoint directory, a `--from` file. */
  saved: readonly SavedCheckpoint[];
  /** The verifier key the data directory holds, compared with `verifierKey`. */
  dataDirKey?: string;
}

export interface AnchorReport {
  ok: boolean;
  size: number;
  /** Entries the largest matching checkpoint vouches for. */
  signedSize: number;
  /** Entries past it: none in a log only airlock wrote, since every commit signs the head. */
  unsigned: number;
  checkpointsChecked: number;
  firstBad?: FirstBad;
  problems: string[];
  /** Worth saying, not a failure: an older log's unsigned tail. */
  warnings: string[];
  /** The tree of every entry read, from their bytes: where a sealer starts without reading them again. */
  frontier?: FrontierSnapshot;
}

/**
 * Check a store's audit log against everything that signed it: its checkpoint history, its signed tree
 * head, the checkpoints kept outside it, and the verifier key the log itself recorded. `airlock serve`
 * runs this before it signs anything, and `audit verify` prints it. Reads the log once; never throws
 * for a bad log (a read error is a problem too).
 */
export function checkAnchoredLog(input: AnchorInput): Promise<AnchorReport> {
  return input.store.consistentRead(() => check(input));
}

async function check(input: AnchorInput): Promise<AnchorReport> {
  const { store, verifierKey } = input;
  const key = parseVerifierKey(verifierKey);
  const origin = key.ok ? key.key.name : "";
  const stored = await store.checkpoints();
  const head = await store.head();
  const recorded: { index: number; key: unknown }[] = [];
  let frontier: FrontierSnapshot | undefined;
  const report = await verifyLogStream({
    keepFrontier: (f) => {
      frontier = f;
    },
    entries: tapConfigLoaded(store.auditEntries(), recorded),
    checkpoints: stored.map((c) => c.note),
    verifierKey,
    origin,
    saved: [...(head ? [{ label: "the store's signed tree head", note: head.note }] : []), ...input.saved],
  });
  const extra: FirstBad[] = [];
  const warnings: string[] = [];
  const storeSigned = Math.max(head?.size ?? 0, ...stored.map((c) => c.size));
  for (const saved of input.saved) {
    const opened = openCheckpoint(saved.note, verifierKey, origin);
    if (opened.ok && opened.checkpoint.size > storeSigned)
      extra.push({
        index: storeSigned,
        end: opened.checkpoint.size,
        problem:
          `${saved.label} vouches for ${opened.checkpoint.size} entries, but the store's own checkpoints for only ` +
          `${storeSigned}: checkpoints were deleted from the store, or it was replaced by an older copy`,
      });
  }
  const unsigned = report.size - report.signedSize;
  if (unsigned > 0) {
    const range = `entries ${report.signedSize}..${report.size - 1}`;
    if (head || input.saved.length > 0)
      extra.push({
        index: report.signedSize,
        end: report.size,
        problem:
          `${range} are signed by no checkpoint: airlock signs the log's head in every commit, so they ` +
          "were written by something else, or the signed tree head was deleted",
      });
    else warnings.push(`${range} are not signed yet (a log written before airlock signed every commit)`);
  }
  for (const r of recorded)
    if (r.key !== verifierKey)
      extra.push({
        index: r.index,
        problem: `entry ${r.index} (config.loaded) records the verifier key ${String(r.key)}, not ${verifierKey}`,
      });
  if (input.dataDirKey !== undefined && input.dataDirKey !== verifierKey)
    extra.push({
      index: 0,
      problem:
        `the data directory's verifier key (${input.dataDirKey}) is not ${verifierKey}, the key ` +
        "given: the key files were replaced, or this is another log",
    });
  // What the tree and the signatures say comes first: it names the changed entries (or the range that
  // holds them); the rest (deleted checkpoints, an unsigned tail, another key) says how it was hidden.
  const firstBad = report.firstBad ?? [...extra].sort((a, b) => a.index - b.index)[0];
  return {
    ok: report.ok && extra.length === 0,
    size: report.size,
    signedSize: report.signedSize,
    unsigned,
    checkpointsChecked: report.checkpointsChecked,
    ...(firstBad ? { firstBad } : {}),
    problems: [...report.problems, ...extra.map((e) => e.problem)],
    warnings,
    ...(frontier ? { frontier } : {}),
  };
}

/** The entries as they stream past, noting the verifier key each config.loaded entry recorded. */
async function* tapConfigLoaded(
  entries: AsyncIterable<LogEntry>,
  recorded: { index: number; key: unknown }[],
): AsyncIterable<LogEntry> {
  for await (const entry of entries) {
    if (entry.bytes.includes('"config.loaded"')) {
      try {
        const parsed = JSON.parse(entry.bytes) as { type?: unknown; config?: { verifierKey?: unknown } };
        if (parsed.type === "config.loaded")
          recorded.push({ index: entry.index, key: parsed.config?.verifierKey });
      } catch {
        // Not JSON: the chain check names this entry.
      }
    }
    yield entry;
  }
}

/** `airlock serve` (or a command that writes the log) refuses to sign a log that disagrees with its checkpoints. */
export class AuditTampered extends Error {
  override name = "AuditTampered";
  readonly code = AUDIT_TAMPERED;
  constructor(readonly report: AnchorReport) {
    const bad = report.firstBad;
    super(
      `the audit log does not match its signed checkpoints${bad ? ` (${describeFirstBad(bad)})` : ""}:\n` +
        `${report.problems.map((p) => `  ${p}`).join("\n")}\n` +
        "Nothing was signed. Keep this data directory as evidence; run `airlock audit verify --key KEY " +
        "--checkpoints DIR` for the full report, and start airlock on a new data directory.",
    );
  }
}

/** "entry 12" or "entries 12..39": where the first problem is, as exactly as the checkpoints can say. */
export function describeFirstBad(bad: FirstBad): string {
  return bad.end !== undefined
    ? `somewhere in entries ${bad.index}..${bad.end - 1}`
    : `at entry ${bad.index}`;
}
