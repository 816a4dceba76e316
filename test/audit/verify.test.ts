import { describe, expect, it } from "vitest";
import { signCheckpoint } from "../../src/audit/checkpoint.js";
import { leafHash, rootOf } from "../../src/audit/merkle.js";
import { generateSignerKey } from "../../src/audit/note.js";
import { type LogEntry, type VerifyLogInput, verifyLog } from "../../src/audit/verify.js";
import { checkpointsOf, encodeAll, type fields, hexOf, type Log, makeLog, ORIGIN } from "./log-fixture.js";

const SIZES = [0, 7, 16, 23, 33, 40];
const log = makeLog(40, SIZES);

function verify(change: Partial<VerifyLogInput> = {}, base: Log = log) {
  return verifyLog({
    entries: base.entries,
    checkpoints: base.checkpoints,
    verifierKey: base.verifierKey,
    origin: ORIGIN,
    ...change,
  });
}

function editBytes(entry: LogEntry, edit: (bytes: string) => string): LogEntry {
  return { ...entry, bytes: edit(entry.bytes) };
}

const without = <T>(list: readonly T[], at: number) => list.filter((_, i) => i !== at);
const replaced = <T>(list: readonly T[], at: number, value: T) => list.map((x, i) => (i === at ? value : x));

describe("verifyLog on an intact log", () => {
  it("recomputes every entry and checkpoint and finds nothing", () => {
    expect(verify()).toEqual({ ok: true, size: 40, checkpointsChecked: 6, signedSize: 40, problems: [] });
  });

  it("works without stored hashes, and with entries past the last checkpoint", () => {
    const grown = makeLog(45, SIZES, log.signerKey);
    const entries = grown.entries.map(({ index, bytes }) => ({ index, bytes }));
    expect(verify({ entries, checkpoints: log.checkpoints })).toMatchObject({
      ok: true,
      size: 45,
      signedSize: 40,
    });
  });

  it("proves consistency between checkpoints of every size, and any sizes", () => {
    const every = Array.from({ length: 41 }, (_, i) => i);
    expect(verify({ checkpoints: checkpointsOf(log.entries, every, log.signerKey) })).toMatchObject({
      ok: true,
      checkpointsChecked: 41,
    });
    for (const sizes of [
      [1, 2, 3, 5, 8, 13, 21, 34],
      [31, 32, 33],
      [4, 40],
      [17, 17, 39],
    ]) {
      const result = verify({ checkpoints: checkpointsOf(log.entries, sizes, log.signerKey) });
      expect(result, String(sizes)).toMatchObject({ ok: true, signedSize: sizes.at(-1) });
    }
  });

  it("reads the entries once, as a stream", () => {
    let reads = 0;
    function* stream() {
      for (const e of log.entries) {
        reads++;
        yield e;
      }
    }
    expect(verify({ entries: stream() }).ok).toBe(true);
    expect(reads).toBe(40);
  });
});

