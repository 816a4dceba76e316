import { GENESIS_PREV } from "./entry.js";
import { readEntryHeader } from "./entry-header.js";
import type { Findings } from "./findings.js";
import { type HexHash, leafHashHex, toHex } from "./tree-hash.js";

/** An entry as a store keeps it: its position, its exact bytes and, optionally, the hash it stored. */
export interface LogEntry {
  index: number;
  bytes: string;
  /** The leaf hash the store recorded when it appended the entry. */
  leafHash?: Uint8Array;
}

/**
 * Checks each entry against itself and the one before, in log order, and reports at most one problem
 * per entry, blaming the entry that changed:
 *
 * - the store's index skips (an entry deleted) or goes back (one inserted or moved);
 * - the bytes no longer hash to the stored leaf hash (edited in place);
 * - the bytes are not a well-formed entry, or say they are another index (moved);
 * - the entry's `prev` is not the hash of the entry before: that one was edited and rehashed.
 *
 * After a skip it resynchronises on the index it found, so one deletion is one problem, not a million.
 */
export class EntryChain {
  readonly #findings: Findings;
  #expected = 0;
  #prevHash: HexHash = GENESIS_PREV;
  #prevBad = false;

  constructor(findings: Findings) {
    this.#findings = findings;
  }

  /** The entry's leaf hash as its bytes hash now, which is what the tree is rebuilt from. */
  check(entry: LogEntry): HexHash {
    const leaf = leafHashHex(entry.bytes);
    const problem = this.#problem(entry, leaf);
    if (problem) this.#findings.entry(problem[0], problem[1]);
    this.#expected = entry.index + 1;
    this.#prevHash = leaf;
    this.#prevBad = problem !== undefined;
    return leaf;
  }

  #problem(entry: LogEntry, leaf: HexHash): [number, string] | undefined {
    const { index, bytes, leafHash } = entry;
    const expected = this.#expected;
    if (!Number.isSafeInteger(index)) return [expected, `the entry after entry ${expected - 1} has no index`];
    if (index > expected)
      return [
        expected,
        expected === 0
          ? `entry 0 is missing: the log starts at entry ${index}`
          : `entry ${expected} is missing: entry ${index} follows entry ${expected - 1} (deleted, or entries reordered)`,
      ];
    if (index < expected)
      return [
        index,
        `entry ${index} appears again after entry ${expected - 1} (inserted, duplicated or reordered)`,
      ];
    if (leafHash !== undefined && (leafHash.byteLength !== 32 || toHex(leafHash) !== leaf))
      return [index, `entry ${index} was edited: its bytes no longer hash to the leaf hash stored with it`];
    const header = readEntryHeader(bytes);
    if (!header.ok)
      return [index, `entry ${index} is not a well-formed audit entry (${header.error}): it was edited`];
    if (header.index !== index)
      return [index, `entry ${index} holds the bytes of entry ${header.index}: entries were moved`];
    if (header.prev === this.#prevHash) return undefined;
    if (index === 0) return [0, `entry 0 records prev ${short(header.prev)}, not 64 zeros: it was edited`];
    if (this.#prevBad) return undefined; // the entry before is already reported; this follows from it
    return [
      index - 1,
      `entry ${index - 1} was changed after entry ${index} was written: entry ${index} records its hash as ` +
        `${short(header.prev)}, but it now hashes to ${short(this.#prevHash)}`,
    ];
  }
}

function short(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}
