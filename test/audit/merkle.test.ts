import { describe, expect, it } from "vitest";
import {
  consistencyProof,
  EMPTY_ROOT_HEX,
  inclusionProof,
  leafHash,
  MerkleFrontier,
  nodeHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from "../../src/audit/merkle.js";
import { MTH, PATH, PROOF } from "./merkle-reference.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => Buffer.from(s, "hex");

// The Certificate Transparency test vectors (transparency-dev/merkle testonly/constants.go and
// proof/verify_test.go, from the original CT C++ merkle_tree_test.cc): eight leaves, then the root of
// every tree size 0..8.
const CT_LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map(unhex);
const CT_ROOTS = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
// [leaf index (0-based), tree size, proof]
const CT_INCLUSION: [number, number, string[]][] = [
  [
    0,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    5,
    8,
    [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
  [2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
  [
    1,
    5,
    [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
];
// [m, n, proof]
const CT_CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  ],
  [
    6,
    8,
    [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
  [
    2,
    5,
    [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  ],
  [
    6,
    7,
    [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  ],
];

const ctHashes = CT_LEAVES.map((d) => leafHash(d));

describe("the Certificate Transparency vectors", () => {
  it("give the published root for every size 0..8", () => {
    expect(EMPTY_ROOT_HEX).toBe(CT_ROOTS[0]);
    for (let n = 0; n <= 8; n++) expect(hex(rootOf(ctHashes.slice(0, n))), `size ${n}`).toBe(CT_ROOTS[n]);
  });

  it("hash leaves with 0x00 and nodes with 0x01", () => {
    expect(hex(leafHash(new Uint8Array()))).toBe(CT_ROOTS[1]);
    expect(hex(leafHash(""))).toBe(CT_ROOTS[1]);
    expect(hex(nodeHash(ctHashes[0] as Buffer, ctHashes[1] as Buffer))).toBe(CT_ROOTS[2]);
  });

  it.each(CT_INCLUSION)("give the published inclusion proof of leaf %i in %i", (index, size, proof) => {
    expect(inclusionProof(ctHashes, index, size).map(hex)).toEqual(proof);
    const root = unhex(CT_ROOTS[size] as string);
    expect(verifyInclusion(ctHashes[index] as Buffer, index, size, proof.map(unhex), root)).toBe(true);
  });

  it.each(CT_CONSISTENCY)("give the published consistency proof from %i to %i", (m, n, proof) => {
    expect(consistencyProof(ctHashes, m, n).map(hex)).toEqual(proof);
    const [rootM, rootN] = [unhex(CT_ROOTS[m] as string), unhex(CT_ROOTS[n] as string)];
    expect(verifyConsistency(m, n, rootM, rootN, proof.map(unhex))).toBe(true);
  });
});

describe("the fast tree against RFC 6962's definitions", () => {
  const MAX = 70;
  const data = Array.from({ length: MAX }, (_, i) => Buffer.from(`entry ${i} ${"x".repeat(i % 5)}`));
  const hashes = data.map((d) => leafHash(d));

  it("MerkleFrontier and rootOf give MTH for every size 0..70", () => {
    const frontier = new MerkleFrontier();
    for (let n = 0; n <= MAX; n++) {
      const want = hex(MTH(data.slice(0, n)));
      expect(hex(frontier.root()), `frontier at ${n}`).toBe(want);
      expect(hex(rootOf(hashes.slice(0, n))), `rootOf ${n}`).toBe(want);
      expect(hex(MerkleFrontier.restore(frontier.snapshot()).root())).toBe(want);
      if (n < MAX) frontier.append(hashes[n] as Buffer);
    }
  });

  it("inclusionProof is PATH, and verifies, for every leaf of every size up to 70", () => {
    for (let n = 1; n <= MAX; n++) {
      const root = MTH(data.slice(0, n));
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof((j) => hashes[j] as Buffer, i, n);
        expect(proof.map(hex), `PATH(${i}, D[${n}])`).toEqual(PATH(i, data.slice(0, n)).map(hex));
        expect(verifyInclusion(hashes[i] as Buffer, i, n, proof, root)).toBe(true);
      }
    }
  });

  it("consistencyProof is PROOF, and verifies, for every 0 < m <= n <= 70", () => {
    for (let n = 1; n <= MAX; n++) {
      const rootN = MTH(data.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(hashes, m, n);
        expect(proof.map(hex), `PROOF(${m}, D[${n}])`).toEqual(PROOF(m, data.slice(0, n)).map(hex));
        expect(verifyConsistency(m, n, MTH(data.slice(0, m)), rootN, proof), `${m} → ${n}`).toBe(true);
      }
    }
  });

  it("needs no leaf before m for a consistency proof when given the frontier at m", () => {
    for (let n = 2; n <= MAX; n += 3) {
      for (let m = 1; m < n; m++) {
        const frontier = MerkleFrontier.from(hashes.slice(0, m));
        const late = (j: number) => {
          if (j < m) throw new Error(`read leaf ${j}, before ${m}`);
          return hashes[j] as Buffer;
        };
        expect(consistencyProof(late, m, n, { frontier }).map(hex)).toEqual(
          consistencyProof(hashes, m, n).map(hex),
        );
      }
    }
  });
});

describe("proof verification refuses what does not prove", () => {
  const MAX = 40;
  const hashes = Array.from({ length: MAX }, (_, i) => leafHash(`leaf ${i}`));
  const flip = (proof: Buffer[], at: number) =>
    proof.map((p, i) => (i === at ? Buffer.from(p.map((b, j) => (j === 0 ? b ^ 8 : b))) : p));

  it("an inclusion proof with a flipped bit, a wrong index or size, or extra or missing hashes", () => {
    for (let n = 1; n <= MAX; n++) {
      const root = rootOf(hashes.slice(0, n));
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(hashes, i, n);
        const leaf = hashes[i] as Buffer;
        for (let at = 0; at < proof.length; at++)
          expect(verifyInclusion(leaf, i, n, flip(proof, at), root)).toBe(false);
        if (n > 1) expect(verifyInclusion(leaf, (i + 1) % n, n, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, i, n * 2, proof, root)).toBe(false);
        if (i < Math.floor(n / 2))
          expect(verifyInclusion(leaf, i, Math.floor(n / 2), proof, root)).toBe(false);
        expect(verifyInclusion(leaf, i, n, [...proof, root], root)).toBe(false);
        expect(verifyInclusion(leaf, i, n, [root, ...proof], root)).toBe(false);
        if (proof.length > 0) expect(verifyInclusion(leaf, i, n, proof.slice(1), root)).toBe(false);
        expect(verifyInclusion(leaf, i, n, [...proof, Buffer.alloc(0)], root)).toBe(false);
        expect(verifyInclusion(leaf, n, n, proof, root)).toBe(false);
      }
    }
  });

  it("a consistency proof with a flipped bit, wrong sizes or roots, or extra or missing hashes", () => {
    for (let n = 2; n <= MAX; n++) {
      const rootN = rootOf(hashes.slice(0, n));
      for (let m = 1; m < n; m++) {
        const rootM = rootOf(hashes.slice(0, m));
        const proof = consistencyProof(hashes, m, n);
        for (let at = 0; at < proof.length; at++)
          expect(verifyConsistency(m, n, rootM, rootN, flip(proof, at)), `${m}→${n} flip ${at}`).toBe(false);
        expect(verifyConsistency(m, n, rootN, rootM, proof)).toBe(false);
        expect(verifyConsistency(m, n, rootM, rootM, proof)).toBe(false);
        expect(verifyConsistency(m - 1, n, rootM, rootN, proof)).toBe(false);
        expect(verifyConsistency(m, n * 2, rootM, rootN, proof)).toBe(false);
        if (m <= Math.floor(n / 2))
          expect(verifyConsistency(m, Math.floor(n / 2), rootM, rootN, proof)).toBe(false);
        expect(verifyConsistency(m, n, rootM, rootN, [])).toBe(false);
        expect(verifyConsistency(m, n, rootM, rootN, proof.slice(0, -1))).toBe(false);
        expect(verifyConsistency(m, n, rootM, rootN, [...proof, rootN])).toBe(false);
        expect(verifyConsistency(n, m, rootN, rootM, proof)).toBe(false);
      }
    }
  });

  it("the trivial cases: equal sizes need equal roots, size 0 needs the empty root, and no proof", () => {
    const root = rootOf(hashes.slice(0, 5));
    const empty = unhex(EMPTY_ROOT_HEX);
    expect(verifyConsistency(5, 5, root, root, [])).toBe(true);
    expect(verifyConsistency(5, 5, root, empty, [])).toBe(false);
    expect(verifyConsistency(5, 5, root, root, [root])).toBe(false);
    expect(consistencyProof(hashes, 0, 5)).toEqual([]);
    expect(verifyConsistency(0, 5, empty, root, [])).toBe(true);
    expect(verifyConsistency(0, 5, root, root, [])).toBe(false);
    expect(verifyConsistency(0, 5, empty, root, [root])).toBe(false);
    expect(verifyInclusion(hashes[0] as Buffer, 0, 0, [], empty)).toBe(false);
  });

  it("proof generation refuses arguments outside the tree", () => {
    expect(() => inclusionProof(hashes, 5, 5)).toThrow(RangeError);
    expect(() => inclusionProof(hashes, 0, MAX + 1)).toThrow(RangeError);
    expect(() => consistencyProof(hashes, 6, 5)).toThrow(RangeError);
    expect(() =>
      consistencyProof(hashes, 3, 5, { frontier: MerkleFrontier.from(hashes.slice(0, 2)) }),
    ).toThrow(RangeError);
  });
});
