import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { MARKER } from "../../../src/ingress/hooks/mcp-config.js";
import type { CliName } from "../../../src/ingress/hooks/types.js";
import { EVERYTHING, stdioClient } from "../mcp/harness.js";
import { airlock, BIN, sandbox } from "./run-hook.js";

/** `airlock install|uninstall <cli> --mcp`, run from the bundle against a temporary HOME and project. */

type Json = Record<string, unknown>;
const STDIO = {
  command: "npx",
  args: ["-y", "@modelcontextprotocol/server-filesystem", "/srv/app"],
  env: { LOG: "debug" },
  timeout: 30000,
};
const HTTP = { type: "http", url: "https://mcp.example.com/mcp" };
const SIGNED_IN = {
  type: "http",
  url: "https://api.example.com/mcp",
  headers: { Authorization: "Bearer x" },
};

/** Each CLI's MCP file (under HOME), and a configuration a person already had in it. */
const CASES: Record<Exclude<CliName, "codex">, { file: (home: string) => string; doc: Json }> = {
  "claude-code": {
    file: (home) => join(home, ".claude.json"),
    doc: {
      numStartups: 12,
      mcpServers: { files: STDIO, notion: HTTP, api: SIGNED_IN },
      projects: {
        "/work/shop": { allowedTools: [], mcpServers: { db: { type: "stdio", command: "pg-mcp" } } },
      },
    },
  },
  cursor: {
    file: (home) => join(home, ".cursor", "mcp.json"),
    doc: { mcpServers: { files: STDIO, web: { url: HTTP.url } } },
  },
  gemini: {
    file: (home) => join(home, ".gemini", "settings.json"),
    doc: {
      ui: { theme: "Dracula" },
      mcpServers: {
        files: { ...STDIO, trust: false },
        web: { httpUrl: HTTP.url },
        old: { url: "https://sse.example.com/sse" },
      },
    },
  },
  kiro: {
    file: (home) => join(home, ".kiro", "settings", "mcp.json"),
    doc: {
      mcpServers: {
        files: { ...STDIO, disabled: false, autoApprove: ["read_file"] },
        web: { url: HTTP.url },
      },
    },
  },
  copilot: {
    file: (home) => join(home, ".copilot", "mcp-config.json"),
    doc: { mcpServers: { files: { type: "local", ...STDIO, tools: ["*"] }, web: { ...HTTP, tools: ["*"] } } },
  },
};

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Json;
const servers = (doc: Json, path = ["mcpServers"]) =>
  path.reduce<Json>((node, key) => node[key] as Json, doc) as Record<string, Json>;
const backups = (file: string) =>
  readdirSync(dirname(file)).filter((f) => f.startsWith(`${file.split("/").pop()}.airlock-backup-`));

function place(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
}

describe.each(Object.keys(CASES) as (keyof typeof CASES)[])("airlock install %s --mcp", (cli) => {
  const { file: fileOf, doc } = CASES[cli];

  it("wraps each server, is idempotent, and uninstall gives back the very same file", () => {
    const dirs = sandbox();
    const file = fileOf(dirs.home);
    const original = `${JSON.stringify(doc, null, 4)}\n`;
    place(file, original);

    const first = airlock(["install", cli, "--mcp"], dirs);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`put behind airlock mcp in ${file}: files`);
    const wrapped = read(file);
    const files = servers(wrapped).files ?? {};
    expect(files).toMatchObject({ command: process.execPath, timeout: 30000 });
    expect(files.args).toEqual([BIN, "mcp", "--name", "files", "--", "npx", ...STDIO.args]);
    expect(files.env).toEqual({ LOG: "debug", [MARKER]: expect.any(String) });
    const web = servers(wrapped).web ?? servers(wrapped).notion ?? {};
    expect(web.args).toEqual([BIN, "mcp", "--name", expect.any(String), "--upstream", HTTP.url, "--stdio"]);
    expect(web).not.toHaveProperty("url");
    if (cli === "copilot") expect(web).toMatchObject({ type: "local", tools: ["*"] });
    // Everything else is where it was; the permissions of a file that may hold tokens are kept.
    expect(Object.keys(wrapped)).toEqual(Object.keys(doc));
    expect(Object.keys(servers(wrapped))).toEqual(Object.keys(servers(doc)));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(backups(file)).toHaveLength(1);

    const installed = readFileSync(file, "utf8");
    const again = airlock(["install", cli, "--mcp"], dirs);
    expect(again.stdout).toContain("nothing to wrap");
    expect(again.stdout).toContain("already behind airlock");
    expect(readFileSync(file, "utf8")).toBe(installed);
    expect(backups(file)).toHaveLength(1);

    const removed = airlock(["uninstall", cli, "--mcp"], dirs);
    expect(removed.status, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`restored in ${file}`);
    expect(readFileSync(file, "utf8")).toBe(original);
    expect(airlock(["uninstall", cli, "--mcp"], dirs).stdout).toContain("nothing to restore");
  });

  it("keeps a server the user added after install, and a compact file stays compact", () => {
    const dirs = sandbox();
    const file = fileOf(dirs.home);
    const original = JSON.stringify(doc);
    place(file, original);
    expect(airlock(["install", cli, "--mcp"], dirs).status).toBe(0);
    const withNew = read(file);
    const added = { command: "my-server", args: ["--port", "0"] };
    servers(withNew).mine = added;
    writeFileSync(file, JSON.stringify(withNew));

    expect(airlock(["uninstall", cli, "--mcp"], dirs).status).toBe(0);
    const restored = read(file);
    expect(servers(restored).mine).toEqual(added);
    delete servers(restored).mine;
    expect(JSON.stringify(restored)).toBe(original);
  });
});

