/**
 * What a verification found, and which finding names the first bad entry.
 *
 * - An entry finding names one entry: it was edited, is missing, was moved.
 * - A checkpoint finding names a checkpoint that cannot be trusted; its index is the first entry that
 *   checkpoint alone would have vouched for.
 * - A range finding names the entries a checkpoint covers when its root differs, without knowing which
 *   one is wrong. An entry finding inside the range explains it (a flipped byte changes every root
 *   after it), so `firstBad` names the entry, the more precise of the two.
 */

export interface FirstBad {
  /** The first entry that is missing, changed, or no longer vouched for by a signed checkpoint. */
  index: number;
  /**
   * For a checkpoint whose root no longer matches: the end (exclusive) of the entries it covers. The
   * change is somewhere in index..end-1; the tree cannot say which entry without another checkpoint.
   */
  end?: number;
  problem: string;
}

type Kind = "entry" | "checkpoint" | "range";

interface Finding {
  kind: Kind;
  index: number;
  problem: string;
  /** For a range: the end (exclusive) of the entries it covers. */
  end: number;
}

/** Problems listed; the rest are counted. A log with every entry edited need not list a million. */
const MAX_LISTED = 100;
/**
 * Findings kept. Entries are read in order and a range starts where the last good checkpoint ended,
 * so findings past this many never name an earlier entry than those kept.
 */
const MAX_KEPT = 1000;
const PRECISION: Record<Kind, number> = { entry: 0, checkpoint: 1, range: 2 };

export class Findings {
  readonly #all: Finding[] = [];
  #dropped = 0;

  get count(): number {
    return this.#all.length + this.#dropped;
  }

  entry(index: number, problem: string): void {
    this.#keep({ kind: "entry", index, problem, end: index + 1 });
  }

  checkpoint(index: number, problem: string): void {
    this.#keep({ kind: "checkpoint", index, problem, end: index + 1 });
  }

  range(start: number, end: number, problem: string): void {
    this.#keep({ kind: "range", index: start, problem, end });
  }

  firstBad(): FirstBad | undefined {
    const entries = this.#all.filter((f) => f.kind === "entry");
    const explained = (r: Finding) => entries.some((e) => e.index >= r.index && e.index < r.end);
    let first: Finding | undefined;
    for (const f of this.#all) {
      if (f.kind === "range" && explained(f)) continue;
      if (
        !first ||
        f.index < first.index ||
        (f.index === first.index && PRECISION[f.kind] < PRECISION[first.kind])
      )
        first = f;
    }
    if (!first) return undefined;
    return first.kind === "range" && first.end > first.index + 1
      ? { index: first.index, end: first.end, problem: first.problem }
      : { index: first.index, problem: first.problem };
  }

  /** Every problem, by the entry it starts at. */
  problems(): string[] {
    const sorted = [...this.#all].sort((a, b) => a.index - b.index).map((f) => f.problem);
    const more = sorted.length - MAX_LISTED + this.#dropped;
    return more > 0 ? [...sorted.slice(0, MAX_LISTED), `…and ${more} more problems`] : sorted;
  }

  #keep(finding: Finding): void {
    if (this.#all.length < MAX_KEPT) this.#all.push(finding);
    else this.#dropped++;
  }
}
