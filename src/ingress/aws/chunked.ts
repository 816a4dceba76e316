import { Transform, type TransformCallback } from "node:stream";
import { EMPTY_SHA256, sha256Hex, signHex } from "./sigv4.js";

/**
 * Decodes an `aws-chunked` body (S3's streaming uploads), checking each chunk's signature before its
 * bytes go on: `SIZE;chunk-signature=SIG\r\nDATA\r\n` … `0;chunk-signature=SIG\r\n`, then optional
 * trailers (`x-amz-checksum-crc32:…`, `x-amz-trailer-signature:…`) and `\r\n`. Each signature chains
 * to the one before, starting from the request's own, so chunks cannot be dropped, reordered or changed.
 * An error names what failed; the caller aborts the upstream request so nothing half-written lands.
 */
export interface ChunkSigning {
  key: Buffer;
  amzDate: string;
  scope: string;
  seedSignature: string;
}

/** A chunk larger than this is refused rather than held in memory to check its signature. */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
const MAX_LINE = 4096;

export class ChunkedDecoder extends Transform {
  #buffer: Buffer = Buffer.alloc(0);
  #previous: string;
  #state: "size" | "data" | "trailer" | "done" = "size";
  #size = 0;
  #chunkSignature = "";
  #decoded = 0;
  readonly #trailers: string[] = [];

  constructor(
    private readonly signing: ChunkSigning | undefined,
    private readonly signedTrailer: boolean,
    private readonly expectedLength: number | undefined,
  ) {
    super();
    this.#previous = signing?.seedSignature ?? "";
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    try {
      this.#drain();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (this.#state !== "done") {
      done(new Error("the chunked body ended before its final chunk"));
    } else if (this.expectedLength !== undefined && this.#decoded !== this.expectedLength) {
      done(
        new Error(
          `the chunks hold ${this.#decoded} bytes, not x-amz-decoded-content-length ${this.expectedLength}`,
        ),
      );
    } else done();
  }

  #line(): string | undefined {
    const end = this.#buffer.indexOf("\r\n");
    if (end < 0) {
      if (this.#buffer.length > MAX_LINE) throw new Error("a chunk header line is too long");
      return undefined;
    }
    const line = this.#buffer.subarray(0, end).toString("latin1");
    this.#buffer = this.#buffer.subarray(end + 2);
    return line;
  }

  #drain(): void {
    for (;;) {
      if (this.#state === "size") {
        const line = this.#line();
        if (line === undefined) return;
        const m = /^([0-9a-fA-F]{1,8})(?:;chunk-signature=([0-9a-f]{64}))?$/.exec(line);
        if (!m) throw new Error(`malformed chunk header "${line.slice(0, 100)}"`);
        if (this.signing && !m[2]) throw new Error("a chunk has no chunk-signature");
        this.#size = Number.parseInt(m[1] ?? "0", 16);
        if (this.#size > MAX_CHUNK_BYTES) throw new Error(`a chunk of ${this.#size} bytes is over the limit`);
        this.#chunkSignature = m[2] ?? "";
        this.#state = "data";
      } else if (this.#state === "data") {
        const final = this.#size === 0;
        if (!final && this.#buffer.length < this.#size + 2) return;
        const data = this.#buffer.subarray(0, this.#size);
        this.#check(data);
        if (final) {
          this.#state = "trailer";
          continue;
        }
        if (this.#buffer.subarray(this.#size, this.#size + 2).toString("latin1") !== "\r\n")
          throw new Error("a chunk's data is not followed by CRLF");
        this.#buffer = this.#buffer.subarray(this.#size + 2);
        this.#decoded += data.length;
        this.push(Buffer.from(data));
        this.#state = "size";
      } else if (this.#state === "trailer") {
        const line = this.#line();
        if (line === undefined) return;
        if (line === "") {
          this.#finish();
          continue;
        }
        this.#trailers.push(line);
        if (this.#trailers.length > 20) throw new Error("too many trailer lines");
      } else {
        if (this.#buffer.length > 0) throw new Error("bytes after the final chunk");
        return;
      }
    }
  }

  #check(data: Buffer): void {
    if (!this.signing) return;
    const toSign = [
      "AWS4-HMAC-SHA256-PAYLOAD",
      this.signing.amzDate,
      this.signing.scope,
      this.#previous,
      EMPTY_SHA256,
      sha256Hex(data),
    ].join("\n");
    const expected = signHex(this.signing.key, toSign);
    if (expected !== this.#chunkSignature) throw new Error("a chunk's signature does not match its data");
    this.#previous = expected;
  }

  #finish(): void {
    this.#state = "done";
    if (!this.signing || !this.signedTrailer) return;
    const signatureLine = this.#trailers.find((l) => l.startsWith("x-amz-trailer-signature:"));
    const given = signatureLine?.slice("x-amz-trailer-signature:".length).trim();
    const headers = this.#trailers.filter((l) => l !== signatureLine).map((l) => `${l.trim()}\n`);
    const toSign = [
      "AWS4-HMAC-SHA256-TRAILER",
      this.signing.amzDate,
      this.signing.scope,
      this.#previous,
      sha256Hex(headers.join("")),
    ].join("\n");
    if (!given || signHex(this.signing.key, toSign) !== given)
      throw new Error("the trailer's signature does not match");
  }
}