describe("verifyLog names the first bad entry", () => {
  it("for a flipped byte, by its stored hash", () => {
    const entries = replaced(
      log.entries,
      12,
      editBytes(log.entries[12] as LogEntry, (b) => b.replace("2026", "2027")),
    );
    expect(verify({ entries }).firstBad).toEqual({
      index: 12,
      problem: expect.stringMatching(/^entry 12 was edited/),
    });
  });

  it("for a flipped byte in a log without stored hashes, by the next entry's prev", () => {
    const entries = log.entries.map(({ index, bytes }) => ({
      index,
      bytes: index === 12 ? bytes.replace("2026", "2027") : bytes,
    }));
    const result = verify({ entries });
    expect(result.firstBad).toEqual({
      index: 12,
      problem: expect.stringMatching(/^entry 12 was changed after entry 13 was written/),
    });
    expect(result.problems).toContainEqual(expect.stringMatching(/checkpoint 4 \(size 23\) does not match/));
  });

  it("for an edit that leaves no entry, rehashed", () => {
    const broken = { ...(log.entries[12] as LogEntry), bytes: "{not json" };
    const entries = replaced(log.entries, 12, { ...broken, leafHash: leafHash(broken.bytes) });
    expect(verify({ entries }).firstBad).toMatchObject({
      index: 12,
      problem: expect.stringMatching(/not a well-formed/),
    });
  });

  it("for a deleted entry", () => {
    const result = verify({ entries: without(log.entries, 12) });
    expect(result.firstBad).toEqual({ index: 12, problem: expect.stringMatching(/^entry 12 is missing/) });
    expect(result.ok).toBe(false);
  });

  it("for two entries swapped", () => {
    const swapped = [...log.entries];
    [swapped[12], swapped[13]] = [swapped[13] as LogEntry, swapped[12] as LogEntry];
    expect(verify({ entries: swapped }).firstBad?.index).toBe(12);
  });

  it("for two entries' bytes swapped in place, hashes and all", () => {
    const [a, b] = [log.entries[12] as LogEntry, log.entries[13] as LogEntry];
    const entries = replaced(replaced(log.entries, 12, { ...b, index: 12 }), 13, { ...a, index: 13 });
    expect(verify({ entries }).firstBad).toEqual({
      index: 12,
      problem: expect.stringMatching(/^entry 12 holds the bytes of entry 13/),
    });
  });

  it("for an inserted entry", () => {
    const [forged] = encodeAll(
      [
        {
          type: "request.approved",
          time: "2026-01-01T00:00:12.500Z",
          requestId: "r-12",
          digest: "d".repeat(64),
          by: "mallory",
          count: 2,
          required: 2,
        },
      ],
      12,
      hexOf(log.entries[11]),
    );
    const entries = [...log.entries.slice(0, 12), forged as LogEntry, ...log.entries.slice(12)];
    expect(verify({ entries }).firstBad?.index).toBe(12);
  });

  it("for a truncated tail, by the checkpoint that covers it", () => {
    const result = verify({ entries: log.entries.slice(0, 35) });
    expect(result.firstBad).toEqual({
      index: 35,
      end: 40,
      problem: expect.stringMatching(
        /^checkpoint 6 \(size 40\) covers 40 entries, but the log has 35: entries 35..39/,
      ),
    });
  });

  it("for a truncated tail whose checkpoints went with it, by a checkpoint saved elsewhere", () => {
    const cut = { entries: log.entries.slice(0, 35), checkpoints: log.checkpoints.slice(0, 5) };
    expect(verify(cut).ok).toBe(true);
    const result = verify({ ...cut, from: log.checkpoints[5] });
    expect(result.firstBad).toMatchObject({
      index: 35,
      problem: expect.stringMatching(/saved elsewhere \(size 40\)/),
    });
  });

  it("for history rewritten with every hash recomputed, by the range of the first checkpoint it breaks", () => {
    const rewritten = [
      ...log.entries.slice(0, 18),
      ...rehashedFrom(18, {
        type: "paused",
        time: "2026-01-01T00:00:18.000Z",
        scope: "all",
        by: "mallory",
        at: "2026-01-01T00:00:18.000Z",
      }),
    ];
    const result = verify({ entries: rewritten });
    // The change is somewhere in 16..22: the tree cannot say where without another checkpoint.
    expect(result.firstBad).toEqual({
      index: 16,
      end: 23,
      problem: expect.stringMatching(
        /^checkpoint 4 \(size 23\) does not match the log: entries 16..22 were changed/,
      ),
    });
    expect(result.signedSize).toBe(16);
  });

  it("for a log no longer consistent with a checkpoint saved elsewhere", () => {
    const other = makeLog(30, [], log.signerKey);
    const fork = [
      ...other.entries.slice(0, 25),
      ...rehashedFrom(
        25,
        { type: "resumed", time: "2026-01-02T00:00:00.000Z", scope: "all", by: "mallory" },
        other,
      ),
    ];
    const [from] = checkpointsOf(fork, [30], log.signerKey);
    expect(verify({ from }).firstBad).toMatchObject({
      index: 23,
      problem: expect.stringMatching(
        /^the checkpoint saved elsewhere \(size 30\) does not match the log: entries 23..29/,
      ),
    });
  });
});

