import { Findings, type FirstBad } from "./findings.js";
import { MerkleFrontier } from "./frontier.js";
import { parseVerifierKey } from "./note-keys.js";
import { consistencyProofHex } from "./proof.js";
import { verifyConsistencyHex } from "./proof-verify.js";
import { SubtreeWindow } from "./subtree-window.js";
import { EMPTY_ROOT_HEX } from "./tree-hash.js";
import { openCheckpoints, type SavedCheckpoint, type SignedRoot } from "./verify-checkpoints.js";
import { EntryChain, type LogEntry } from "./verify-entries.js";

export type { FirstBad } from "./findings.js";
export type { SavedCheckpoint } from "./verify-checkpoints.js";
export type { LogEntry } from "./verify-entries.js";

export interface VerifyLogInput {
  /** Every entry, in index order (a store's `auditEntries()`); read once, lazily. */
  entries: Iterable<LogEntry>;
  /** The stored signed checkpoints (note text), oldest first. */
  checkpoints: Iterable<string>;
  /** The log's verifier key, `<name>+<key ID>+<base64 key>`, from somewhere the log's host cannot change. */
  verifierKey: string;
  /** The log's origin: every checkpoint must name it. */
  origin: string;
  /** A signed checkpoint saved elsewhere earlier, that the log must still be consistent with. */
  from?: string;
  /** More signed checkpoints kept outside the store's history (the checkpoint directory, the signed tree head). */
  saved?: readonly SavedCheckpoint[];
  /** Told of the tree's frontier once every entry was read (so a sealer need not read the log again). */
  keepFrontier?: (frontier: FrontierSnapshot) => void;
}

export type FrontierSnapshot = ReturnType<MerkleFrontier["snapshot"]>;

export interface VerifyLogResult {
  ok: boolean;
  /** Entries read. */
  size: number;
  /** Signed checkpoints (the stored ones and `from`) compared with the entries. */
  checkpointsChecked: number;
  /** How many entries, from the first, the largest checkpoint that matched vouches for. */
  signedSize: number;
  firstBad?: FirstBad;
  /** Every problem found, each saying what is wrong and with which entries. */
  problems: string[];
}

/**
 * Recompute the whole log from its bytes and check it against its signed checkpoints: every entry's
 * hash, index and link to the one before; every checkpoint's signature and origin; the tree root at
 * every checkpoint's size; and a consistency proof, generated from the entries and verified as a
 * client would, from each matching checkpoint to the next. One pass over the entries; memory is O(log n)
 * for the tree plus 64 bytes an entry since the last matching checkpoint (the subtrees a proof reads).
 * Every checkpoint costs an Ed25519 verification. Never throws: a read error is a problem too.
 */
export function verifyLog(input: VerifyLogInput): VerifyLogResult {
  const run = start(input);
  if ("ok" in run) return run;
  try {
    for (const entry of input.entries) run.walk.add(entry);
  } catch (err) {
    run.walk.unreadable(err);
  }
  return run.finish();
}

/** `verifyLog` over entries a store reads asynchronously (every store's `auditEntries()`). */
export async function verifyLogStream(
  input: Omit<VerifyLogInput, "entries"> & { entries: AsyncIterable<LogEntry> | Iterable<LogEntry> },
): Promise<VerifyLogResult> {
  const run = start({ ...input, entries: [] });
  if ("ok" in run) return run;
  try {
    for await (const entry of input.entries) run.walk.add(entry);
  } catch (err) {
    run.walk.unreadable(err);
  }
  return run.finish();
}

/** The checks before the first entry; a result when nothing can be checked. */
function start(input: VerifyLogInput): VerifyLogResult | { walk: Walk; finish: () => VerifyLogResult } {
  const findings = new Findings();
  const verifier = parseVerifierKey(input.verifierKey);
  if (!verifier.ok) {
    findings.checkpoint(0, `the verifier key is malformed (${verifier.error}): nothing can be checked`);
    return result(findings, 0, 0, 0);
  }
  const walk = new Walk(findings);
  try {
    const saved = [
      ...(input.from !== undefined ? [{ label: "the checkpoint saved elsewhere", note: input.from }] : []),
      ...(input.saved ?? []),
    ];
    walk.begin(openCheckpoints(input.checkpoints, saved, verifier.key, input.origin, findings));
  } catch (err) {
    walk.unreadable(err);
  }
  return {
    walk,
    finish: () => {
      if (!walk.failed) {
        walk.end();
        input.keepFrontier?.(walk.frontier());
      }
      return result(findings, walk.size, walk.checked, walk.good.size);
    },
  };
}

