import { createHash } from "node:crypto";

/**
 * RFC 6962 §2.1, transcribed as literally as possible: slow and obviously right, to hold the fast
 * code to. D is the list of entries (not their hashes); D[a:b] is a slice; k is the largest power of
 * two smaller than n.
 */

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]). */
export function MTH(D: readonly Uint8Array[]): Buffer {
  const n = D.length;
  if (n === 0) return sha256();
  if (n === 1) return sha256(Buffer.from([0x00]), D[0] as Uint8Array);
  const k = largestPowerOfTwoBelow(n);
  return sha256(Buffer.from([0x01]), MTH(D.slice(0, k)), MTH(D.slice(k, n)));
}

/** PATH(m, D[n]), for 0 <= m < n. */
export function PATH(m: number, D: readonly Uint8Array[]): Buffer[] {
  const n = D.length;
  if (n === 1) return [];
  const k = largestPowerOfTwoBelow(n);
  if (m < k) return [...PATH(m, D.slice(0, k)), MTH(D.slice(k, n))];
  return [...PATH(m - k, D.slice(k, n)), MTH(D.slice(0, k))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true), for 0 < m <= n. */
export function PROOF(m: number, D: readonly Uint8Array[]): Buffer[] {
  return SUBPROOF(m, D, true);
}

function SUBPROOF(m: number, D: readonly Uint8Array[], b: boolean): Buffer[] {
  const n = D.length;
  if (m === n) return b ? [] : [MTH(D)];
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) return [...SUBPROOF(m, D.slice(0, k), b), MTH(D.slice(k, n))];
  return [...SUBPROOF(m - k, D.slice(k, n), false), MTH(D.slice(0, k))];
}
