import type { Socket } from "node:net";
import { type Message, MessageReader } from "./wire.js";

/**
 * Reads framed messages from a socket on demand (for the handshakes, before the relay takes over).
 * `close` rejects a pending read; `release` hands the unread bytes to whoever reads next.
 */
export class SocketPull {
  readonly reader: MessageReader;
  #waiter: (() => void) | undefined;
  #ended: Error | undefined;
  readonly #onData = (chunk: Buffer) => {
    this.reader.push(chunk);
    this.#wake();
  };
  readonly #onEnd = () => {
    this.#ended ??= new Error("the connection closed");
    this.#wake();
  };

  constructor(
    readonly socket: Socket,
    maxBytes: number,
    reader?: MessageReader,
  ) {
    this.reader = reader ?? new MessageReader(maxBytes);
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("close", this.#onEnd);
    socket.on("error", (err) => {
      this.#ended ??= err;
      this.#wake();
    });
  }

  async message(): Promise<Message> {
    return this.#read(() => this.reader.next());
  }

  async untyped(): Promise<Buffer> {
    return this.#read(() => this.reader.nextUntyped());
  }

  /** Stop listening; returns the bytes read but not yet taken. */
  release(): Buffer {
    this.socket.off("data", this.#onData);
    this.socket.off("end", this.#onEnd);
    this.socket.off("close", this.#onEnd);
    return this.reader.rest();
  }

  async #read<T>(take: () => T | undefined): Promise<T> {
    for (;;) {
      const got = take();
      if (got !== undefined) return got;
      if (this.#ended) throw this.#ended;
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
    }
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }
}
