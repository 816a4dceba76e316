import type { Socket } from "node:net";
import type { JudgeContext } from "./judge.js";
import { Outcomes } from "./outcomes.js";
import { Pipeline } from "./pipeline.js";
import { Refusals } from "./refusals.js";
import { errorResponse, readErrorFields, SQLSTATE } from "./replies.js";
import { judgeBind, judgeQuery, type Prepared, refuseFunctionCall, trackParse } from "./requests.js";
import type { MessageReader } from "./wire.js";

/** Client messages airlock accepts after login; anything else ends the connection. */
const CLIENT_TYPES = new Set(["Q", "P", "B", "E", "D", "C", "H", "S", "X", "d", "c", "f", "F", "p"]);
/** Past this many unread bytes from the client, stop reading it until the backlog is judged. */
const CLIENT_BACKLOG = 4 * 1024 * 1024;

export interface RelayOptions {
  client: Socket;
  clientReader: MessageReader;
  upstream: Socket;
  upstreamReader: MessageReader;
  judge: JudgeContext;
  log: (line: string) => void;
}

/**
 * The connection after login. Client messages are handled one at a time, in order: each statement is
 * judged before anything of it reaches the upstream. Upstream replies are streamed back as they come,
 * with backpressure (a slow client slows the upstream; nothing is buffered beyond a socket's window).
 */
export class Relay {
  readonly #o: RelayOptions;
  readonly #refusals = new Refusals();
  readonly #outcomes: Outcomes;
  readonly #prepared: Prepared = new Map();
  readonly #pipeline = new Pipeline();
  #copyIn = false;
  #busy = false;
  #closed = false;

  constructor(options: RelayOptions) {
    this.#o = options;
    const catalog = options.judge.catalog;
    this.#outcomes = new Outcomes(options.judge.service, options.judge.agent, options.log, () =>
      catalog?.changed(),
    );
    const { client, upstream } = options;
    client.on("data", (chunk: Buffer) => {
      this.#o.clientReader.push(chunk);
      if (this.#o.clientReader.buffered > CLIENT_BACKLOG) client.pause();
      void this.#pump();
    });
    upstream.on("data", (chunk: Buffer) => this.#fromUpstream(chunk));
    client.on("drain", () => upstream.resume());
    client.on("close", () => this.close());
    client.on("error", () => this.close());
    upstream.on("close", () => this.#upstreamLost());
    upstream.on("error", () => this.#upstreamLost());
    void this.#pump();
    this.#fromUpstream(Buffer.alloc(0));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#o.client.destroy();
    this.#o.upstream.destroy();
  }

  #upstreamLost(): void {
    if (this.#closed) return;
    this.#fatal(
      SQLSTATE.connectionFailure,
      "the upstream database closed the connection; reconnect through airlock",
    );
  }

  /** A read already forwarded could not be logged: nothing more is forwarded on this session. */
  #unrecorded(err: Error): void {
    this.#o.log(`postgres proxy: a read's audit entry could not be written: ${err.message}`);
    this.#fatal(
      SQLSTATE.internal,
      `airlock could not record a statement of this session in its audit log (${err.message}); the session ends, and nothing more is forwarded until the store is back`,
    );
  }

  #fatal(code: string, text: string): void {
    if (this.#closed) return;
    this.#o.client.end(errorResponse({ code, message: text, severity: "FATAL" }));
    this.#closed = true;
    this.#o.upstream.destroy();
  }

