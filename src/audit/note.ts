import { sign, verify } from "node:crypto";
import {
  decodeBase64,
  hex8,
  isValidKeyName,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKey,
  parseVerifierKey,
} from "./note-keys.js";

export {
  generateSignerKey,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKey,
  parseVerifierKey,
  verifierFromSigner,
} from "./note-keys.js";

/**
 * Signed notes (https://c2sp.org/signed-note) with Ed25519, byte for byte as golang.org/x/mod/sumdb/note
 * writes and reads them: the text, ending in a newline; a blank line; then one line per signature,
 * "— <key name> <base64(4-byte key ID ‖ signature)>". The signature covers the text with its newline.
 */

const SIGNATURE_PREFIX = "\u2014 ";
/** Go's limit; the spec asks verifiers to accept at least 16. */
const MAX_SIGNATURES = 100;

export interface NoteSignature {
  name: string;
  /** 8 hex digits. */
  keyId: string;
}

export type OpenedNote =
  | { ok: true; text: string; signers: NoteSignature[] }
  | { ok: false; error: string; signers?: NoteSignature[] };

/** `text` signed by one key. Throws if the key or the text cannot make a note: that is a setup error. */
export function signNote(text: string, signerKey: string | NoteSigner): string {
  const signer =
    typeof signerKey === "string" ? parseSignerKey(signerKey) : { ok: true as const, key: signerKey };
  if (!signer.ok) throw new Error(`cannot sign with this signer key: ${signer.error}`);
  const problem = textProblem(text);
  if (problem) throw new Error(`cannot sign this note text: ${problem}`);
  const { name, keyId, privateKey } = signer.key;
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId);
  const signature = sign(null, Buffer.from(text, "utf8"), privateKey);
  return `${text}\n${SIGNATURE_PREFIX}${name} ${Buffer.concat([id, signature]).toString("base64")}\n`;
}

/**
 * Check a note's signatures against the given verifier keys. It opens when at least one of them signed
 * it and none of their signatures fails; signatures by other keys are ignored, as the spec requires.
 * Never throws.
 */
export function openNote(noteText: string, verifierKeys: readonly (string | NoteVerifier)[]): OpenedNote {
  const verifiers: NoteVerifier[] = [];
  for (const [i, key] of verifierKeys.entries()) {
    const parsed = typeof key === "string" ? parseVerifierKey(key) : { ok: true as const, key };
    if (!parsed.ok) return { ok: false, error: `verifier key ${i + 1} is malformed: ${parsed.error}` };
    verifiers.push(parsed.key);
  }
  const problem = noteProblem(noteText);
  if (problem) return { ok: false, error: `malformed note: ${problem}` };
  const split = noteText.lastIndexOf("\n\n");
  const text = noteText.slice(0, split + 1);
  const lines = noteText.slice(split + 2, -1).split("\n");
  if (lines.length > MAX_SIGNATURES)
    return { ok: false, error: `malformed note: over ${MAX_SIGNATURES} signatures` };
  const message = Buffer.from(text, "utf8");
  const signers: NoteSignature[] = [];
  const others: NoteSignature[] = [];
  for (const line of lines) {
    const parsed = signatureLine(line);
    if (!parsed) return { ok: false, error: `malformed note: "${line}" is not a signature line` };
    const { name, keyId, signature } = parsed;
    const who = { name, keyId: hex8(keyId) };
    const matching = verifiers.filter((v) => v.name === name && v.keyId === keyId);
    if (matching.length === 0) {
      others.push(who);
      continue;
    }
    if (matching.length > 1) return { ok: false, error: `ambiguous key ${name}+${who.keyId}: given twice` };
    if (signers.some((s) => s.name === name && s.keyId === who.keyId)) continue;
    if (!verifySignature(message, signature, matching[0] as NoteVerifier))
      return {
        ok: false,
        error: `invalid signature for key ${name}+${who.keyId}: the note was changed or forged`,
      };
    signers.push(who);
  }
  if (signers.length === 0) {
    const by = others.map((s) => `${s.name}+${s.keyId}`).join(", ");
    const keys = verifiers.map((v) => `${v.name}+${hex8(v.keyId)}`).join(", ") || "no key";
    return {
      ok: false,
      error: `the note is not signed by ${keys} (its signatures are by ${by})`,
      signers: others,
    };
  }
  return { ok: true, text, signers };
}

function signatureLine(line: string): { name: string; keyId: number; signature: Buffer } | undefined {
  if (!line.startsWith(SIGNATURE_PREFIX)) return undefined;
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(" ");
  const name = rest.slice(0, space);
  const bytes = space < 0 ? undefined : decodeBase64(rest.slice(space + 1));
  if (!bytes || bytes.length < 5 || !isValidKeyName(name)) return undefined;
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
}

function verifySignature(message: Buffer, signature: Buffer, verifier: NoteVerifier): boolean {
  try {
    return verify(null, message, verifier.publicKey, signature);
  } catch {
    return false;
  }
}

/** Why `text` cannot be a note's text, if it cannot. */
function textProblem(text: string): string | undefined {
  if (!text.endsWith("\n")) return "it must end with a newline";
  return characterProblem(text);
}

function noteProblem(note: string): string | undefined {
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || note.length === split + 2 || !note.endsWith("\n"))
    return "a note is text ending in a newline, a blank line, then signature lines each ending in a newline";
  return characterProblem(note);
}

function characterProblem(text: string): string | undefined {
  if (!text.isWellFormed()) return "it is not valid Unicode";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) return "it contains control characters other than newline";
  return undefined;
}