function result(findings: Findings, size: number, checked: number, signedSize: number): VerifyLogResult {
  const firstBad = findings.firstBad();
  const problems = findings.problems();
  const out: VerifyLogResult = {
    ok: findings.count === 0,
    size,
    checkpointsChecked: checked,
    signedSize,
    problems,
  };
  if (firstBad) out.firstBad = firstBad;
  return out;
}

/** The last checkpoint whose root matched: where the next consistency proof starts. */
interface Good extends SignedRoot {
  frontier: MerkleFrontier;
}

class Walk {
  readonly #findings: Findings;
  readonly #frontier = new MerkleFrontier();
  readonly #window = new SubtreeWindow();
  good: Good = { label: "the empty log", size: 0, root: EMPTY_ROOT_HEX, frontier: new MerkleFrontier() };
  checked = 0;

  constructor(findings: Findings) {
    this.#findings = findings;
  }

  get size(): number {
    return this.#frontier.size;
  }

  frontier(): FrontierSnapshot {
    return this.#frontier.snapshot();
  }

  #chain: EntryChain | undefined;
  #signed: readonly SignedRoot[] = [];
  #next = 0;
  #last = 0;
  failed = false;

  begin(signed: readonly SignedRoot[]): void {
    this.#chain = new EntryChain(this.#findings);
    this.#signed = signed;
    this.#last = signed.at(-1)?.size ?? 0;
    this.#reach();
  }

  add(entry: LogEntry): void {
    if (!this.#chain || this.failed) return;
    // Past the last checkpoint no proof is made, so no subtree need be kept.
    const window = this.#window;
    this.#frontier.appendHex(
      this.#chain.check(entry),
      this.size < this.#last ? (level, start, hash) => window.record(level, start, hash) : undefined,
    );
    this.#reach();
  }

  /** The log could not be read on: a problem at the entry where reading stopped. */
  unreadable(err: unknown): void {
    this.failed = true;
    this.#findings.entry(
      this.size,
      `the log could not be read after ${this.size} entries: ${(err as Error).message}`,
    );
  }

  end(): void {
    for (const { label, size } of this.#signed.slice(this.#next)) {
      this.checked++;
      this.#findings.range(
        this.size,
        size,
        `${label} covers ${size} entries, but the log has ${this.size}: entries ${this.size}..${size - 1} were deleted`,
      );
    }
  }

  #reach(): void {
    for (; this.#next < this.#signed.length && this.#signed[this.#next]?.size === this.size; this.#next++)
      this.#compare(this.#signed[this.#next] as SignedRoot);
  }

  #compare(target: SignedRoot): void {
    this.checked++;
    const good = this.good;
    const span = good.size === target.size ? "" : ` entries ${good.size}..${target.size - 1}`;
    if (target.root !== this.#frontier.rootHex()) {
      this.#findings.range(
        good.size,
        target.size,
        `${target.label} does not match the log:${span} were changed, inserted or removed, and hashes ` +
          `recomputed, after it was signed (the last checkpoint that matches is ${good.label})`,
      );
      return;
    }
    const window = this.#window;
    const tree = {
      leaf: (i: number) => unreachable(i),
      // Left of the good checkpoint, the nodes a proof needs are its frontier's; right of it, the window has them all.
      known: (s: number, e: number) => (e <= good.size ? good.frontier.subtreeHex(s, e) : window.get(s, e)),
    };
    const proof = consistencyProofHex(tree, good.size, target.size);
    if (!verifyConsistencyHex(good.size, target.size, good.root, target.root, proof)) {
      this.#findings.range(good.size, target.size, `${target.label} is not consistent with ${good.label}`);
      return;
    }
    window.reset(target.size);
    this.good = { ...target, frontier: this.#frontier.clone() };
  }
}

function unreachable(leaf: number): never {
  throw new Error(
    `internal error: leaf ${leaf} is neither in the window nor in the last good checkpoint's frontier`,
  );
}
