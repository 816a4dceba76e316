import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomBytes } from "node:crypto";

/**
 * Ed25519 keys for signed notes (https://c2sp.org/signed-note), written as golang.org/x/mod/sumdb/note
 * writes them, so that Go's tools read ours and ours read theirs:
 *
 *   verifier key  <name>+<key ID, 8 hex digits>+<base64(0x01 ‖ 32-byte public key)>
 *   signer key    PRIVATE+KEY+<name>+<key ID>+<base64(0x01 ‖ 32-byte seed)>
 *
 * The key ID is the first four bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
 * Parsers return values, never throw: a key comes from a file or a flag, and a bad one must say why.
 */

export const ED25519 = 0x01;

/** A name that can sign: what the signature lines and the verifier key call the key. */
export interface NoteSigner {
  name: string;
  keyId: number;
  privateKey: KeyObject;
  publicKey: Buffer;
}

export interface NoteVerifier {
  name: string;
  keyId: number;
  publicKey: KeyObject;
}

export type Parsed<T> = { ok: true; key: T } | { ok: false; error: string };

// DER headers that turn a raw 32-byte Ed25519 seed or public key into PKCS#8 / SPKI for node:crypto.
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");
/** Go's unicode.IsSpace: a note key name may contain none of these, nor "+". */
const SPACE_OR_PLUS = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000+]/;

export function isValidKeyName(name: string): boolean {
  return name !== "" && name.isWellFormed() && !SPACE_OR_PLUS.test(name);
}

export function keyIdOf(name: string, publicKey: Uint8Array): number {
  const digest = createHash("sha256")
    .update(name)
    .update("\n")
    .update(Buffer.from([ED25519]))
    .update(publicKey);
  return digest.digest().readUInt32BE(0);
}

/** A new Ed25519 signer key for `name`, in the signer key format above. */
export function generateSignerKey(name: string): string {
  if (!isValidKeyName(name))
    throw new Error(`"${name}" cannot name a note key: it must be non-empty, without spaces or "+"`);
  const seed = randomBytes(32);
  const { publicKey } = keysFromSeed(seed);
  return `PRIVATE+KEY+${name}+${hex8(keyIdOf(name, publicKey))}+${base64Key(seed)}`;
}

/** The verifier key that checks what `signerKey` signs. Throws if the signer key is malformed. */
export function verifierFromSigner(signerKey: string): string {
  const parsed = parseSignerKey(signerKey);
  if (!parsed.ok) throw new Error(parsed.error);
  const { name, keyId, publicKey } = parsed.key;
  return `${name}+${hex8(keyId)}+${base64Key(publicKey)}`;
}

export function parseSignerKey(text: string): Parsed<NoteSigner> {
  const [private1, private2, ...rest] = text.split("+");
  if (private1 !== "PRIVATE" || private2 !== "KEY")
    return { ok: false, error: 'a signer key starts with "PRIVATE+KEY+"' };
  const parts = splitKey(rest.join("+"), "signer");
  if (!parts.ok) return parts;
  const { name, keyId, key: seed } = parts.key;
  const { privateKey, publicKey } = keysFromSeed(seed);
  if (keyIdOf(name, publicKey) !== keyId)
    return { ok: false, error: `the signer key's ID ${hex8(keyId)} is not the ID of its key and name` };
  return { ok: true, key: { name, keyId, privateKey, publicKey } };
}

export function parseVerifierKey(text: string): Parsed<NoteVerifier> {
  const parts = splitKey(text, "verifier");
  if (!parts.ok) return parts;
  const { name, keyId, key } = parts.key;
  if (keyIdOf(name, key) !== keyId)
    return { ok: false, error: `the verifier key's ID ${hex8(keyId)} is not the ID of its key and name` };
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_ED25519, key]), format: "der", type: "spki" });
  return { ok: true, key: { name, keyId, publicKey } };
}

/** name+id+base64(0x01 ‖ 32 bytes) → its parts, the 32 bytes without the algorithm byte. */
function splitKey(text: string, kind: string): Parsed<{ name: string; keyId: number; key: Buffer }> {
  const [name = "", id = "", ...key64] = text.split("+");
  const raw = decodeBase64(key64.join("+"));
  if (!isValidKeyName(name)) return { ok: false, error: `the ${kind} key's name is empty or has spaces` };
  if (!/^[0-9a-fA-F]{8}$/.test(id))
    return { ok: false, error: `the ${kind} key's ID "${id}" is not 8 hex digits` };
  if (!raw) return { ok: false, error: `the ${kind} key's key is not canonical base64` };
  if (raw[0] !== ED25519)
    return { ok: false, error: `the ${kind} key is not an Ed25519 key (type byte 0x01)` };
  if (raw.length !== 33)
    return { ok: false, error: `the ${kind} key's Ed25519 key has ${raw.length - 1} bytes, not 32` };
  return { ok: true, key: { name, keyId: Number.parseInt(id, 16), key: raw.subarray(1) } };
}

function keysFromSeed(seed: Buffer): { privateKey: KeyObject; publicKey: Buffer } {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: "der",
    type: "pkcs8",
  });
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  return { privateKey, publicKey: spki.subarray(SPKI_ED25519.length) };
}

/** Strict standard base64: padded, no whitespace or URL-safe letters, one spelling per byte string. */
export function decodeBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, "base64");
  return text !== "" && bytes.toString("base64") === text ? bytes : undefined;
}

export function hex8(keyId: number): string {
  return keyId.toString(16).padStart(8, "0");
}

function base64Key(key: Uint8Array): string {
  return Buffer.concat([Buffer.from([ED25519]), key]).toString("base64");
}
