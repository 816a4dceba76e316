import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSql } from "../../../src/analyze/sql/index.js";
import {
  CATALOG_REFRESH_AFTER_MS,
  CATALOG_TTL_MS,
  FunctionCatalog,
} from "../../../src/ingress/postgres/catalog.js";
import { splitStatements } from "../../../src/ingress/postgres/statements.js";
import { call, until } from "../http/harness.js";
import {
  agentClient,
  agentToken,
  approverToken,
  createDatabase,
  direct,
  PG,
  type ProxyServer,
  psql,
  requestIdIn,
  startProxy,
} from "./harness.js";

/**
 * What runs out of sight of the statement: a view's functions (through other views), a row-level
 * security policy's, a trigger's (also one reached by an ON DELETE CASCADE), a rule. Under this
 * policy a read or a write airlock can see through is allowed on a production database and anything
 * opaque is held, so each case below went through before the catalog was asked about relations.
 */
const POLICY = `version: 1
name: seen-writes
description: reads and writes airlock can see through are allowed; the rest is held
rules:
  - id: reads-allowed
    reason: Reading changes nothing
    match: { effect: read }
    decision: allow
  - id: seen-writes-allowed
    reason: A change airlock can see through is allowed here
    match: { effect: [write, delete] }
    when: '!op.opaque'
    decision: allow
  - id: unseen-held
    reason: airlock cannot see what this will do
    match: { opaque: true }
    decision: hold
    approvals: { required: 1, expiresInSeconds: 3600 }
`;

const SETUP = [
  "CREATE TABLE accounts AS SELECT g AS id FROM generate_series(1, 50) g",
  "CREATE FUNCTION wipe() RETURNS int LANGUAGE sql AS 'DELETE FROM accounts RETURNING 1'",
  "CREATE VIEW report AS SELECT wipe() AS n",
  "CREATE VIEW report_of_report AS SELECT * FROM report",
  "CREATE VIEW plain_report AS SELECT count(*) AS n FROM accounts",
  "CREATE SCHEMA other",
  "CREATE FUNCTION other.on_event() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN DELETE FROM public.accounts; RETURN NEW; END$$",
  "CREATE TABLE events (id int)",
  "CREATE TRIGGER wipe_on_insert AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION other.on_event()",
  "CREATE TABLE notes (id int)",
  "CREATE RULE notes_instead AS ON INSERT TO notes DO INSTEAD DELETE FROM accounts",
  "CREATE FUNCTION can_see(int) RETURNS boolean LANGUAGE sql AS 'DELETE FROM accounts RETURNING true'",
  "CREATE TABLE secrets (id int)",
  "ALTER TABLE secrets ENABLE ROW LEVEL SECURITY",
  "CREATE POLICY only_some ON secrets USING (can_see(id))",
  "CREATE TABLE parent (id int PRIMARY KEY)",
  "INSERT INTO parent VALUES (1), (2)",
  "CREATE TABLE child (parent int REFERENCES parent ON DELETE CASCADE)",
  "INSERT INTO child VALUES (1)",
  "CREATE TRIGGER wipe_on_delete AFTER DELETE ON child FOR EACH ROW EXECUTE FUNCTION other.on_event()",
  "CREATE TABLE plain (id int)",
  "CREATE TABLE fresh (id int)",
  "CREATE TABLE later (id int)",
  "CREATE TABLE intx (id int)",
  // What runs through operators, casts, types and trigger WHEN clauses.
  "CREATE FUNCTION wipe_eq(int, int) RETURNS boolean LANGUAGE sql AS 'DELETE FROM accounts RETURNING true'",
  "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = wipe_eq)",
  "CREATE VIEW compared AS SELECT id === 1 AS same FROM plain",
  "CREATE TYPE wrapped AS (v int)",
  "CREATE FUNCTION to_wrapped(int) RETURNS wrapped LANGUAGE sql AS 'DELETE FROM accounts RETURNING ROW($1)::wrapped'",
  "CREATE CAST (int AS wrapped) WITH FUNCTION to_wrapped(int)",
  "CREATE FUNCTION positive(int) RETURNS boolean LANGUAGE sql AS 'DELETE FROM accounts RETURNING $1 > 0'",
  "CREATE DOMAIN posint AS int CHECK (positive(VALUE))",
  "CREATE TABLE amounts (v posint)",
  "CREATE TABLE watched (id int)",
  "INSERT INTO watched VALUES (1)",
  "CREATE TRIGGER watch BEFORE UPDATE ON watched FOR EACH ROW WHEN (wipe_eq(NEW.id, 0)) EXECUTE FUNCTION suppress_redundant_updates_trigger()",
  // Extensions: citext brings its own `=` (immutable), dblink a volatile dblink_exec.
  "CREATE TABLE audit_log (id int)",
  "CREATE FUNCTION other.log_it() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO public.audit_log VALUES (NEW.id); RETURN NEW; END$$",
  "CREATE TABLE audited (id int)",
  "CREATE TRIGGER log_it AFTER INSERT ON audited FOR EACH ROW EXECUTE FUNCTION other.log_it()",
  "CREATE EXTENSION citext",
  "CREATE EXTENSION dblink",
  "CREATE TABLE people (name citext)",
  "INSERT INTO people VALUES ('Ann')",
];

