import { EMPTY_ROOT_HEX, type HexHash, nodeHashHex, toHex } from "./tree-hash.js";

/**
 * Proof verification exactly as RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) write it,
 * with fn and sn halved arithmetically rather than shifted, so that sizes past 2^31 work. Each returns
 * false, never throws, for any malformed input: a hash that is not 32 bytes, a size out of range.
 */

/** Whether `proof` shows that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`. */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const hexes = hexesOf([leafHash, root, ...proof]);
  if (!hexes) return false;
  const [leaf, rootHex, ...path] = hexes as [HexHash, HexHash, ...HexHash[]];
  return verifyInclusionHex(leaf, index, size, path, rootHex);
}

export function verifyInclusionHex(
  leaf: HexHash,
  index: number,
  size: number,
  proof: readonly HexHash[],
  root: HexHash,
): boolean {
  if (!isSize(index) || !isSize(size) || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHashHex(p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, half(sn)];
    } else {
      r = nodeHashHex(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && r === root;
}

/**
 * Whether `proof` shows that the tree of m leaves with root `rootM` is a prefix of the tree of n leaves
 * with root `rootN`. The RFC's algorithm covers 0 < m < n; for m = n the proof must be empty and the
 * roots equal, and for m = 0 the proof must be empty and `rootM` the empty tree's root (stricter than
 * some implementations, which accept any root for the empty tree).
 */
export function verifyConsistency(
  m: number,
  n: number,
  rootM: Uint8Array,
  rootN: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  const hexes = hexesOf([rootM, rootN, ...proof]);
  if (!hexes) return false;
  const [first, second, ...path] = hexes as [HexHash, HexHash, ...HexHash[]];
  return verifyConsistencyHex(m, n, first, second, path);
}

export function verifyConsistencyHex(
  m: number,
  n: number,
  rootM: HexHash,
  rootN: HexHash,
  proof: readonly HexHash[],
): boolean {
  if (!isSize(m) || !isSize(n) || m > n) return false;
  if (m === n) return proof.length === 0 && rootM === rootN;
  if (m === 0) return proof.length === 0 && rootM === EMPTY_ROOT_HEX;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : proof;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0] as HexHash;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHashHex(c, fr);
      sr = nodeHashHex(c, sr);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, half(sn)];
    } else {
      sr = nodeHashHex(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return fr === rootM && sr === rootN && sn === 0;
}

function hexesOf(hashes: readonly Uint8Array[]): HexHash[] | undefined {
  if (!hashes.every((h) => h instanceof Uint8Array && h.byteLength === 32)) return undefined;
  return hashes.map(toHex);
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}
