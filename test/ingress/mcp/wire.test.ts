import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, FILESYSTEM, tempDir } from "./harness.js";

/**
 * `airlock mcp` on the wire, with lines no SDK client would send: the real bundle in front of the
 * real filesystem server. Every request gets an answer, however malformed or large, and the proxy
 * keeps running; a tool call sent as a notification never reaches the server.
 */

interface Wire {
  child: ChildProcessWithoutNullStreams;
  send(line: string): void;
  /** The next message the proxy writes whose id is `id`. */
  answer(id: unknown): Promise<Record<string, unknown>>;
  stderr(): string;
}

function proxy(dir: string, env: Record<string, string>, where: string[]): Wire {
  const child = spawn(process.execPath, [BIN, "mcp", ...where, "--", FILESYSTEM, dir], {
    env: { ...process.env, ...env },
  });
  const seen: Record<string, unknown>[] = [];
  const waiting: { id: unknown; resolve: (m: Record<string, unknown>) => void }[] = [];
  let buffered = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout.on("data", (d: Buffer) => {
    buffered += d.toString();
    for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
      const message = JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>;
      buffered = buffered.slice(nl + 1);
      const at = waiting.findIndex((w) => Object.is(w.id, message.id));
      if (at >= 0) waiting.splice(at, 1)[0]?.resolve(message);
      else seen.push(message);
    }
  });
  return {
    child,
    send: (line) => child.stdin.write(`${line}\n`),
    answer: (id) => {
      const at = seen.findIndex((m) => Object.is(m.id, id));
      if (at >= 0) return Promise.resolve(seen.splice(at, 1)[0] as Record<string, unknown>);
      return new Promise((resolve) => waiting.push({ id, resolve }));
    },
    stderr: () => stderr,
  };
}

async function started(
  dir: string,
  env: Record<string, string> = {},
  where = ["--env", "development"],
): Promise<Wire> {
  const wire = proxy(dir, env, where);
  wire.send(
    JSON.stringify({
      jsonrpc: "2.0",
      id: "init",
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "wire", version: "1" } },
    }),
  );
  expect((await wire.answer("init")).result).toBeDefined();
  wire.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
  return wire;
}

function call(id: string | number, name: string, args: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
}

async function alive(wire: Wire): Promise<void> {
  wire.send(JSON.stringify({ jsonrpc: "2.0", id: "ping", method: "ping" }));
  expect(await wire.answer("ping")).toEqual({ jsonrpc: "2.0", id: "ping", result: {} });
}

let wire: Wire | undefined;
afterEach(() => {
  wire?.child.kill();
  wire = undefined;
});

describe("airlock mcp answers every malformed request", () => {
  it.each([
    ["no jsonrpc", '{"id":1,"method":"tools/list"}', 1, -32600],
    ['jsonrpc "1.0"', '{"jsonrpc":"1.0","id":2,"method":"tools/list"}', 2, -32600],
    ["array params", '{"jsonrpc":"2.0","id":3,"method":"tools/list","params":[1]}', 3, -32602],
    ["a method that is not a string", '{"jsonrpc":"2.0","id":4,"method":7}', 4, -32600],
    ["not JSON", '{"jsonrpc":"2.0","id":5,"method":', null, -32700],
    ["a batch", '[{"jsonrpc":"2.0","id":6,"method":"ping"}]', null, -32600],
  ])("%s", async (_, line, id, code) => {
    wire = await started(tempDir());
    wire.send(line);
    const answer = await wire.answer(id);
    expect((answer.error as { code: number }).code).toBe(code);
    await alive(wire);
  });

  it("an id of 1e300 is answered under that id", async () => {
    wire = await started(tempDir());
    wire.send('{"jsonrpc":"2.0","id":1e300,"method":"tools/list"}');
    const answer = await wire.answer(1e300);
    expect(answer.result).toHaveProperty("tools");
  });
});

describe("a tools/call sent as a notification", () => {
  it("never reaches the server, and is logged", async () => {
    const dir = tempDir();
    wire = await started(dir);
    const target = join(dir, "written-by-a-notification.txt");
    const notification = JSON.parse(call(0, "write_file", { path: target, content: "x" }));
    delete notification.id;
    wire.send(JSON.stringify(notification));
    await alive(wire);
    // The same write as a request is allowed in development: only the notification was dropped.
    wire.send(call("check", "list_allowed_directories", {}));
    await wire.answer("check");
    expect(existsSync(target)).toBe(false);
    expect(wire.stderr()).toContain('dropped a "tools/call" sent as a notification');
  });
});

describe("large messages", () => {
  it("judges a call of 10.5 MiB (the servers' own SDK stops at 10 MiB; this one is held)", async () => {
    const dir = tempDir();
    wire = await started(dir, {}, []);
    const padding = "a".repeat(10.5 * 1024 * 1024);
    wire.send(call(1, "delete_file", { path: "/srv/app/notes.txt", padding }));
    const answer = await wire.answer(1);
    expect(answer.error, JSON.stringify(answer.error)).toBeUndefined();
    const held = answer.result as { isError: boolean; content: { text: string }[] };
    expect(held.isError).toBe(true);
    expect(held.content[0]?.text).toContain("airlock is holding this call");
    await alive(wire);
  });

  it("reads a file of 11 MB through the proxy", async () => {
    const dir = tempDir();
    wire = await started(dir);
    writeFileSync(join(dir, "eleven.txt"), "b".repeat(11_000_000));
    wire.send(call(2, "read_text_file", { path: join(dir, "eleven.txt") }));
    const read = await wire.answer(2);
    const text = (read.result as { content: { text: string }[] }).content[0]?.text ?? "";
    expect(text.length).toBe(11_000_000);
    await alive(wire);
  });

  it("refuses a message over the limit with an error under its id, both ways, and goes on", async () => {
    const dir = tempDir();
    wire = await started(dir, { AIRLOCK_MCP_MAX_MESSAGE_BYTES: String(1024 * 1024) });
    wire.send(call(7, "write_file", { path: join(dir, "two.txt"), content: "c".repeat(2 * 1024 * 1024) }));
    const refused = await wire.answer(7);
    expect(refused.error).toMatchObject({ code: -32600 });
    expect(existsSync(join(dir, "two.txt"))).toBe(false);
    writeFileSync(join(dir, "two.txt"), "d".repeat(2 * 1024 * 1024));
    wire.send(call(8, "read_text_file", { path: join(dir, "two.txt") }));
    const tooBig = await wire.answer(8);
    expect((tooBig.error as { message: string }).message).toMatch(/server's message is \d+ bytes/);
    await alive(wire);
  });
});

describe("what a filesystem server is asked to write", () => {
  it("holds a write of /etc/passwd (once a reversible write, forwarded)", async () => {
    wire = await started(tempDir(), {}, []);
    wire.send(call(9, "write_file", { path: "/etc/passwd", content: "root::0:0::/root:/bin/sh\n" }));
    const held = (await wire.answer(9)).result as { isError: boolean; content: { text: string }[] };
    expect(held.content[0]?.text).toContain("airlock is holding this call to filesystem/write_file");
  });
});
