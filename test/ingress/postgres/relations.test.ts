import { describe, expect, it } from "vitest";
import { mayChangeCatalog } from "../../../src/ingress/postgres/relations.js";
import { splitStatements } from "../../../src/ingress/postgres/statements.js";

/** The relations of a statement, as the catalog is asked about them (the real Postgres parser). */
const of = (sql: string) => splitStatements(sql)[0]?.relations;

describe("the relations a statement uses", () => {
  it("reads every relation a query names, qualified when the statement qualifies it", () => {
    expect(of("SELECT * FROM report r JOIN app.orders o ON o.id = r.id")).toEqual({
      read: [{ name: "report" }, { schema: "app", name: "orders" }],
      written: [],
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

  it("asks nothing for DDL, which only names relations", () => {
    expect(of("DROP VIEW report")).toEqual({ read: [], written: [] });
  });

  it("knows which statements may change the catalog", () => {
    for (const node of ["CreateTrigStmt", "RuleStmt", "CreatePolicyStmt", "DoStmt", "CallStmt", undefined])
      expect(mayChangeCatalog(node), String(node)).toBe(true);
    for (const node of ["SelectStmt", "InsertStmt", "TransactionStmt", "VariableSetStmt"])
      expect(mayChangeCatalog(node), node).toBe(false);
  });
});
