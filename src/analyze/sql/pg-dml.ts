import type { CopyStmt } from "libpg-query";
import type { Operation } from "../types.js";
import { listNames, opaqueOp, readOp, sqlOp, tables, within } from "./operation.js";
import { defElems, defIsOn, rangeVarName } from "./pg-ast.js";
import type { Handlers } from "./pg-context.js";
import { pgWhereVerdict } from "./pg-predicate.js";
import { fromTables, nestedOperations } from "./pg-walk.js";
import { insertOp, rowWriteOp } from "./rows.js";

/** Statements that read or change rows. */
export const DML_HANDLERS: Handlers = {
  SelectStmt: (s, ctx) => {
    const nested = nestedOperations(s, ctx);
    if (s.intoClause) return [createFromQuery("SELECT INTO", rangeVarName(s.intoClause.rel)), ...nested];
    const from = fromTables(s.fromClause);
    return [
      readOp(
        "SELECT",
        from.length > 0 ? `SELECT from ${listNames(from)}: reads rows` : "SELECT: reads values",
        tables(from),
      ),
      ...nested,
    ];
  },
  InsertStmt: (s, ctx) => {
    const source = s.selectStmt && "SelectStmt" in s.selectStmt ? s.selectStmt.SelectStmt : undefined;
    const many = !source?.valuesLists || source.valuesLists.length > 1;
    return [insertOp("INSERT", rangeVarName(s.relation), many), ...nestedOperations(s, ctx)];
  },
  UpdateStmt: (s, ctx) => {
    const table = rangeVarName(s.relation);
    const columns = (s.targetList ?? []).flatMap((t) =>
      "ResTarget" in t && t.ResTarget.name ? [t.ResTarget.name] : [],
    );
    const where = pgWhereVerdict(s.whereClause, table);
    return [rowWriteOp("UPDATE", table, where, { columns }), ...nestedOperations(s, ctx)];
  },
  DeleteStmt: (s, ctx) => {
    const table = rangeVarName(s.relation);
    return [rowWriteOp("DELETE", table, pgWhereVerdict(s.whereClause, table)), ...nestedOperations(s, ctx)];
  },
  MergeStmt: (s, ctx) => {
    const table = rangeVarName(s.relation);
    const deletes = (s.mergeWhenClauses ?? []).some(
      (c) => "MergeWhenClause" in c && c.MergeWhenClause.commandType === "CMD_DELETE",
    );
    const merge = sqlOp({
      name: "MERGE",
      effect: "write",
      reversibility: "reversible",
      blastRadius: "service",
      targets: tables([table]),
      summary: `MERGE INTO ${table}: inserts and updates${deletes ? " and deletes" : ""} the rows matching the join`,
    });
    return [merge, ...nestedOperations(s, ctx)];
  },
  CopyStmt: (s, ctx) => [copyOperation(s), ...nestedOperations(s.query, ctx)],
  ExplainStmt: (s, ctx) => {
    const analyze = defElems(s.options).some((d) => d.defname === "analyze" && defIsOn(d));
    if (!analyze || !s.query)
      return [readOp("EXPLAIN", "EXPLAIN: shows the plan without running the statement")];
    const inner = within(ctx.classify(s.query, ctx), "EXPLAIN ANALYZE, which runs the statement");
    return [readOp("EXPLAIN ANALYZE", "EXPLAIN ANALYZE: runs the statement to time it"), ...inner];
  },
  CreateTableAsStmt: (s, ctx) => {
    const into = rangeVarName(s.into?.rel);
    if (s.into?.rel?.relpersistence === "t") ctx.temporary.add(into);
    const name =
      s.objtype === "OBJECT_MATVIEW"
        ? "CREATE MATERIALIZED VIEW"
        : s.is_select_into
          ? "SELECT INTO"
          : "CREATE TABLE AS";
    return [createFromQuery(name, into), ...nestedOperations(s.query, ctx)];
  },
  DeclareCursorStmt: (s, ctx) => [
    readOp("DECLARE CURSOR", `DECLARE ${s.portalname ?? ""}: opens a cursor over a query`),
    ...nestedOperations(s.query, ctx),
  ],
  PrepareStmt: (s, ctx) => {
    const name = s.name ?? "?";
    ctx.prepared.add(name);
    // Analysed here as if executed: a statement is prepared to be run.
    const inner = s.query ? within(ctx.classify(s.query, ctx), `PREPARE ${name}`) : [];
    return [readOp("PREPARE", `PREPARE ${name}: stores a statement to run later (analysed here)`), ...inner];
  },
  ExecuteStmt: (s, ctx) => {
    const name = s.name ?? "?";
    if (ctx.prepared.has(name))
      return [readOp("EXECUTE", `EXECUTE ${name}: runs the statement prepared above`)];
    return [opaqueOp("EXECUTE", `EXECUTE ${name}: runs a prepared statement airlock has not seen`)];
  },
};

function createFromQuery(name: string, table: string): Operation {
  return sqlOp({
    name,
    effect: "write",
    reversibility: "reversible",
    blastRadius: "service",
    targets: tables([table]),
    tags: ["schema-change"],
    summary: `${name} ${table}: creates a table from a query`,
  });
}

function copyOperation(s: CopyStmt): Operation {
  const table = s.relation ? rangeVarName(s.relation) : "(query)";
  const tableTargets = s.relation ? tables([table]) : [];
  const dir = s.is_from ? "FROM" : "TO";
  const file = s.filename;
  if (s.is_program) {
    return sqlOp({
      name: "COPY PROGRAM",
      effect: "execute",
      reversibility: "irreversible",
      blastRadius: "host",
      opaque: true,
      targets: [...tableTargets, { type: "command", name: file ?? "" }],
      summary: `COPY ${table} ${dir} PROGRAM '${file ?? ""}': runs a shell command on the database host`,
    });
  }
  if (!s.is_from && file === undefined)
    return readOp("COPY", `COPY ${table} TO STDOUT: reads rows`, tableTargets);
  if (s.is_from) {
    const from = file === undefined ? "STDIN" : `'${file}' on the database host`;
    const targets = [...tableTargets, ...(file === undefined ? [] : [{ type: "path", name: file }])];
    return sqlOp({
      name: "COPY",
      effect: "write",
      reversibility: "reversible",
      blastRadius: "service",
      targets,
      summary: `COPY ${table} FROM ${from}: loads rows into the table`,
    });
  }
  return sqlOp({
    name: "COPY",
    effect: "write",
    reversibility: "irreversible",
    blastRadius: "host",
    targets: [...tableTargets, { type: "path", name: file ?? "" }],
    summary: `COPY ${table} TO '${file}': writes (or overwrites) a file on the database host`,
  });
}