describe("airlock install --mcp, per CLI and edge cases", () => {
  it("claude-code: wraps the user scope and each project's local scope; leaves what it cannot front", () => {
    const dirs = sandbox();
    const file = CASES["claude-code"].file(dirs.home);
    place(file, JSON.stringify(CASES["claude-code"].doc, null, 2));
    const run = airlock(["install", "claude-code", "--mcp"], dirs);
    expect(run.stdout).toContain("db (projects./work/shop)");
    expect(run.stdout).toMatch(/api: it signs in with `headers`/);
    const doc = read(file);
    expect(servers(doc).api).toEqual(SIGNED_IN);
    expect(servers(doc, ["projects", "/work/shop", "mcpServers"]).db?.args).toContain("pg-mcp");
  });

  it("gemini: an SSE server (`url` without a type) is left as it is, and said so", () => {
    const dirs = sandbox();
    const file = CASES.gemini.file(dirs.home);
    place(file, JSON.stringify(CASES.gemini.doc));
    expect(airlock(["install", "gemini", "--mcp"], dirs).stdout).toMatch(/old: its transport \(sse\)/);
    expect(servers(read(file)).old).toEqual({ url: "https://sse.example.com/sse" });
  });

  it("--project edits the project's files; Copilot says why it is skipped", () => {
    const dirs = sandbox();
    const file = join(dirs.project, ".mcp.json");
    place(file, JSON.stringify({ mcpServers: { files: STDIO } }, null, 2));
    const run = airlock(["install", "all", "--mcp", "--project"], dirs);
    expect(run.status, run.stderr).toBe(0);
    expect(servers(read(file)).files?.command).toBe(process.execPath);
    expect(run.stdout).toContain(`no MCP configuration at ${join(dirs.project, ".cursor", "mcp.json")}`);
    expect(run.stdout).toMatch(/copilot: MCP servers skipped: .*per user/);
    expect(run.stdout).toContain(`no MCP configuration at ${join(dirs.project, ".codex", "config.toml")}`);
  });

  it("leaves a file it cannot parse untouched, and says so", () => {
    const dirs = sandbox();
    const file = CASES.cursor.file(dirs.home);
    const text = '{\n  // my servers\n  "mcpServers": {}\n}\n';
    place(file, text);
    const run = airlock(["install", "cursor", "--mcp"], dirs);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file} was left as it is`);
    expect(run.stderr).toContain("plain JSON");
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(backups(file)).toHaveLength(0);
  });

  it("the wrapped command line starts: server-everything behind airlock mcp lists its tools", async () => {
    const dirs = sandbox();
    const file = CASES.cursor.file(dirs.home);
    place(file, JSON.stringify({ mcpServers: { everything: { command: EVERYTHING, args: ["stdio"] } } }));
    expect(airlock(["install", "cursor", "--mcp"], dirs).status).toBe(0);
    const entry = servers(read(file)).everything as {
      command: string;
      args: string[];
      env: Record<string, string>;
    };
    const { client } = await stdioClient(entry.command, entry.args, { HOME: dirs.home, ...entry.env });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("echo");
    } finally {
      await client.close();
    }
  });
});
