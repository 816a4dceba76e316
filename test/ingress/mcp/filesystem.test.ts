import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decisionOf,
  FILESYSTEM,
  proxiedClient,
  stdioClient,
  tempDir,
  textOf,
  withProxied,
} from "./harness.js";

/**
 * The real @modelcontextprotocol/server-filesystem behind `airlock mcp`, under the built-in policy.
 * Its tools declare annotations: write_file, edit_file and move_file say `destructiveHint: true`.
 */
describe("airlock mcp in front of server-filesystem (stdio)", () => {
  const root = tempDir();
  const prod = join(root, "prod");
  let proxied: Awaited<ReturnType<typeof proxiedClient>>;
  let direct: Awaited<ReturnType<typeof stdioClient>>;

  beforeAll(async () => {
    mkdirSync(prod);
    writeFileSync(join(prod, "config.yaml"), "replicas: 3\n");
    proxied = await proxiedClient(["--name", "filesystem", "--", FILESYSTEM, root]);
    direct = await stdioClient(FILESYSTEM, [root]);
  });
  afterAll(async () => {
    await proxied?.client.close();
    await direct?.client.close();
  });

  it("lists the same tools, with their annotations, as the server does directly", async () => {
    const through = await proxied.client.listTools();
    expect(through).toEqual(await direct.client.listTools());
    expect(through.tools.find((t) => t.name === "write_file")?.annotations?.destructiveHint).toBe(true);
  });

  it("lets reads through", async () => {
    const result = await proxied.client.callTool({
      name: "read_text_file",
      arguments: { path: join(prod, "config.yaml") },
    });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe("replicas: 3\n");
    const listing = await proxied.client.callTool({ name: "list_directory", arguments: { path: root } });
    expect(textOf(listing)).toContain("[DIR] prod");
  });

  it("holds a destructive write (the server declares write_file destructive) and never sends it", async () => {
    const file = join(prod, "config.yaml");
    const result = await proxied.client.callTool({
      name: "write_file",
      arguments: { path: file, content: "replicas: 0\n" },
    });
    expect(result.isError).toBe(true);
    const decision = decisionOf(result);
    expect(decision?.decision).toBe("hold");
    expect(decision?.rules).toContain("production-destruction");
    expect(decision?.operations[0]?.summary).toContain("declares this tool destructive");
    expect(textOf(result)).toContain("airlock is holding this call to filesystem/write_file");
    expect(textOf(result)).toContain("not connected to an airlock server");
    expect(readFileSync(file, "utf8")).toBe("replicas: 3\n");
  });

  it("holds a move out of the allowed area before the server could even refuse it", async () => {
    const outside = join(tempDir(), "stolen.yaml");
    const result = await proxied.client.callTool({
      name: "move_file",
      arguments: { source: join(prod, "config.yaml"), destination: outside },
    });
    expect(decisionOf(result)?.decision).toBe("hold");
    expect(existsSync(join(prod, "config.yaml"))).toBe(true);
    expect(existsSync(outside)).toBe(false);
  });

  it("forwards an ordinary reversible change (create_directory is not declared destructive)", async () => {
    const result = await proxied.client.callTool({
      name: "create_directory",
      arguments: { path: join(root, "scratch") },
    });
    expect(result.isError).toBeFalsy();
    expect(existsSync(join(root, "scratch"))).toBe(true);
  });
});

describe("airlock mcp with a policy that denies", () => {
  const root = tempDir();
  const policyFile = join(tempDir(), "policy.yaml");
  writeFileSync(
    policyFile,
    [
      "version: 1",
      "name: no-moves",
      "rules:",
      "  - id: no-moves",
      "    reason: Agents do not move files here",
      '    match: { tool: "filesystem/move_file" }',
      "    decision: deny",
      "  - id: everything-else",
      "    reason: Anything else is fine in this test",
      "    match: {}",
      "    decision: allow",
      "",
    ].join("\n"),
  );
  writeFileSync(join(root, "a.txt"), "a\n");

  it("returns the reasons and rule ids, and leaves the file where it was", () =>
    withProxied(["--name", "filesystem", "--policy", policyFile, "--", FILESYSTEM, root], async (client) => {
      const result = await client.callTool({
        name: "move_file",
        arguments: { source: join(root, "a.txt"), destination: join(root, "b.txt") },
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain("airlock denied this call to filesystem/move_file");
      expect(textOf(result)).toContain("Agents do not move files here");
      expect(textOf(result)).toContain("no-moves");
      expect(existsSync(join(root, "a.txt"))).toBe(true);
      expect(existsSync(join(root, "b.txt"))).toBe(false);
    }));

  it("with --hide-denied, leaves the denied tool out of tools/list", () =>
    withProxied(
      ["--name", "filesystem", "--policy", policyFile, "--hide-denied", "--", FILESYSTEM, root],
      async (client) => {
        const names = (await client.listTools()).tools.map((t) => t.name);
        expect(names).toContain("write_file");
        expect(names).not.toContain("move_file");
      },
    ));
});
