import type { MerkleFrontier } from "./frontier.js";
import { type HexHash, nodeHashHex, splitPoint, toHex } from "./tree-hash.js";

/**
 * Proof generation, RFC 6962 §2.1.1 (PATH) and §2.1.2 (PROOF / SUBPROOF), walked from the root down
 * instead of recursing; the nodes are collected top-down and reversed, so the order is the RFC's
 * (the node nearest the leaves first).
 */

/**
 * Leaf hashes by index: an array, or a function so that a store can read them lazily. Only the
 * leaves a proof needs are asked for.
 */
export type LeafHashes = readonly Uint8Array[] | ((index: number) => Uint8Array);

/** Leaf hashes as hex, by index, and optionally the hashes of complete subtrees already known. */
export interface HexTree {
  leaf(index: number): HexHash;
  /** The hash of the complete subtree over [start, end), when the caller has it; saves hashing it again. */
  known?(start: number, end: number): HexHash | undefined;
}

/** PATH(index, D[size]): the inclusion proof of leaf `index` in the tree of the first `size` leaves. */
export function inclusionProof(leaves: LeafHashes, index: number, size: number): Buffer[] {
  checkSize(leaves, size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size)
    throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`);
  return inclusionProofHex(hexTree(leaves), index, size).map(fromHex);
}

export function inclusionProofHex(tree: HexTree, index: number, size: number): HexHash[] {
  const path: HexHash[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const mid = start + splitPoint(end - start);
    if (index < mid) {
      path.push(rangeHex(tree, mid, end));
      end = mid;
    } else {
      path.push(rangeHex(tree, start, mid));
      start = mid;
    }
  }
  return path.reverse();
}

/**
 * PROOF(m, D[n]): the consistency proof that the tree of the first m leaves is a prefix of the tree of
 * the first n. Empty when m is 0 or m = n, as in RFC 9162 §2.1.4.1. With the frontier of the first m
 * leaves, no leaf before m is read: every node the proof needs left of m is a frontier subtree.
 */
export function consistencyProof(
  leaves: LeafHashes,
  m: number,
  n: number,
  options: { frontier?: MerkleFrontier } = {},
): Buffer[] {
  checkSize(leaves, n);
  if (!Number.isSafeInteger(m) || m < 0 || m > n)
    throw new RangeError(`no consistency proof from ${m} to ${n}`);
  const { frontier } = options;
  if (frontier && frontier.size !== m)
    throw new RangeError(`the frontier has ${frontier.size} leaves, not ${m}`);
  const tree = hexTree(leaves);
  if (frontier) tree.known = (start, end) => frontier.subtreeHex(start, end);
  return consistencyProofHex(tree, m, n).map(fromHex);
}

export function consistencyProofHex(tree: HexTree, m: number, n: number): HexHash[] {
  if (m === 0 || m === n) return [];
  const proof: HexHash[] = [];
  let start = 0;
  let end = n;
  let whole = true; // SUBPROOF's b: still on the left edge, where the old root need not be sent
  while (m !== end) {
    const mid = start + splitPoint(end - start);
    if (m <= mid) {
      proof.push(rangeHex(tree, mid, end));
      end = mid;
    } else {
      proof.push(rangeHex(tree, start, mid));
      start = mid;
      whole = false;
    }
  }
  if (!whole) proof.push(rangeHex(tree, start, end));
  return proof.reverse();
}

/** MTH(D[start:end]). */
export function rangeHex(tree: HexTree, start: number, end: number): HexHash {
  const known = tree.known?.(start, end);
  if (known !== undefined) return known;
  if (end - start === 1) return tree.leaf(start);
  const mid = start + splitPoint(end - start);
  return nodeHashHex(rangeHex(tree, start, mid), rangeHex(tree, mid, end));
}

function hexTree(leaves: LeafHashes): HexTree {
  const at = typeof leaves === "function" ? leaves : (i: number) => leaves[i] as Uint8Array;
  return {
    leaf(index) {
      const leaf = at(index);
      if (leaf?.byteLength !== 32) throw new RangeError(`leaf hash ${index} is not 32 bytes`);
      return toHex(leaf);
    },
  };
}

function checkSize(leaves: LeafHashes, size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`${size} is not a tree size`);
  if (typeof leaves !== "function" && size > leaves.length)
    throw new RangeError(`a tree of ${size} leaves, but only ${leaves.length} leaf hashes were given`);
}

function fromHex(hex: HexHash): Buffer {
  return Buffer.from(hex, "hex");
}