  async #pump(): Promise<void> {
    if (this.#busy || this.#closed) return;
    this.#busy = true;
    // What one pass forwards goes upstream in few writes: what came before a statement to judge is
    // sent before it is judged (a preview may take a while), the rest together.
    this.#o.upstream.cork();
    try {
      for (;;) {
        const m = this.#o.clientReader.next();
        if (!m || this.#closed) break;
        if (!CLIENT_TYPES.has(m.type)) {
          this.#fatal(SQLSTATE.protocolViolation, `invalid frontend message type ${JSON.stringify(m.type)}`);
          break;
        }
        if (m.type === "Q" || m.type === "B") {
          this.#o.upstream.uncork();
          this.#o.upstream.cork();
        }
        await this.#handle(m.type, m.raw, m.body);
      }
    } catch (err) {
      this.#o.log(`postgres proxy: ${(err as Error).message}`);
      this.#fatal(
        SQLSTATE.protocolViolation,
        `airlock could not read this message: ${(err as Error).message}`,
      );
    } finally {
      this.#busy = false;
      this.#o.upstream.uncork();
      if (!this.#closed) this.#o.client.resume();
    }
  }

  async #handle(type: string, raw: Buffer, body: Buffer): Promise<void> {
    const pipeline = this.#pipeline;
    if (type === "X") pipeline.drop();
    if (pipeline.settlesBefore(type))
      for (const b of await pipeline.settle(this.#refusals, this.#outcomes)) this.#o.upstream.write(b);
    const send = (b: Buffer) => (pipeline.holding ? pipeline.keep(b) : this.#o.upstream.write(b));
    const ctx = {
      judge: this.#o.judge,
      refusals: this.#refusals,
      outcomes: this.#outcomes,
      prepared: this.#prepared,
      pipeline,
      unrecorded: (err: Error) => this.#unrecorded(err),
    };
    switch (type) {
      case "Q":
        return void send(await judgeQuery(ctx, raw, body));
      case "P":
        return void send(trackParse(ctx, raw, body));
      case "B":
        return void send(await judgeBind(ctx, raw, body));
      case "F":
        return void send(refuseFunctionCall(ctx));
      case "d":
      case "c":
      case "f":
        // COPY data belongs to the COPY statement judged before it; outside COPY IN it is dropped.
        if (this.#copyIn) send(raw);
        if (type !== "d") this.#copyIn = false;
        return;
      case "X":
        send(raw);
        return this.close();
      default:
        // Execute, Describe, Close, Flush, Sync: they run only what a judged Bind made.
        if (type === "S") this.#outcomes.cycle();
        if (type === "C" && body[0] === 0x53)
          this.#prepared.delete(body.toString("utf8", 1, body.length - 1));
        send(raw);
    }
  }

  #fromUpstream(chunk: Buffer): void {
    const reader = this.#o.upstreamReader;
    reader.push(chunk);
    const out: Buffer[] = [];
    try {
      for (let m = reader.next(); m; m = reader.next()) {
        if (m.type === "E") {
          const mine = this.#refusals.rewrite(m.body);
          if (mine) {
            out.push(mine);
            continue;
          }
          const fields = readErrorFields(m.body);
          this.#outcomes.failed(fields.get("C") ?? "", fields.get("M") ?? "");
        } else if (m.type === "C") this.#outcomes.completed(m.body.toString("utf8", 0, m.body.length - 1));
        else if (m.type === "G") this.#copyIn = true;
        else if (m.type === "Z") {
          this.#copyIn = false;
          this.#outcomes.settled(m.body.toString("latin1", 0, 1));
          this.#refusals.clear();
        } else if (m.type === "S" && !this.#encodingOk(m.body)) return;
        out.push(m.raw);
      }
    } catch (err) {
      this.#fatal(
        SQLSTATE.protocolViolation,
        `the upstream sent a malformed message: ${(err as Error).message}`,
      );
      return;
    }
    if (out.length === 0 || this.#closed) return;
    if (!this.#o.client.write(out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out)))
      this.#o.upstream.pause();
  }

  /** SQL is judged as UTF-8; a session switched to another encoding could be read differently by the server. */
  #encodingOk(body: Buffer): boolean {
    const [name, value] = body.toString("utf8").split("\0");
    if (name !== "client_encoding" || value?.toUpperCase() === "UTF8") return true;
    this.#fatal(
      SQLSTATE.featureNotSupported,
      `client_encoding ${value} is not allowed through airlock: it judges SQL as UTF8`,
    );
    return false;
  }
}
