/**
 * The audit log's Merkle tree: RFC 6962 §2.1, restated by RFC 9162 §2.1 with its proof verification
 * algorithms. This module is the stable face of the tree for the store, the checkpointer and the
 * verifier; the parts live beside it, one concept each:
 *
 * - tree-hash.ts: `leafHash(entry)` = SHA-256(0x00 ‖ entry), `nodeHash(l, r)` = SHA-256(0x01 ‖ l ‖ r),
 *   the empty tree's root SHA-256(""), and hex twins of each for hot loops.
 * - frontier.ts: `MerkleFrontier`, the O(log n) compact range a log keeps to know its root, and
 *   `rootOf(leafHashes)`.
 * - proof.ts: `inclusionProof(leaves, index, size)` and `consistencyProof(leaves, m, n)`, with leaves
 *   as an array or an `(index) => Buffer` reader.
 * - proof-verify.ts: `verifyInclusion(leaf, index, size, proof, root)` and
 *   `verifyConsistency(m, n, rootM, rootN, proof)`.
 */
export { MerkleFrontier, rootOf } from "./frontier.js";
export { consistencyProof, inclusionProof, type LeafHashes } from "./proof.js";
export { verifyConsistency, verifyInclusion } from "./proof-verify.js";
export { EMPTY_ROOT_HEX, leafHash, nodeHash } from "./tree-hash.js";
