import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { editCodexServers } from "../../../src/ingress/hooks/mcp-codex.js";
import { MARKER } from "../../../src/ingress/hooks/mcp-config.js";
import { tomlTables } from "../../../src/ingress/hooks/toml-tables.js";
import { airlock, BIN, sandbox } from "./run-hook.js";

/**
 * `install|uninstall codex --mcp`: Codex's config.toml rewritten one server table at a time. The pure
 * rewrite on files that try the table finder (strings and arrays that look like headers, comments,
 * CRLF, a sub-table far from its server), then the command against a temporary HOME, CODEX_HOME and
 * project. The real Codex reading the result is in real-cli/mcp-proxy.test.ts.
 */

type Json = Record<string, unknown>;
const LAUNCHER = { node: "/usr/bin/node", airlock: "/opt/airlock/bin/airlock.mjs" };
const PROXY = [LAUNCHER.airlock, "mcp", "--name"];

/** What is before the first server table, and after the last one, kept byte for byte. */
const HEAD = `# Codex settings, kept by hand
model = "o3"   # the default model
notes = """
[mcp_servers.not_a_table]
command = "inside a string"
"""
matrix = [
  [1, 2],
  ["[mcp_servers.fake]"],
]

[model_providers.local]
name = "local"   # a comment with [brackets]
base_url = 'http://127.0.0.1:8080/v1'

`;
const SERVERS = `[mcp_servers.postgres]
# the shop's database
command = "npx"
args = [
  "-y",
  "@modelcontextprotocol/server-postgres", # the package
  "[not a header]",
]
startup_timeout_sec = 20

[mcp_servers."files.local"]
command = "mcp-files"
env = { ROOT = "/srv/app" }

# a remote server: Codex signs in itself
[mcp_servers.docs]
url = "https://docs.example.com/mcp"
bearer_token_env_var = "DOCS_TOKEN"

[profiles.fast]
model = "gpt-5"  # not a server

[mcp_servers.postgres.env]
PGHOST = "db.internal"
`;
const TAIL = `
# the end
[[skills.config]]
path = "/srv/skills/a"
`;
const FILE = HEAD + SERVERS + TAIL;

const servers = (text: string) => (parse(text) as Json).mcp_servers as Record<string, Json>;

