import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decisionOf,
  EVERYTHING,
  FILESYSTEM,
  proxiedClient,
  stdioClient,
  tempDir,
  textOf,
} from "./harness.js";

/** Two filesystem servers (every tool name collides) and server-everything (none does), behind one proxy. */
describe("airlock mcp --config: several servers behind one proxy", () => {
  const rootA = tempDir();
  const rootB = tempDir();
  let client: Client;
  let everything: Client;

  beforeAll(async () => {
    writeFileSync(join(rootA, "a.txt"), "from a\n");
    writeFileSync(join(rootB, "b.txt"), "from b\n");
    const config = join(tempDir(), "mcp.yaml");
    writeFileSync(
      config,
      [
        "mcpServers:",
        `  fs-a: { command: ${JSON.stringify(FILESYSTEM)}, args: [${JSON.stringify(rootA)}] }`,
        `  fs-b: { command: ${JSON.stringify(FILESYSTEM)}, args: [${JSON.stringify(rootB)}] }`,
        `  everything: { command: ${JSON.stringify(EVERYTHING)}, environment: development }`,
        "",
      ].join("\n"),
    );
    client = (await proxiedClient(["--config", config])).client;
    everything = (await stdioClient(EVERYTHING, [])).client;
  });
  afterAll(async () => {
    await client?.close();
    await everything?.close();
  });

  it("answers initialize for all of them", () => {
    expect(client.getServerVersion()?.name).toBe("airlock-mcp-proxy");
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    expect(client.getServerCapabilities()?.prompts).toBeDefined();
    expect(client.getInstructions()).toContain("## everything");
  });

  it("keeps unique names and prefixes the ones two servers share", async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("fs-a__read_text_file");
    expect(names).toContain("fs-b__write_file");
    expect(names).not.toContain("read_text_file");
    expect(names).toContain("echo");
    const ownTools = (await everything.listTools()).tools.length;
    expect(names.length).toBe(ownTools + 2 * 14);
  });

  it("routes each call to its server, and names that server in the Action", async () => {
    const b = await client.callTool({
      name: "fs-b__read_text_file",
      arguments: { path: join(rootB, "b.txt") },
    });
    expect(textOf(b)).toBe("from b\n");
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "x" } }))).toBe("Echo: x");
    const write = await client.callTool({
      name: "fs-a__write_file",
      arguments: { path: join(rootA, "a.txt"), content: "gone\n" },
    });
    const decision = decisionOf(write);
    expect(decision?.decision).toBe("hold");
    expect(decision?.operations[0]?.name).toBe("fs-a/write_file");
    expect(readFileSync(join(rootA, "a.txt"), "utf8")).toBe("from a\n");
    await expect(client.callTool({ name: "read_text_file", arguments: {} })).rejects.toThrow(/Unknown tool/);
  });

  it("merges prompts and resources, and routes reads to their server", async () => {
    expect(await client.listPrompts()).toEqual(await everything.listPrompts());
    expect((await client.listResources()).resources).toEqual((await everything.listResources()).resources);
    const prompt = { name: "args-prompt", arguments: { city: "Oslo" } };
    expect(await client.getPrompt(prompt)).toEqual(await everything.getPrompt(prompt));
    const uri = "demo://resource/dynamic/text/3";
    // The resource says when it was made (to the second): two reads across a tick differ only there.
    const undated = (read: unknown) => JSON.stringify(read).replace(/created at [^"]*"/, 'created at …"');
    expect(undated(await client.readResource({ uri }))).toBe(undated(await everything.readResource({ uri })));
  });
});
