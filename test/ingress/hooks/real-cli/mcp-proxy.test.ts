import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, direct, PG } from "../../postgres/harness.js";
import { CODEX, claudeCode, codex, copilot, gemini } from "./agents.js";
import { type AgentSpec, toolResults, trackedSandbox } from "./cases.js";
import { AIRLOCK, rewrite, type Sandbox, sandboxEnv, told } from "./harness.js";
import { startModelServer } from "./model-server.js";

/**
 * `airlock install <cli> --mcp` with the real CLIs: a PostgreSQL MCP server (pg-mcp-server.mjs, one
 * `query` tool on the machine's real PostgreSQL) is configured the way a user would, airlock puts
 * itself in front of it, and the CLI, headless, makes one scripted call of that tool. The built-in
 * policy judges: `SELECT 1` reaches the database, `DROP DATABASE` is held and never does (the
 * database is still there, and the server's log of what it ran does not hold it). Codex keeps its
 * servers in TOML (`[mcp_servers.postgres]` in ~/.codex/config.toml), declares their tools to the
 * model as a namespace (`mcp__postgres` holding `query`) and is told to call `query` in it; airlock
 * marks the wrapped server `required`, so a proxy that cannot start stops Codex rather than leaving
 * it to run without the server (checked below).
 */

const SERVER = new URL("./pg-mcp-server.mjs", import.meta.url).pathname;
const AGENTS: AgentSpec[] = [claudeCode, gemini, copilot, codex];

let db: { name: string; drop(): Promise<void> };
beforeAll(async () => {
  db = await createDatabase("airlock_realcli_mcp");
});
afterAll(async () => {
  await db?.drop();
});

async function databaseExists(name: string): Promise<boolean> {
  const rows = await direct("postgres", (c) =>
    c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]),
  );
  return rows.rowCount === 1;
}

/**
 * One headless run whose one tool call is the PostgreSQL server's `query` with `sql`; `tamper` changes
 * the installed configuration before the CLI runs.
 */
async function runQuery(spec: AgentSpec, sql: string, tamper?: (box: Sandbox) => void) {
  const mcp = spec.mcp;
  if (!mcp) throw new Error(`${spec.cli}: no MCP configuration in its spec`);
  const box = trackedSandbox(`${spec.cli}-mcp`);
  const log = join(box.root, "sql.log");
  const tool = mcp.tool("postgres", "query");
  const model = await startModelServer(spec.vendor, {
    tool: (declared) => (declared.includes(tool) ? tool : undefined),
    args: () => ({ sql }),
  });
  try {
    spec.prepare?.(box, model.url);
    const servers = {
      postgres: {
        command: process.execPath,
        args: [SERVER],
        env: {
          PGHOST: PG.host,
          PGPORT: String(PG.port),
          PGUSER: PG.user,
          PGDATABASE: db.name,
          AIRLOCK_TEST_SQL_LOG: log,
        },
      },
    };
    mcp.configure(box, servers);
    const install = spawnSync(process.execPath, [AIRLOCK, "install", spec.cli, "--mcp"], {
      cwd: box.project,
      env: sandboxEnv(box),
      encoding: "utf8",
    });
    expect(install.status, `airlock install ${spec.cli} --mcp: ${install.stdout}${install.stderr}`).toBe(0);
    expect(install.stdout).toMatch(/postgres/);
    tamper?.(box);
    const run = await spec.run(box, model.url);
    const ran = existsSync(log) ? readFileSync(log, "utf8") : "";
    if (tamper) return { run, results: toolResults(model), ran, model };
    const declared = model.log.map((l) => JSON.stringify(l.body)).join("\n");
    expect(
      model.calls.length,
      `${tool} was not declared to the model: ${told(run)}\n${declared.slice(0, 3000)}`,
    ).toBe(1);
    return { run, results: toolResults(model), ran, model };
  } finally {
    await model.close();
  }
}

describe.each(AGENTS)("$cli: airlock install --mcp in front of a PostgreSQL MCP server", (spec) => {
  it("passes SELECT 1 to the database", async () => {
    const { run, results, ran } = await runQuery(spec, "SELECT 1 AS airlock_probe");
    expect(ran, told(run)).toContain("SELECT 1 AS airlock_probe");
    expect(results, told(run)).toMatch(/airlock_probe\\?":1/);
  });

  it("holds DROP DATABASE: it never reaches the database, and the model is told why", async () => {
    const { run, results, ran } = await runQuery(spec, `DROP DATABASE ${db.name}`);
    expect(ran, told(run)).not.toContain("DROP DATABASE");
    expect(await databaseExists(db.name)).toBe(true);
    expect(results, told(run)).toMatch(/airlock is holding this call to postgres\/query/);
    expect(results).toContain("production-destruction");
  });
});

describe("codex: the wrapped server in Codex's own reading", () => {
  it("is the proxy, required; a proxy that cannot start stops Codex, the server never runs", async () => {
    const { run, ran, model } = await runQuery(codex, "SELECT 1 AS airlock_probe", (sandbox) => {
      const list = spawnSync(CODEX, ["mcp", "list", "--json"], {
        cwd: sandbox.project,
        env: sandboxEnv(sandbox),
        encoding: "utf8",
      });
      const servers = JSON.parse(list.stdout) as {
        name: string;
        transport: { command: string; args: string[] };
      }[];
      const postgres = servers.find((s) => s.name === "postgres");
      expect(postgres?.transport.command, list.stdout).toBe(process.execPath);
      expect(postgres?.transport.args.slice(0, 5)).toEqual([AIRLOCK, "mcp", "--name", "postgres", "--"]);
      expect(postgres?.transport.args.slice(5)).toEqual([process.execPath, SERVER]);
      const config = join(sandbox.home, ".codex", "config.toml");
      expect(readFileSync(config, "utf8")).toMatch(/^required = true$/m);
      // airlock moved away: the proxy cannot start.
      rewrite(config, JSON.stringify(AIRLOCK), JSON.stringify(`${AIRLOCK}.moved`));
    });
    expect(run.status, told(run)).not.toBe(0);
    expect(told(run)).toMatch(/required MCP servers failed to initialize/);
    expect(model.calls, told(run)).toEqual([]);
    expect(ran).toBe("");
    // Codex did not go on without the server either: it never asked the model for a turn.
    expect(
      model.log.filter((l) => l.path.includes("/responses")),
      told(run),
    ).toEqual([]);
  });
});
