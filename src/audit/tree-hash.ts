import { hash } from "node:crypto";

/**
 * The hashes of RFC 6962 §2.1 (RFC 9162 §2.1): a leaf is SHA-256(0x00 ‖ entry), an interior node
 * SHA-256(0x01 ‖ left ‖ right), the empty tree SHA-256 of nothing.
 *
 * Public functions take and give `Buffer`s. Inside, hashes travel as lowercase hex strings: asking
 * node:crypto for a hex string costs about a third of what a Buffer costs (no ArrayBuffer to allocate),
 * and verifying a million-entry log is mostly these hashes. The `…Hex` functions are for the verifier.
 */

/** Lowercase hex of a 32-byte hash. */
export type HexHash = string;

/** The root of the empty tree. */
export const EMPTY_ROOT_HEX: HexHash = hash("sha256", "", "hex");

const LEAF_PREFIX = Buffer.from([0]);
/** 0x01 ‖ left ‖ right, rewritten for every node: hashing is synchronous, so one buffer serves all. */
const NODE_INPUT = Buffer.alloc(65, 1);
const HEX_HASH = /^[0-9a-f]{64}$/;

/** SHA-256(0x00 ‖ entry). A string entry is hashed as its UTF-8 bytes. */
export function leafHash(entry: Uint8Array | string): Buffer {
  return Buffer.from(leafHashHex(entry), "hex");
}

export function leafHashHex(entry: Uint8Array | string): HexHash {
  // "\0" is the single byte 0x00 in UTF-8, so this hashes 0x00 ‖ utf8(entry) without a byte copy.
  if (typeof entry === "string") return hash("sha256", `\0${entry}`, "hex");
  return hash("sha256", Buffer.concat([LEAF_PREFIX, entry]), "hex");
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return Buffer.from(nodeHashHex(toHex(left), toHex(right)), "hex");
}

export function nodeHashHex(left: HexHash, right: HexHash): HexHash {
  NODE_INPUT.write(left, 1, 32, "hex");
  NODE_INPUT.write(right, 33, 32, "hex");
  return hash("sha256", NODE_INPUT, "hex");
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

export function isHexHash(value: string): boolean {
  return HEX_HASH.test(value);
}

/** The largest power of two ≤ n (n ≥ 1). Arithmetic, not bit operators: sizes may pass 2^31. */
export function highestPowerOfTwo(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/** The largest power of two < n (n ≥ 2): where RFC 6962 splits a list of n leaves. */
export function splitPoint(n: number): number {
  return highestPowerOfTwo(n - 1);
}
