/**
 * Newline-delimited JSON-RPC on a byte stream, for both sides of a stdio proxy. The SDK's reader
 * copies its whole buffer on every chunk and gives up (throws, and the proxy died) past 10 MiB;
 * this one keeps the chunks of a line and joins them once, up to `max` bytes. A longer line is not
 * kept: what comes back is its size and its first and last bytes, enough to find the request's id
 * and answer it with an error.
 */

/** The largest message either side may send (`AIRLOCK_MCP_MAX_MESSAGE_BYTES` overrides it). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const EDGE = 256;

export type Line = { text: string } | { tooLarge: number; head: string; tail: string };

export class LineReader {
  readonly max: number;
  #chunks: Buffer[] = [];
  #size = 0;
  #head: Buffer | undefined;
  #tail = Buffer.alloc(0);

  constructor(max = maxMessageBytes()) {
    this.max = max;
  }

  /** The complete lines `chunk` ends. */
  push(chunk: Buffer): Line[] {
    const lines: Line[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      this.#keep(chunk.subarray(start, nl));
      lines.push(this.#take());
      start = nl + 1;
    }
    this.#keep(chunk.subarray(start));
    return lines;
  }

  #keep(part: Buffer): void {
    if (part.length === 0) return;
    this.#size += part.length;
    if (this.#head === undefined && this.#size <= this.max) {
      this.#chunks.push(part);
      return;
    }
    if (this.#head === undefined) {
      this.#head = Buffer.concat(this.#chunks).subarray(0, EDGE);
      this.#chunks = [];
    }
    this.#tail = Buffer.concat([this.#tail, part]).subarray(-EDGE);
  }

  #take(): Line {
    const size = this.#size;
    const head = this.#head;
    const chunks = this.#chunks;
    const tail = this.#tail;
    this.#chunks = [];
    this.#size = 0;
    this.#head = undefined;
    this.#tail = Buffer.alloc(0);
    if (head !== undefined)
      return { tooLarge: size, head: head.toString("utf8"), tail: tail.toString("utf8") };
    const text = Buffer.concat(chunks).toString("utf8");
    return { text: text.endsWith("\r") ? text.slice(0, -1) : text };
  }
}

export function maxMessageBytes(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.AIRLOCK_MCP_MAX_MESSAGE_BYTES);
  return Number.isSafeInteger(asked) && asked > 0 ? asked : DEFAULT_MAX_MESSAGE_BYTES;
}

/**
 * The id of a message too large to parse, read from where serializers put it: first after
 * `"jsonrpc":"2.0"`, or last. Anchored patterns, so a cost linear in the 256 bytes looked at.
 */
export function idOfTruncated(head: string, tail: string): string | number | null {
  const first = /^\s*\{\s*"jsonrpc"\s*:\s*"2\.0"\s*,\s*"id"\s*:\s*(-?\d+|"[^"\\]*")\s*,/.exec(head);
  const last = /,\s*"id"\s*:\s*(-?\d+|"[^"\\]*")\s*\}\s*$/.exec(tail);
  const raw = first?.[1] ?? last?.[1];
  if (raw === undefined) return null;
  return raw.startsWith('"') ? raw.slice(1, -1) : Number(raw);
}