describe("editCodexServers: Codex's config.toml, one server table at a time", () => {
  it("finds the real headers only (not in strings, not nested arrays), with their key paths", () => {
    const keys = tomlTables(FILE).map((t) => t.key.join(" / "));
    expect(keys).toEqual([
      "model_providers / local",
      "mcp_servers / postgres",
      "mcp_servers / files.local",
      "mcp_servers / docs",
      "profiles / fast",
      "mcp_servers / postgres / env",
      "skills / config",
    ]);
  });

  it("reads quoted keys with `]` in them, spaced headers, arrays of tables and strings across lines", () => {
    const text = String.raw`[ mcp_servers . "a]b" ]  # a comment ]
command = 'x' # ]
args = ['''
multi [ line ''', "\"]"]
[[mcp_servers."a]b".hooks]]
k = 1
[mcp_servers.c]
command = "y"
env.A = "1"
`;
    expect(tomlTables(text).map((t) => [t.key, t.array])).toEqual([
      [["mcp_servers", "a]b"], false],
      [["mcp_servers", "a]b", "hooks"], true],
      [["mcp_servers", "c"], false],
    ]);
    const wrapped = editCodexServers(text, true, LAUNCHER).text;
    expect(servers(wrapped)["a]b"]).toMatchObject({ hooks: [{ k: 1 }], required: true });
    expect(servers(wrapped)["a]b"]?.args).toEqual([...PROXY, "a]b", "--", "x", "multi [ line ", '"]']);
    expect(servers(wrapped).c).toMatchObject({ env: { A: "1" }, required: true });
    expect(servers(editCodexServers(wrapped, false, LAUNCHER).text)).toEqual(servers(text));
  });

  it("wraps each stdio server, required; keeps every other byte; uninstall gives back the same text", () => {
    const { text, changes } = editCodexServers(FILE, true, LAUNCHER);
    expect(changes.map((c) => `${c.name}: ${c.outcome}`)).toEqual([
      "postgres: wrapped",
      "files.local: wrapped",
      "docs: kept",
    ]);
    expect(text.startsWith(HEAD)).toBe(true);
    expect(text.endsWith(TAIL)).toBe(true);
    // The comments and the tables between the servers are where they were.
    expect(text).toContain('# a remote server: Codex signs in itself\n[mcp_servers.docs]\nurl = "https');
    // The sub-table far from its server went into the server's table, its blank line with it.
    expect(text).toContain('[profiles.fast]\nmodel = "gpt-5"  # not a server\n\n# the end\n');
    expect(text).toContain("[mcp_servers.postgres]\n# the shop's database\ncommand = ");

    const after = servers(text);
    const before = servers(FILE);
    expect(after.postgres).toMatchObject({
      command: LAUNCHER.node,
      args: [
        ...PROXY,
        "postgres",
        "--",
        "npx",
        "-y",
        "@modelcontextprotocol/server-postgres",
        "[not a header]",
      ],
      required: true,
      startup_timeout_sec: 20,
      env: { PGHOST: "db.internal", [MARKER]: JSON.stringify(before.postgres) },
    });
    expect(after["files.local"]?.args).toEqual([...PROXY, "files.local", "--", "mcp-files"]);
    expect(after.docs).toEqual(before.docs);
    const { mcp_servers: _a, ...restAfter } = parse(text) as Json;
    const { mcp_servers: _b, ...restBefore } = parse(FILE) as Json;
    expect(restAfter).toEqual(restBefore);

    const again = editCodexServers(text, true, LAUNCHER);
    expect(again.text).toBe(text);
    expect(again.changes.filter((c) => c.outcome !== "kept")).toEqual([]);

    const restored = editCodexServers(text, false, LAUNCHER);
    expect(restored.changes.filter((c) => c.outcome === "restored").map((c) => c.name)).toEqual([
      "postgres",
      "files.local",
    ]);
    expect(servers(restored.text)).toEqual(before);
    expect(restored.text.startsWith(HEAD)).toBe(true);
    expect(restored.text.endsWith(TAIL)).toBe(true);
  });

  it("gives back the very bytes of a file written as `codex mcp add` writes it, CRLF too", () => {
    const added = [
      'model = "o3"',
      "",
      "[mcp_servers.postgres]",
      'command = "node"',
      'args = ["/srv/pg.mjs", "--flag", "a \\"b\\""]',
      "",
      "[mcp_servers.postgres.env]",
      'B = "2"',
      'PGHOST = "127.0.0.1"',
      "",
      "[mcp_servers.files]",
      'command = "mcp-files"',
      "",
    ].join("\n");
    for (const text of [added, added.replaceAll("\n", "\r\n")]) {
      const wrapped = editCodexServers(text, true, LAUNCHER).text;
      expect(wrapped).not.toBe(text);
      expect(wrapped.includes("\r\n")).toBe(text.includes("\r\n"));
      expect(servers(wrapped).files?.required).toBe(true);
      expect(editCodexServers(wrapped, false, LAUNCHER).text).toBe(text);
    }
  });

  it("leaves a server not written as its own table, and a file without servers, as they are", () => {
    const inline = '[mcp_servers]\npostgres = { command = "npx", args = ["pg"] }\n';
    const edit = editCodexServers(inline, true, LAUNCHER);
    expect(edit.text).toBe(inline);
    expect(edit.changes).toEqual([
      { name: "postgres", outcome: "kept", why: expect.stringMatching(/not written as its own/) },
    ]);
    const none = 'model = "o3"\n';
    expect(editCodexServers(none, true, LAUNCHER)).toEqual({ text: none, changes: [] });
  });

  it("refuses a file that is not TOML, or whose mcp_servers is not a table", () => {
    expect(() => editCodexServers('[mcp_servers.a]\ncommand = "x\n', true, LAUNCHER)).toThrow();
    expect(() => editCodexServers("[mcp_servers.a]\n[mcp_servers.a]\n", true, LAUNCHER)).toThrow();
    expect(() => editCodexServers('mcp_servers = "none"\n', true, LAUNCHER)).toThrow(/not a table/);
  });
});

