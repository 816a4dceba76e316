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

/** A signed checkpoint kept outside the store, and how problems name it. */
export interface SavedCheckpoint {
  /** "the checkpoint saved elsewhere", "checkpoints/000000000120.checkpoint" */
  label: string;
  note: string;
}

/**
 * Open the stored checkpoints (oldest first) and those kept outside the store (`saved`: a `--from`
 * file, the checkpoint directory, the signed tree head), reporting those that cannot be trusted: a bad
 * or missing signature, another log's origin, a stored size smaller than an earlier one. Returns the
 * trusted ones by size, for the walk over the entries to compare roots with.
 */
export function openCheckpoints(
  notes: Iterable<string>,
  saved: readonly SavedCheckpoint[],
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
  for (const { label, note } of saved) {
    const opened = openCheckpoint(note, verifier, origin);
    if (opened.ok) {
      const { size, root } = opened.checkpoint;
      signed.push({ label: `${label} (size ${size})`, size, root: toHex(root) });
    } else {
      findings.checkpoint(0, `${label} cannot be trusted: ${opened.error}`);
    }
  }
  return signed.sort((a, b) => a.size - b.size);
}

/** The size an untrusted checkpoint claims, to say which entries it was about. */
function claimedSize(note: string): number | undefined {
  const parsed = parseCheckpoint(note.slice(0, note.lastIndexOf("\n\n") + 1));
  return parsed.ok ? parsed.checkpoint.size : undefined;
}
