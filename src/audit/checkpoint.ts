import { type NoteSignature, openNote, signNote } from "./note.js";
import { decodeBase64, type NoteSigner, type NoteVerifier } from "./note-keys.js";

/**
 * Checkpoints (https://c2sp.org/tlog-checkpoint): a signed note whose text is the log's origin, its
 * size in decimal and the base64 of its RFC 6962 root hash, one per line, then optional extension lines:
 *
 *   airlock.example/audit
 *   20852163
 *   CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
 *
 * Whoever holds a checkpoint can later prove the log still contains, unchanged, everything it covered.
 */

export interface Checkpoint {
  origin: string;
  size: number;
  /** The 32-byte root hash of the first `size` entries. */
  root: Buffer;
  /** Opaque non-empty lines after the root; the spec advises against them, and airlock writes none. */
  extensions?: string[];
}

export type ParsedCheckpoint = { ok: true; checkpoint: Checkpoint } | { ok: false; error: string };

export type OpenedCheckpoint =
  | { ok: true; checkpoint: Checkpoint; signers: NoteSignature[] }
  | { ok: false; error: string };

export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, root, extensions = [] } = checkpoint;
  const lines = [origin, String(size), Buffer.from(root).toString("base64"), ...extensions];
  const text = `${lines.join("\n")}\n`;
  const parsed = parseCheckpoint(text);
  if (!parsed.ok) throw new Error(`cannot format this checkpoint: ${parsed.error}`);
  return text;
}

/** The checkpoint in a note's text (without its signatures). Strict: anything off is an error saying what. */
export function parseCheckpoint(text: string): ParsedCheckpoint {
  if (!text.endsWith("\n")) return fail("its text does not end with a newline");
  const [origin = "", size = "", root = "", ...extensions] = text.slice(0, -1).split("\n");
  if (origin === "") return fail("the first line, the origin, is empty");
  if (!/^(0|[1-9][0-9]*)$/.test(size))
    return fail(
      `the second line, the tree size, must be a decimal number without leading zeros, not "${size}"`,
    );
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) return fail(`the tree size ${size} is too large`);
  const rootHash = decodeBase64(root);
  if (rootHash?.length !== 32)
    return fail(`the third line must be the base64 of a 32-byte root hash, not "${root}"`);
  if (extensions.some((line) => line === "")) return fail("an extension line after the root hash is empty");
  const checkpoint: Checkpoint = { origin, size: treeSize, root: rootHash };
  if (extensions.length > 0) checkpoint.extensions = extensions;
  return { ok: true, checkpoint };

  function fail(error: string): ParsedCheckpoint {
    return { ok: false, error: `not a checkpoint: ${error}` };
  }
}

/** The checkpoint as a note signed by `signerKey`. Throws on a malformed key: a setup error. */
export function signCheckpoint(checkpoint: Checkpoint, signerKey: string | NoteSigner): string {
  return signNote(formatCheckpoint(checkpoint), signerKey);
}

/**
 * Verify a signed checkpoint with the log's verifier key, then parse it. With `origin`, also require
 * that it is a checkpoint of that log. Never throws.
 */
export function openCheckpoint(
  noteText: string,
  verifierKey: string | NoteVerifier,
  origin?: string,
): OpenedCheckpoint {
  const note = openNote(noteText, [verifierKey]);
  if (!note.ok) return note;
  const parsed = parseCheckpoint(note.text);
  if (!parsed.ok) return parsed;
  if (origin !== undefined && parsed.checkpoint.origin !== origin)
    return {
      ok: false,
      error: `the checkpoint is of the log "${parsed.checkpoint.origin}", not "${origin}"`,
    };
  return { ok: true, checkpoint: parsed.checkpoint, signers: note.signers };
}
