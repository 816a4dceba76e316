import { beforeAll, describe, expect, it } from "vitest";
import { loadSql } from "../../../src/analyze/sql/index.js";
import { mayChangeCatalog } from "../../../src/ingress/postgres/relations.js";
import { splitStatements } from "../../../src/ingress/postgres/statements.js";

// splitStatements uses the parser synchronously: load it first (the proxy does at start).
beforeAll(() => loadSql(["postgres"]));

/** The relations of a statement, as the catalog is asked about them (the real Postgres parser). */
const of = (sql: string) => splitStatements(sql)[0]?.relations;

describe("the relations a statement uses", () => {
  it("reads every relation a query names, qualified when the statement qualifies it", () => {
    expect(of("SELECT * FROM report r JOIN app.orders o ON o.id = r.id")).toEqual({
      read: [{ name: "report" }, { schema: "app", name: "orders" }],
      written: [],
      operators: ["="],
    });
  });

  it("writes the targets of INSERT, UPDATE, DELETE, MERGE, TRUNCATE and COPY FROM, in a CTE too", () => {
    const cases: [string, string[]][] = [
      ["INSERT INTO events SELECT * FROM staging", ["events"]],
      ["UPDATE t SET a = 1 FROM x WHERE t.id = x.id", ["t"]],
      ["DELETE FROM parent USING other WHERE parent.id = other.id", ["parent"]],
      ["MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", ["t"]],
      ["TRUNCATE a, b", ["a", "b"]],
      ["COPY t FROM STDIN", ["t"]],
      ["WITH gone AS (DELETE FROM q RETURNING id) SELECT * FROM gone", ["q"]],
      ["EXPLAIN ANALYZE DELETE FROM events", ["events"]],
    ];
    for (const [sql, written] of cases)
      expect(
        of(sql)?.written.map((r) => r.name),
        sql,
      ).toEqual(written);
    expect(of("COPY t TO STDOUT")?.written).toEqual([]);
  });

  it("asks no relations for DDL, which only names them, but its event triggers", () => {
    expect(of("DROP VIEW report")).toEqual({ read: [], written: [], ddl: true });
  });

  it("names the operators a statement uses, BETWEEN's and a simple CASE's too", () => {
    const cases: [string, string[]][] = [
      ["SELECT 1 === 2", ["==="]],
      ["SELECT OPERATOR(public.===)(1, 2)", ["==="]],
      ["SELECT a FROM t WHERE a BETWEEN 1 AND 2", ["<", "<=", ">", ">="]],
      ["SELECT x = ANY (SELECT 1), y IN (1, 2), 'a' LIKE 'b'", ["=", "~~"]],
      ["SELECT CASE z WHEN 1 THEN 2 END", ["="]],
      ["SELECT a FROM t ORDER BY a USING <<<", ["<<<"]],
      ["DELETE FROM t WHERE a @@@ 'x'", ["@@@"]],
    ];
    for (const [sql, operators] of cases) expect(of(sql)?.operators, sql).toEqual(operators);
  });

  it("names the types a statement casts to, qualified when it qualifies them", () => {
    expect(of("SELECT 'a'::mytype, CAST(1 AS app.t2), int4 '5', '{1}'::integer[]")?.types).toEqual([
      { name: "int4" },
      { name: "mytype" },
      { schema: "app", name: "t2" },
      { schema: "pg_catalog", name: "int4" },
    ]);
    expect(of("SELECT 1")).toEqual({ read: [], written: [] });
  });

  it("knows which statements may change the catalog", () => {
    for (const node of ["CreateTrigStmt", "RuleStmt", "CreatePolicyStmt", "DoStmt", "CallStmt", undefined])
      expect(mayChangeCatalog(node), String(node)).toBe(true);
    for (const node of ["SelectStmt", "InsertStmt", "TransactionStmt", "VariableSetStmt"])
      expect(mayChangeCatalog(node), node).toBe(false);
  });
});