let db: { name: string; drop(): Promise<void> };
let server: ProxyServer;
let token: string;

beforeAll(async () => {
  // splitStatements, used in process below, runs the parser synchronously: load it first.
  await loadSql(["postgres"]);
  db = await createDatabase("airlock_indirect");
  await direct(db.name, async (c) => {
    for (const sql of SETUP) await c.query(sql);
  });
  const dir = mkdtempSync(join(tmpdir(), "airlock-pg-indirect-"));
  writeFileSync(join(dir, "policy.yaml"), POLICY);
  server = await startProxy({
    databases: {
      prod: {
        upstream: `postgres://postgres@127.0.0.1:5432/${db.name}?sslmode=disable`,
        environment: "production",
      },
    },
    policy: join(dir, "policy.yaml"),
  });
  token = await agentToken(server);
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const accounts = () =>
  direct(
    db.name,
    async (c) => (await c.query("SELECT count(*)::int AS n FROM accounts")).rows[0].n as number,
  );

const HELD: [string, string, RegExp][] = [
  [
    "a volatile function an extension installed",
    "SELECT dblink_exec('dbname=postgres', 'SELECT 1')",
    /dblink_exec/,
  ],
  ["a view that calls a volatile user function", "SELECT * FROM report", /view public\.report/],
  ["a view over that view", "SELECT n FROM report_of_report", /view public\.report/],
  [
    "a write to a table whose trigger runs a function in another schema",
    "INSERT INTO events VALUES (1)",
    /trigger wipe_on_insert on public\.events/,
  ],
  [
    "a write to a table with a DO INSTEAD rule",
    "INSERT INTO notes VALUES (1)",
    /rule notes_instead on public\.notes/,
  ],
  [
    "a read of a table whose row-level security policy calls a function",
    "SELECT * FROM secrets",
    /policy only_some on public\.secrets/,
  ],
  [
    "a DELETE whose ON DELETE CASCADE fires a trigger on the referencing table",
    "DELETE FROM parent WHERE id = 1",
    /trigger wipe_on_delete on public\.child/,
  ],
  ["a read that uses a user-defined operator", "SELECT 1 === 2", /operator public\.===/],
  ["a read of a view that uses a user-defined operator", "SELECT * FROM compared", /view public\.compared/],
  ["a cast whose cast function is a user function", "SELECT 1::wrapped", /cast to public\.wrapped/],
  ["a cast to a domain whose CHECK calls a user function", "SELECT '5'::posint", /type public\.posint/],
  [
    "a write to a column whose domain's CHECK calls a user function",
    "INSERT INTO amounts VALUES (5)",
    /column v \(type public\.posint\) on public\.amounts/,
  ],
  [
    "a write to a table whose trigger's WHEN clause calls a user function",
    "UPDATE watched SET id = 2",
    /trigger watch on public\.watched/,
  ],
  [
    "a write inside a CTE to a table with a trigger",
    "WITH x AS (INSERT INTO events VALUES (2) RETURNING id) SELECT * FROM x",
    /trigger wipe_on_insert/,
  ],
];

describe("what the relations a statement uses run out of its sight", () => {
  for (const [what, sql, via] of HELD) {
    it(`holds ${what}, and says what runs`, async () => {
      const run = psql(server, token, "prod", sql);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/airlock held this statement/);
      expect(run.stderr).toMatch(via);
      expect(await accounts()).toBe(50);
    });
  }

  it("carries what the catalog says in the Action the approvers see", async () => {
    const run = psql(server, token, "prod", "SELECT * FROM report_of_report");
    const r = (await call(server, "GET", `/v1/requests/${requestIdIn(run.stderr)}`, token)).json;
    expect(r.action).toMatchObject({
      functions: [{ name: "wipe", schema: "public", volatility: "v", via: "view public.report" }],
    });
    const rule = psql(server, token, "prod", "INSERT INTO notes VALUES (2)");
    const ruled = (await call(server, "GET", `/v1/requests/${requestIdIn(rule.stderr)}`, token)).json;
    expect(ruled.action).toMatchObject({ rules: [{ name: "notes_instead", on: "public.notes" }] });
  });

  it("lets what runs nothing out of sight through: a plain view, a table without triggers or rules", async () => {
    expect(psql(server, token, "prod", "SELECT n FROM plain_report")).toMatchObject({
      status: 0,
      stdout: "50\n",
    });
    expect(psql(server, token, "prod", "INSERT INTO plain VALUES (1)")).toMatchObject({ status: 0 });
    expect(psql(server, token, "prod", "UPDATE plain SET id = 2")).toMatchObject({ status: 0 });
    const builtIns =
      "SELECT count(*) FROM plain WHERE id BETWEEN 1 AND 3 AND id::text LIKE '2' AND id = ANY ('{2}'::int[])";
    expect(psql(server, token, "prod", builtIns)).toMatchObject({ status: 0, stdout: "1\n" });
    // citext's own `=` (and its casts) came with CREATE EXTENSION and are immutable: known like built-ins,
    // so neither its `=` nor the built-in `=` elsewhere becomes opaque in a database that has it.
    expect(psql(server, token, "prod", "SELECT count(*) FROM people WHERE name = 'ann'")).toMatchObject({
      status: 0,
      stdout: "1\n",
    });
  });

  it("holds DDL while an event trigger runs a user function, and lets it through once it is gone", async () => {
    await direct(db.name, async (c) => {
      await c.query(
        "CREATE FUNCTION on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN DELETE FROM accounts; END'",
      );
      await c.query("CREATE EVENT TRIGGER wipe_on_ddl ON ddl_command_end EXECUTE FUNCTION on_ddl()");
    });
    try {
      const run = psql(server, token, "prod", "CREATE TABLE made (id int)");
      expect(run.stderr).toMatch(/airlock held this statement/);
      expect(run.stderr).toMatch(/event trigger wipe_on_ddl/);
      expect(await accounts()).toBe(50);
      // Disabled, it does not run: DDL is judged as itself again.
      await direct(db.name, (c) => c.query("ALTER EVENT TRIGGER wipe_on_ddl DISABLE"));
      expect(psql(server, token, "prod", "CREATE TABLE made_while_disabled (id int)")).toMatchObject({
        status: 0,
      });
    } finally {
      await direct(db.name, (c) => c.query("DROP EVENT TRIGGER wipe_on_ddl"));
    }
    // Dropped outside airlock, and seen at once: the held DDL dropped the cached answers.
    expect(psql(server, token, "prod", "CREATE TABLE made (id int)")).toMatchObject({ status: 0 });
  });

  it("sees a trigger created through the proxy at once (its cached answer is dropped)", async () => {
    expect(psql(server, token, "prod", "INSERT INTO fresh VALUES (1)")).toMatchObject({ status: 0 });
    const create = psql(
      server,
      token,
      "prod",
      "CREATE TRIGGER wipe_on_fresh AFTER INSERT ON fresh FOR EACH ROW EXECUTE FUNCTION other.on_event()",
    );
    expect(create.status).toBe(0);
    const again = psql(server, token, "prod", "INSERT INTO fresh VALUES (2)");
    expect(again.stderr).toMatch(/trigger wipe_on_fresh on public\.fresh/);
    expect(await accounts()).toBe(50);
  });
});

describe("what the session changed and the catalog does not show yet", () => {
  it("holds a write after a trigger created in the same message", async () => {
    const run = psql(
      server,
      token,
      "prod",
      "CREATE TRIGGER wipe_on_later AFTER INSERT ON later FOR EACH ROW EXECUTE FUNCTION other.on_event(); INSERT INTO later VALUES (1)",
    );
    expect(run.stderr).toMatch(/airlock held this statement/);
    expect(run.stderr).toMatch(/not committed yet/);
    expect(await accounts()).toBe(50);
  });

  it("holds a write after a trigger created earlier in the open transaction, and trusts the catalog again once idle", async () => {
    const client = await agentClient(server, token);
    try {
      await client.query("BEGIN");
      await client.query(
        "CREATE TRIGGER wipe_on_intx AFTER INSERT ON intx FOR EACH ROW EXECUTE FUNCTION other.on_event()",
      );
      const held = await client.query("INSERT INTO intx VALUES (1)").catch((e: Error) => e);
      expect(String(held)).toMatch(/airlock held this statement/);
      await client.query("ROLLBACK");
      expect((await client.query("SELECT count(*)::int AS n FROM plain")).rows).toEqual([{ n: 1 }]);
      expect((await client.query("INSERT INTO intx VALUES (2)")).rowCount).toBe(1);
    } finally {
      await client.end();
    }
    expect(await accounts()).toBe(50);
  });
});

describe("the catalog's answers are reused", () => {
  it("asks once for repeated reads of the same relations, and again after a change or the TTL", async () => {
    let now = 0;
    const catalog = new FunctionCatalog({ ...PG, database: db.name, sslmode: "disable" }, () => now);
    try {
      const [read] = splitStatements("SELECT * FROM report_of_report");
      const relations = read?.relations;
      const first = await catalog.calls([], relations);
      expect(first.userDefined).toMatchObject([{ name: "wipe", via: "view public.report" }]);
      for (let i = 0; i < 100; i++) await catalog.calls([], relations);
      expect(catalog.lookups).toBe(1);
      catalog.changed();
      await catalog.calls([], relations);
      expect(catalog.lookups).toBe(2);
      now += 60_000;
      await catalog.calls([], relations);
      expect(catalog.lookups).toBe(3);
    } finally {
      catalog.close();
    }
  });

  it("asks what a statement calls, uses and names in one round trip, and once for repeats", async () => {
    const catalog = new FunctionCatalog({ ...PG, database: db.name, sslmode: "disable" });
    try {
      const [s] = splitStatements("SELECT wipe_eq(id, 1), id::wrapped FROM compared, plain WHERE id === 1");
      const first = await catalog.calls(s?.functions ?? [], s?.relations);
      expect(first.userDefined.map((f) => f.via ?? "called")).toEqual([
        "called",
        "cast to public.wrapped",
        "operator public.===",
        "view public.compared",
      ]);
      for (let i = 0; i < 100; i++) await catalog.calls(s?.functions ?? [], s?.relations);
      expect(catalog.lookups).toBe(1);
    } finally {
      catalog.close();
    }
  });

  it("reports what it named as unknown when the look-up fails", async () => {
    const catalog = new FunctionCatalog({ ...PG, database: `${db.name}_missing`, sslmode: "disable" });
    try {
      for (const [sql, via] of [
        ["SELECT 1 === 2", "operator ==="],
        ["SELECT '5'::posint", "type posint"],
        ["CREATE TABLE never (id int)", "event triggers"],
      ] as const) {
        const [s] = splitStatements(sql);
        const answer = await catalog.calls(s?.functions ?? [], s?.relations);
        expect(answer.userDefined, sql).toMatchObject([{ name: "(not looked up)", via }]);
        expect(answer.userDefined[0]?.volatility, sql).toMatch(/the catalog look-up failed/);
      }
    } finally {
      catalog.close();
    }
  });

  it("asks again in the background near expiry, serving the answer it has meanwhile", async () => {
    let now = 0;
    const catalog = new FunctionCatalog({ ...PG, database: db.name, sslmode: "disable" }, () => now);
    try {
      const relations = splitStatements("SELECT * FROM report_of_report")[0]?.relations;
      const other = splitStatements("SELECT * FROM report")[0]?.relations;
      const first = await catalog.calls([], relations);
      now = CATALOG_REFRESH_AFTER_MS - 1;
      expect(await catalog.calls([], relations)).toBe(first);
      expect(catalog.lookups).toBe(1);
      now = CATALOG_REFRESH_AFTER_MS;
      // Served at once, still within the TTL; one look-up goes out behind it, not one per read.
      expect(await catalog.calls([], relations)).toBe(first);
      expect(await catalog.calls([], relations)).toBe(first);
      // A look-up asked after it (one connection, one query at a time) answers after it landed.
      await catalog.calls([], other);
      expect(catalog.lookups).toBe(3);
      // Past the first answer's TTL, the refreshed one (counted from when it was asked) is served.
      now = CATALOG_TTL_MS;
      const refreshed = await catalog.calls([], relations);
      expect(refreshed).not.toBe(first);
      expect(refreshed.userDefined).toMatchObject([{ name: "wipe", via: "view public.report" }]);
      expect(catalog.lookups).toBe(3);
      now = CATALOG_REFRESH_AFTER_MS + CATALOG_TTL_MS;
      await catalog.calls([], relations);
      expect(catalog.lookups).toBe(4);
    } finally {
      catalog.close();
    }
  });

  it("keeps no background answer asked before a change was forwarded", async () => {
    let now = 0;
    const catalog = new FunctionCatalog({ ...PG, database: db.name, sslmode: "disable" }, () => now);
    try {
      const relations = splitStatements("SELECT * FROM report_of_report")[0]?.relations;
      await catalog.calls([], relations);
      now = CATALOG_REFRESH_AFTER_MS;
      await catalog.calls([], relations); // the refresh goes out
      catalog.changed(); // while it is in flight
      const asked = await catalog.calls([], relations); // asked anew, answered after the refresh landed
      expect(catalog.lookups).toBe(3);
      // The refresh, asked before the change, did not replace the answer asked after it.
      expect(await catalog.calls([], relations)).toBe(asked);
      expect(catalog.lookups).toBe(3);
    } finally {
      catalog.close();
    }
  });
});

describe("an approval is for what the catalog said would run", () => {
  it("holds the identical statement anew once a trigger was added, and releases it when what runs is what was approved", async () => {
    const bob = await approverToken(server, "bob");
    const insert = "INSERT INTO audited VALUES (1)";
    const audited = () =>
      direct(
        db.name,
        async (c) => (await c.query("SELECT count(*)::int AS n FROM audited")).rows[0].n as number,
      );
    const first = requestIdIn(psql(server, token, "prod", insert).stderr);
    const request = async (id: string) => (await call(server, "GET", `/v1/requests/${id}`, bob)).json;
    const digest = (await request(first)).digest;
    expect((await call(server, "POST", `/v1/requests/${first}/approve`, bob, { digest })).status).toBe(200);
    await until(async () => ((await request(first)).status === "approved" ? true : undefined));
    // Outside airlock, after the approval: a second trigger on the table.
    await direct(db.name, (c) =>
      c.query(
        "CREATE TRIGGER log_again AFTER INSERT ON audited FOR EACH ROW EXECUTE FUNCTION other.log_it()",
      ),
    );
    const again = psql(server, token, "prod", insert);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toMatch(/trigger log_again on public\.audited/);
    expect(requestIdIn(again.stderr)).not.toBe(first);
    expect((await request(first)).status).toBe("approved");
    expect(await audited()).toBe(0);
    // What runs is again what was approved: the approval applies, once.
    await direct(db.name, (c) => c.query("DROP TRIGGER log_again ON audited"));
    expect(psql(server, token, "prod", insert)).toMatchObject({ status: 0 });
    expect(await audited()).toBe(1);
    expect((await request(first)).status).toBe("used");
  });
});