describe("verifyLog refuses checkpoints it cannot trust", () => {
  it("a forged signature", () => {
    const [text, signature] = (log.checkpoints[3] as string).split(`\n— ${ORIGIN} `) as [string, string];
    const bytes = Buffer.from(signature, "base64");
    bytes[10] = (bytes[10] as number) ^ 1; // in the Ed25519 signature, after the 4-byte key ID
    const forged = `${text}\n— ${ORIGIN} ${bytes.toString("base64")}\n`;
    const result = verify({ checkpoints: replaced(log.checkpoints, 3, forged) });
    expect(result.firstBad).toEqual({
      index: 16,
      problem: expect.stringMatching(/^checkpoint 4 \(size 23\) cannot be trusted: invalid signature/),
    });
  });

  it("a checkpoint signed by another key, even with the right root", () => {
    const [other] = checkpointsOf(log.entries, [23], generateSignerKey(ORIGIN));
    const result = verify({ checkpoints: replaced(log.checkpoints, 3, other as string) });
    expect(result.firstBad).toMatchObject({
      index: 16,
      problem: expect.stringMatching(/cannot be trusted: the note is not signed by/),
    });
  });

  it("a checkpoint of another log", () => {
    const root = rootOf(log.entries.slice(0, 23).map((e) => e.leafHash as Buffer));
    const elsewhere = signCheckpoint({ origin: "elsewhere/audit", size: 23, root }, log.signerKey);
    const result = verify({ checkpoints: replaced(log.checkpoints, 3, elsewhere) });
    expect(result.firstBad).toMatchObject({
      index: 16,
      problem: expect.stringMatching(/of the log "elsewhere\/audit"/),
    });
  });

  it("a checkpoint smaller than one before it", () => {
    const shuffled = [
      ...log.checkpoints.slice(0, 3),
      log.checkpoints[4],
      log.checkpoints[3],
      log.checkpoints[5],
    ] as string[];
    const result = verify({ checkpoints: shuffled });
    expect(result.firstBad).toMatchObject({
      index: 23,
      problem: expect.stringMatching(/smaller than checkpoint 4 \(size 33\)/),
    });
  });

  it("a malformed verifier key", () => {
    expect(verify({ verifierKey: "nope" })).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/verifier key is malformed/)],
    });
  });
});

describe("verifyLog reports, never throws", () => {
  it("when the entries cannot be read", () => {
    function* failing() {
      yield* log.entries.slice(0, 5);
      throw new Error("disk I/O error");
    }
    expect(verify({ entries: failing() }).firstBad).toEqual({
      index: 5,
      problem: "the log could not be read after 5 entries: disk I/O error",
    });
  });

  it("and lists a hundred problems at most", () => {
    const long = makeLog(150, [], log.signerKey);
    const entries = long.entries.map((e) => ({ ...e, leafHash: Buffer.alloc(32) }));
    const many = verify({ entries, checkpoints: [] }, long);
    expect(many.problems).toHaveLength(101);
    expect(many.problems.at(-1)).toMatch(/^…and \d+ more problems$/);
  });
});

/** Entries from `start` on, as they would be had entry `start` been `first`: every hash recomputed. */
function rehashedFrom(start: number, first: ReturnType<typeof fields>, base: Log = log): LogEntry[] {
  const rest = base.entries.slice(start + 1).map((e) => {
    const { index: _i, prev: _p, v: _v, ...f } = JSON.parse(e.bytes);
    return f;
  });
  return encodeAll([first, ...rest], start, hexOf(base.entries[start - 1]));
}
