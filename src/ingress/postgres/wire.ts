/**
 * PostgreSQL protocol v3 framing: a message is a type byte, then a big-endian int32 length that
 * counts itself and the body. The startup packet has no type byte. Messages are kept as the raw
 * bytes they arrived in, so that what is forwarded is exactly what was received.
 */

export interface Message {
  /** The type byte as a character ('Q', 'P', 'D', …). */
  type: string;
  /** The whole message, type byte and length included. */
  raw: Buffer;
  /** The body after the length. */
  body: Buffer;
}

export class ProtocolError extends Error {
  override name = "ProtocolError";
}

/**
 * Accumulates bytes and cuts them into messages; refuses a message longer than `maxBytes`. Chunks
 * are joined only once a whole message is in, so a large message costs one copy, not one per chunk.
 */
export class MessageReader {
  #chunks: Buffer[] = [];
  #length = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** Bytes received and not yet cut into messages. */
  get buffered(): number {
    return this.#length;
  }

  /** What is left over, unparsed (the bytes after a startup packet go on to the next stage). */
  rest(): Buffer {
    const rest = this.#join(this.#length);
    this.#chunks = [];
    this.#length = 0;
    return rest;
  }

  /** The next whole message, or undefined until more bytes arrive. Throws ProtocolError on a bad length. */
  next(): Message | undefined {
    if (this.#length < 5) return undefined;
    const head = this.#join(5);
    const length = head.readInt32BE(1);
    if (length < 4) throw new ProtocolError(`message length ${length} is below 4`);
    if (length > this.maxBytes)
      throw new ProtocolError(`a message of ${length} bytes is over the limit of ${this.maxBytes}`);
    if (this.#length < length + 1) return undefined;
    const raw = this.#take(length + 1);
    return { type: String.fromCharCode(raw[0] ?? 0), raw, body: raw.subarray(5) };
  }

  /** A startup-style packet (no type byte): its body after the length, or undefined until complete. */
  nextUntyped(): Buffer | undefined {
    if (this.#length < 4) return undefined;
    const length = this.#join(4).readInt32BE(0);
    if (length < 8 || length > this.maxBytes)
      throw new ProtocolError(`a startup packet of ${length} bytes is out of range (8 to ${this.maxBytes})`);
    if (this.#length < length) return undefined;
    return this.#take(length).subarray(4);
  }

  /** The first chunk made at least `n` bytes long (joining chunks when needed). */
  #join(n: number): Buffer {
    const first = this.#chunks[0] ?? Buffer.alloc(0);
    if (first.length >= n || this.#chunks.length <= 1) return first;
    const joined = Buffer.concat(this.#chunks);
    this.#chunks = [joined];
    return joined;
  }

  #take(n: number): Buffer {
    const first = this.#join(n);
    const taken = first.subarray(0, n);
    const rest = first.subarray(n);
    if (rest.length > 0) this.#chunks[0] = rest;
    else this.#chunks.shift();
    this.#length -= n;
    return taken;
  }
}

/** A message of type `type` with the given body parts. */
export function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

export function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, "utf8");
}

export function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

export function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

/** A packet without a type byte (startup, SSLRequest, CancelRequest), as a client sends it. */
export function untyped(...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([int32(body.length + 4), body]);
}

/** Reads NUL-terminated strings and integers from a message body, failing on a truncated one. */
export class BodyReader {
  #at = 0;

  constructor(private readonly body: Buffer) {}

  cstring(): string {
    const end = this.body.indexOf(0, this.#at);
    if (end < 0) throw new ProtocolError("a string in the message is not terminated");
    const text = this.body.toString("utf8", this.#at, end);
    this.#at = end + 1;
    return text;
  }

  int16(): number {
    this.#need(2);
    const n = this.body.readInt16BE(this.#at);
    this.#at += 2;
    return n;
  }

  int32(): number {
    this.#need(4);
    const n = this.body.readInt32BE(this.#at);
    this.#at += 4;
    return n;
  }

  bytes(n: number): Buffer {
    this.#need(n);
    const b = this.body.subarray(this.#at, this.#at + n);
    this.#at += n;
    return b;
  }

  get done(): boolean {
    return this.#at >= this.body.length;
  }

  #need(n: number): void {
    if (n < 0 || this.#at + n > this.body.length) throw new ProtocolError("the message is truncated");
  }
}
