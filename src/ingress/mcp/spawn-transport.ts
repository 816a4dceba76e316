import { type ChildProcess, spawn } from "node:child_process";
import { deserializeMessage, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { idOfTruncated, LineReader } from "./line-reader.js";
import { errorResponse, type JSONRPCMessage, RPC } from "./messages.js";

export interface SpawnSpec {
  command: string;
  args: readonly string[];
  /** Added to the environment the wrapped server inherits from the proxy. */
  env?: Record<string, string>;
  cwd?: string;
}

/**
 * The wrapped server runs with the proxy's environment, as if the client had started it, except the
 * agent's airlock token: a server must not be able to submit actions in the agent's name.
 */
function serverEnvironment(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AIRLOCK_TOKEN;
  return { ...env, ...extra };
}

/**
 * The client side of a stdio MCP server that the proxy starts itself. Unlike the SDK's
 * StdioClientTransport it keeps how the process ended, so a crash can be reported with its exit
 * status, and it hands the server the proxy's environment (the client configured that for it).
 */
export class SpawnTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** How the process ended ("exited with code 1", "was killed by SIGKILL"), once it has. */
  ending?: string;
  readonly #spec: SpawnSpec;
  readonly #lines = new LineReader();
  #child?: ChildProcess;

  constructor(spec: SpawnSpec) {
    this.#spec = spec;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.#spec.command, [...this.#spec.args], {
        stdio: ["pipe", "pipe", "inherit"],
        env: serverEnvironment(this.#spec.env),
        ...(this.#spec.cwd ? { cwd: this.#spec.cwd } : {}),
      });
      this.#child = child;
      child.once("spawn", () => resolve());
      child.once("error", (err) => {
        this.ending = `could not be started (${err.message})`;
        reject(err);
        this.#ended();
      });
      child.once("close", (code, signal) => {
        this.ending ??= signal ? `was killed by ${signal}` : `exited with code ${code}`;
        this.#ended();
      });
      child.stdout?.on("data", (chunk: Buffer) => this.#read(chunk));
      // A server that exits while we write gets EPIPE here; its "close" reports the exit.
      child.stdin?.on("error", (err) => this.onerror?.(err));
    });
  }

  #read(chunk: Buffer): void {
    for (const line of this.#lines.push(chunk)) {
      if ("tooLarge" in line) {
        // Too large to keep: the request it answers gets an error instead, and the proxy reads on.
        const why = `the server's message is ${line.tooLarge} bytes, more than the ${this.#lines.max} airlock mcp accepts (AIRLOCK_MCP_MAX_MESSAGE_BYTES)`;
        const id = idOfTruncated(line.head, line.tail);
        if (id === null) this.onerror?.(new Error(why));
        else this.onmessage?.(errorResponse(id, RPC.internalError, why));
        continue;
      }
      if (line.text.trim() === "") continue;
      let message: JSONRPCMessage;
      try {
        message = deserializeMessage(line.text);
      } catch (err) {
        // A line that is not JSON-RPC (a server printing logs to stdout): report it, keep reading.
        this.onerror?.(err as Error);
        continue;
      }
      this.onmessage?.(message);
    }
  }

  #ended(): void {
    if (this.#child === undefined) return;
    this.#child = undefined;
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.#child?.stdin;
    if (!stdin || stdin.destroyed) return Promise.reject(new Error("the server is not running"));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once("drain", resolve);
    });
  }

  /** End the server's input, which tells a stdio server to exit; kill it if it does not. */
  async close(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    child.stdin?.end();
    const timer = setTimeout(() => child.kill("SIGTERM"), 2000);
    timer.unref();
    await new Promise<void>((resolve) => child.once("close", () => resolve()));
    clearTimeout(timer);
  }
}
