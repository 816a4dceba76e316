import { describe, expect, it } from "vitest";
import { nameFromCommand, parseProxyConfig } from "../../../src/ingress/mcp/config.js";
import { exposeNames, mergeCapabilities } from "../../../src/ingress/mcp/merge.js";
import type { UpstreamLink } from "../../../src/ingress/mcp/upstream.js";

describe("the MCP proxy's configuration", () => {
  it("names a wrapped server after its package or program", () => {
    expect(nameFromCommand("npx", ["-y", "@modelcontextprotocol/server-filesystem", "/srv"])).toBe(
      "filesystem",
    );
    expect(nameFromCommand("node_modules/.bin/mcp-server-everything", [])).toBe("everything");
    expect(nameFromCommand("uvx", ["mcp-server-git", "--repository", "."])).toBe("git");
    expect(nameFromCommand("docker", ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server"])).toBe(
      "github",
    );
    expect(nameFromCommand("npx", ["-y", "postgres-mcp@1.2.0"])).toBe("postgres");
  });

  it("reads the agent CLIs' mcpServers shape and its own, in JSON or YAML", async () => {
    const json = JSON.stringify({
      mcpServers: { db: { command: "pg-mcp", args: ["--ro"], env: { PGHOST: "db" } } },
      servers: {
        api: {
          url: "https://mcp.example.com/mcp",
          headers: { authorization: "Bearer x" },
          environment: "production",
        },
      },
      prefix: "always",
    });
    expect(await parseProxyConfig(json, "mcp.json")).toEqual({
      prefix: "always",
      upstreams: [
        { name: "db", command: { command: "pg-mcp", args: ["--ro"], env: { PGHOST: "db" } } },
        {
          name: "api",
          environment: "production",
          url: "https://mcp.example.com/mcp",
          headers: { authorization: "Bearer x" },
        },
      ],
    });
    const yaml = "servers:\n  fs:\n    command: mcp-fs\n";
    expect((await parseProxyConfig(yaml, "mcp.yaml")).upstreams).toEqual([
      { name: "fs", command: { command: "mcp-fs", args: [] } },
    ]);
  });

  it("says which line is wrong, and refuses transports it does not speak", async () => {
    await expect(parseProxyConfig("servers:\n  fs:\n    args: [x]\n", "m.yaml")).rejects.toThrow(
      /^m\.yaml:\d+: servers\.fs: needs either `command`/,
    );
    await expect(
      parseProxyConfig("servers:\n  old: { url: 'http://x/sse', type: sse }\n", "m.yaml"),
    ).rejects.toThrow(/transport "sse" is not supported/);
    await expect(parseProxyConfig("servers: {}\n", "m.yaml")).rejects.toThrow(/names no servers/);
    await expect(parseProxyConfig("servers:\n  'a b': { command: x }\n", "m.yaml")).rejects.toThrow(
      /server names/,
    );
  });
});

describe("merging several servers", () => {
  const link = (name: string, capabilities: Record<string, unknown> = {}) =>
    ({ name, capabilities }) as unknown as UpstreamLink;

  it("prefixes every name with `always`, and only shared names with `auto`", () => {
    const groups = [
      { link: link("a"), items: [{ name: "read" }, { name: "only_a" }] },
      { link: link("b"), items: [{ name: "read" }] },
    ];
    expect(exposeNames(groups, "auto").items.map((t) => t.name)).toEqual(["a__read", "only_a", "b__read"]);
    expect(exposeNames(groups, "always").items.map((t) => t.name)).toEqual([
      "a__read",
      "a__only_a",
      "b__read",
    ]);
    expect(exposeNames(groups, "auto").origins.get("b__read")).toEqual({
      link: groups[1]?.link,
      name: "read",
    });
  });

  it("offers what any server offers, and no tasks", () => {
    expect(
      mergeCapabilities([
        { tools: { listChanged: false }, tasks: { list: {} } },
        { tools: { listChanged: true }, resources: { subscribe: true } },
      ]),
    ).toEqual({ tools: { listChanged: true }, resources: { subscribe: true } });
  });
});
