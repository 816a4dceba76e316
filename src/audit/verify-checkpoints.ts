import { openCheckpoint, parseCheckpoint } from "./checkpoint.js";
import type { Findings } from "./findings.js";
import type { NoteVerifier } from "./note-keys.js";
import { type HexHash, toHex } from "./tree-hash.js";

/** A checkpoint whose signature verified: the root the log's key signed for its first `size` entries. */
export interface SignedRoot {
  /** How problems name it: "checkpoint 3 (size 120)". */
  label: string;
  size: number;
  root: HexHash;
}

/**
 * Open the stored checkpoints (oldest first) and the one saved elsewhere (`from`), reporting those that
 * cannot be trusted: a bad or missing signature, another log's origin, a size smaller than an earlier
 * one. Returns the trusted ones by size, for the walk over the entries to compare roots with.
 */
export function openCheckpoints(
  notes: Iterable<string>,
  from: string | undefined,
  verifier: NoteVerifier,
  origin: string,
  findings: Findings,
): SignedRoot[] {
  const signed: SignedRoot[] = [];
  let largest: SignedRoot | undefined;
  let position = 0;
  for (const note of notes) {
    position++;
    const opened = openCheckpoint(note, verifier, origin);
    if (!opened.ok) {
      const claimed = claimedSize(note);
      const label = `checkpoint ${position}${claimed === undefined ? "" : ` (size ${claimed})`}`;
      // The entries it would have vouched for, past the last trusted one, are vouched for by nothing now.
      findings.checkpoint(largest?.size ?? 0, `${label} cannot be trusted: ${opened.error}`);
      continue;
    }
    const { size, root } = opened.checkpoint;
    const current = { label: `checkpoint ${position} (size ${size})`, size, root: toHex(root) };
    if (largest && size < largest.size)
      findings.checkpoint(
        size,
        `${current.label} is smaller than ${largest.label}, which came before it: a log only grows, ` +
          "so the log was rolled back or the checkpoints reordered",
      );
    signed.push(current);
    if (!largest || size >= largest.size) largest = current;
  }
  if (from !== undefined) {
    const opened = openCheckpoint(from, verifier, origin);
    if (opened.ok) {
      const { size, root } = opened.checkpoint;
      signed.push({ label: `the checkpoint saved elsewhere (size ${size})`, size, root: toHex(root) });
    } else {
      findings.checkpoint(0, `the checkpoint saved elsewhere cannot be trusted: ${opened.error}`);
    }
  }
  return signed.sort((a, b) => a.size - b.size);
}

/** The size an untrusted checkpoint claims, to say which entries it was about. */
function claimedSize(note: string): number | undefined {
  const parsed = parseCheckpoint(note.slice(0, note.lastIndexOf("\n\n") + 1));
  return parsed.ok ? parsed.checkpoint.size : undefined;
}
