import { describe, expect, it } from "vitest";
import { openCheckpoint } from "../../src/audit/checkpoint.js";
import { MerkleFrontier, rootOf } from "../../src/audit/merkle.js";
import { generateSignerKey, verifierFromSigner } from "../../src/audit/note.js";
import { LogSealer } from "../../src/audit/sealer.js";
import { leafHash } from "../../src/audit/tree-hash.js";
import { encodeAll, fields, ORIGIN } from "./log-fixture.js";

const signer = generateSignerKey(ORIGIN);
const entries = encodeAll(Array.from({ length: 23 }, (_, i) => fields(i)));
const read = (from: number) => entries.slice(from);

describe("LogSealer", () => {
  it("signs the root of the entries' bytes, and only what is new", () => {
    const sealer = new LogSealer(signer);
    const seal = sealer.draft(read);
    const opened = openCheckpoint(seal?.note ?? "", verifierFromSigner(signer), ORIGIN);
    expect(opened.ok && opened.checkpoint.root).toEqual(rootOf(entries.map((e) => leafHash(e.bytes))));
    expect(sealer.size).toBe(0); // nothing adopted until the commit is durable
    if (seal) sealer.adopt(seal);
    expect(sealer.draft(read)).toBeUndefined();
  });

  it("hashes the bytes, never a stored leaf hash", () => {
    const lying = entries.map((e) => ({ ...e, leafHash: Buffer.alloc(32) }));
    const a = new LogSealer(signer).draft(() => lying);
    const b = new LogSealer(signer).draft(read);
    expect(a?.note).toBe(b?.note);
  });

  it("resumed from a tree rebuilt at start, signs what a full read signs", () => {
    const rebuilt = MerkleFrontier.from(entries.slice(0, 17).map((e) => leafHash(e.bytes))).snapshot();
    const resumed = new LogSealer(signer);
    resumed.resume(rebuilt);
    const leaves = entries.slice(17).map((e) => leafHash(e.bytes));
    expect(resumed.draft(() => [], { from: 17, leaves })?.note).toBe(new LogSealer(signer).draft(read)?.note);
  });
});