const backups = (file: string) =>
  readdirSync(dirname(file)).filter((f) => f.startsWith("config.toml.airlock-backup-"));

function place(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
}

describe("airlock install|uninstall codex --mcp", () => {
  it("rewrites ~/.codex/config.toml, is idempotent, and uninstall gives back the same servers", () => {
    const dirs = sandbox();
    const file = join(dirs.home, ".codex", "config.toml");
    place(file, FILE);
    const first = airlock(["install", "codex", "--mcp"], dirs);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`OpenAI Codex: put behind airlock mcp in ${file}: postgres, files.local`);
    expect(first.stdout).toMatch(/docs: a remote \(url\) server/);
    expect(servers(readFileSync(file, "utf8")).postgres?.args).toEqual(
      expect.arrayContaining([BIN, "mcp", "--name", "postgres", "--", "npx"]),
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const installed = readFileSync(file, "utf8");
    expect(airlock(["install", "codex", "--mcp"], dirs).stdout).toContain("nothing to wrap");
    expect(readFileSync(file, "utf8")).toBe(installed);
    expect(backups(file)).toHaveLength(1);
    expect(airlock(["uninstall", "codex", "--mcp"], dirs).status).toBe(0);
    expect(servers(readFileSync(file, "utf8"))).toEqual(servers(FILE));
  });

  it("follows CODEX_HOME, and --project edits .codex/config.toml in the project", () => {
    const dirs = sandbox();
    const codexHome = join(dirs.outside, "codex-home");
    const user = join(codexHome, "config.toml");
    const project = join(dirs.project, ".codex", "config.toml");
    place(user, '[mcp_servers.a]\ncommand = "a-server"\n');
    place(project, '[mcp_servers.b]\ncommand = "b-server"\n');
    expect(airlock(["install", "codex", "--mcp"], dirs, { CODEX_HOME: codexHome }).stdout).toContain(
      `put behind airlock mcp in ${user}: a`,
    );
    expect(readFileSync(project, "utf8")).toBe('[mcp_servers.b]\ncommand = "b-server"\n');
    const run = airlock(["install", "codex", "--mcp", "--project"], dirs, { CODEX_HOME: codexHome });
    expect(run.stdout).toContain(`put behind airlock mcp in ${project}: b`);
    expect(servers(readFileSync(project, "utf8")).b?.required).toBe(true);
  });

  it("leaves a file it cannot parse untouched, with no backup, and says so", () => {
    const dirs = sandbox();
    const file = join(dirs.home, ".codex", "config.toml");
    const text = '[mcp_servers.a]\ncommand = "a-server"\nargs = ["unclosed"\n';
    place(file, text);
    const run = airlock(["install", "codex", "--mcp"], dirs);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file} was left as it is: Invalid TOML document`);
    expect(run.stderr).toContain("TOML that Codex reads");
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(backups(file)).toHaveLength(0);
  });
});

describe("airlock doctor on Codex's MCP servers", () => {
  it("says which servers are behind airlock mcp, and which are not required", () => {
    const dirs = sandbox();
    const file = join(dirs.home, ".codex", "config.toml");
    place(file, FILE);
    const before = airlock(["doctor"], dirs).stdout;
    expect(before).toContain(
      `MCP user: ${file}: postgres: NOT behind airlock mcp (\`airlock install codex --mcp\` puts it there); files.local: NOT`,
    );
    expect(airlock(["install", "codex", "--mcp"], dirs).status).toBe(0);
    const after = airlock(["doctor"], dirs).stdout;
    expect(after).toContain(
      `MCP user: ${file}: postgres: behind airlock mcp; files.local: behind airlock mcp; docs: NOT behind airlock mcp, and \`install --mcp\` leaves it (a remote (url) server`,
    );
    writeFileSync(file, readFileSync(file, "utf8").replace("required = true", "required = false"));
    expect(airlock(["doctor"], dirs).stdout).toContain(
      "postgres: behind airlock mcp, but not `required = true`: Codex runs on without it",
    );
    writeFileSync(file, "[mcp_servers.a\n");
    expect(airlock(["doctor"], dirs).stdout).toContain(
      `MCP user: ${file}: unreadable (Invalid TOML document`,
    );
  });
});
