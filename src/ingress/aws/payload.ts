import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { ChunkedDecoder, type ChunkSigning } from "./chunked.js";
import {
  STREAMING_SIGNED,
  STREAMING_SIGNED_TRAILER,
  STREAMING_UNSIGNED_TRAILER,
  UNSIGNED_PAYLOAD,
} from "./sigv4.js";

/** How the request's body is vouched for, from `x-amz-content-sha256`. */
export type PayloadMode =
  | { kind: "hash"; sha256: string }
  | { kind: "unsigned" }
  | { kind: "chunked"; signed: boolean; trailer: boolean; decodedLength?: number }
  /** No header: the signature covers the body's hash, which must be computed from the body. */
  | { kind: "compute" };

export function payloadModeOf(
  claimed: string | undefined,
  decodedLength: string | undefined,
): PayloadMode | undefined {
  if (claimed === undefined) return { kind: "compute" };
  if (/^[0-9a-f]{64}$/.test(claimed)) return { kind: "hash", sha256: claimed };
  if (claimed === UNSIGNED_PAYLOAD) return { kind: "unsigned" };
  const chunked = [STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER].includes(claimed);
  if (!chunked) return undefined;
  const length =
    decodedLength !== undefined && /^\d{1,15}$/.test(decodedLength) ? Number(decodedLength) : undefined;
  return {
    kind: "chunked",
    signed: claimed !== STREAMING_UNSIGNED_TRAILER,
    trailer: claimed !== STREAMING_SIGNED,
    ...(length !== undefined ? { decodedLength: length } : {}),
  };
}

/** Passes bytes on but holds the last piece back until the whole body's SHA-256 is known to match. */
class HashCheck extends Transform {
  readonly #hash = createHash("sha256");
  #held: Buffer | undefined;
  constructor(private readonly expected: string) {
    super();
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, done: TransformCallback): void {
    this.#hash.update(chunk);
    if (this.#held) this.push(this.#held);
    this.#held = chunk;
    done();
  }
  override _flush(done: TransformCallback): void {
    if (this.#hash.digest("hex") !== this.expected) {
      done(
        new PayloadError(
          "XAmzContentSHA256Mismatch",
          "the body's SHA-256 is not the x-amz-content-sha256 that was signed",
        ),
      );
      return;
    }
    if (this.#held) this.push(this.#held);
    done();
  }
}

export class PayloadError extends Error {
  constructor(
    readonly code: "XAmzContentSHA256Mismatch" | "IncompleteBody" | "EntityTooLarge" | "InvalidRequest",
    message: string,
  ) {
    super(message);
  }
}

/**
 * The body's payload, checked as the mode says, as a stream. A client that stops early fails it with a
 * PayloadError; a chunk or hash that does not match fails it with the checker's own error.
 */
export function payloadStream(
  req: IncomingMessage,
  mode: PayloadMode,
  signing: ChunkSigning | undefined,
): Readable {
  let out: Readable = req;
  if (mode.kind === "hash") out = req.pipe(new HashCheck(mode.sha256));
  if (mode.kind === "chunked")
    out = req.pipe(
      new ChunkedDecoder(mode.signed ? signing : undefined, mode.signed && mode.trailer, mode.decodedLength),
    );
  const early = () =>
    out.destroy(
      new PayloadError(
        "IncompleteBody",
        "the client closed the connection before the whole body arrived (is Content-Length larger than the body?)",
      ),
    );
  req.on("aborted", early);
  req.on("error", early);
  // Whoever reads it later sees the failure (`errored`, or the error while reading); until then it
  // must not be an unhandled 'error' that takes the process down.
  out.on("error", () => undefined);
  return out;
}

/** Read the whole payload, refusing more than `limit` bytes. */
export async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw new PayloadError(
        "EntityTooLarge",
        `the body is larger than ${limit} bytes, the most airlock reads whole`,
      );
    }
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}
