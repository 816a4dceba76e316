import { connect, type Socket } from "node:net";
import { readErrorFields } from "../../../src/ingress/postgres/replies.js";
import {
  cstring,
  int32,
  type Message,
  MessageReader,
  message,
  untyped,
} from "../../../src/ingress/postgres/wire.js";

/** A bare protocol v3 client, to send what drivers never would. */
export class WireClient {
  readonly reader = new MessageReader(1 << 30);
  #closed = false;
  #wake: (() => void) | undefined;

  private constructor(readonly socket: Socket) {
    socket.on("data", (d: Buffer) => {
      this.reader.push(d);
      this.#wake?.();
    });
    socket.on("close", () => {
      this.#closed = true;
      this.#wake?.();
    });
    socket.on("error", () => undefined);
  }

  static async open(port: number): Promise<WireClient> {
    const socket = connect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    return new WireClient(socket);
  }

  /** Startup and cleartext login over loopback; resolves at the first ReadyForQuery. */
  static async login(
    port: number,
    user: string,
    token: string,
    database: string,
    params: Record<string, string> = {},
  ) {
    const c = await WireClient.open(port);
    c.startup({ user, database, ...params });
    const first = await c.next();
    if (first?.type !== "R") return { client: c, first };
    c.socket.write(message("p", cstring(token)));
    const messages = await c.until("Z");
    return { client: c, first: messages.find((m) => m.type === "E") ?? first, messages };
  }

  startup(params: Record<string, string>): void {
    const pairs = Object.entries(params).flatMap(([k, v]) => [cstring(k), cstring(v)]);
    this.socket.write(untyped(int32(3 << 16), ...pairs, Buffer.from([0])));
  }

  send(b: Buffer): void {
    this.socket.write(b);
  }

  /** The next message, or undefined once the server closed the connection. */
  async next(): Promise<Message | undefined> {
    for (;;) {
      const m = this.reader.next();
      if (m) return m;
      if (this.#closed) return undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /** Messages up to and including the first of `type` (or all until the connection closed). */
  async until(type: string): Promise<Message[]> {
    const seen: Message[] = [];
    for (let m = await this.next(); m; m = await this.next()) {
      seen.push(m);
      if (m.type === type) break;
    }
    return seen;
  }

  async closed(): Promise<boolean> {
    await this.until("\0never");
    return this.#closed;
  }

  end(): void {
    this.socket.destroy();
  }
}

export function errorOf(messages: readonly Message[] | Message | undefined): {
  code?: string;
  message?: string;
} {
  const list = Array.isArray(messages) ? messages : messages ? [messages as Message] : [];
  const e = list.find((m) => m.type === "E");
  if (!e) return {};
  const f = readErrorFields(e.body);
  return { code: f.get("C"), message: f.get("M") };
}

export const query = (sql: string) => message("Q", cstring(sql));
