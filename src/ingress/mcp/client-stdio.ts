import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { idOfTruncated, LineReader } from "./line-reader.js";
import type { JSONRPCMessage } from "./messages.js";
import { checkLine, refusal } from "./wire-check.js";

/**
 * The client's side of `airlock mcp` over stdio. Every line is answered or handled: a line too long
 * (more than AIRLOCK_MCP_MAX_MESSAGE_BYTES), not JSON, or not a JSON-RPC request MCP accepts is
 * refused with a JSON-RPC error naming its id where it has one, and the proxy reads on. What it
 * refuses without an answer (a malformed notification or response) is said on standard error.
 */
export class ClientStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #reader = new LineReader();
  readonly #input: NodeJS.ReadableStream;
  readonly #output: NodeJS.WritableStream;
  readonly #onData = (chunk: Buffer) => this.#read(chunk);
  readonly #onError = (err: Error) => this.onerror?.(err);

  constructor(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout) {
    this.#input = input;
    this.#output = output;
  }

  async start(): Promise<void> {
    this.#input.on("data", this.#onData);
    this.#input.on("error", this.#onError);
  }

  #read(chunk: Buffer): void {
    for (const line of this.#reader.push(chunk)) {
      if ("tooLarge" in line) {
        const why = `the message is ${line.tooLarge} bytes, more than the ${this.#reader.max} airlock mcp accepts (AIRLOCK_MCP_MAX_MESSAGE_BYTES)`;
        this.#refuse(why);
        void this.send(refusal(idOfTruncated(line.head, line.tail), -32600, `Invalid Request: ${why}`));
        continue;
      }
      if (line.text.trim() === "") continue;
      const checked = checkLine(line.text);
      if ("message" in checked) {
        this.onmessage?.(checked.message);
        continue;
      }
      this.#refuse(checked.refused);
      if (checked.reply) void this.send(checked.reply);
    }
  }

  #refuse(why: string): void {
    process.stderr.write(`airlock mcp: refused a message from the client: ${why}\n`);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.#output.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.#output.once("drain", resolve);
    });
  }

  async close(): Promise<void> {
    this.#input.off("data", this.#onData);
    this.#input.off("error", this.#onError);
    (this.#input as NodeJS.ReadStream).pause?.();
    this.onclose?.();
  }
}
