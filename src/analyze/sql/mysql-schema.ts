import type { Operation } from "../types.js";
import { accountName, databaseOf, type Json, list, rec, str, tableName } from "./mysql-ast.js";
import { type AlterKind, alterTableOp, createOp, dropOp } from "./objects.js";
import { listNames, sqlOp, tables } from "./operation.js";
import { privilegeOp } from "./privilege.js";
import { truncateOp } from "./rows.js";

/** node-sql-parser statements that create, change or remove schema objects and accounts. */
export const SCHEMA_HANDLERS: Record<string, (ast: Json) => Operation[]> = {
  drop: (ast) => {
    const words = String(ast.keyword ?? "").toUpperCase();
    if (words === "DATABASE" || words === "SCHEMA") {
      const name = str(ast.name) ?? "?";
      return [dropOp(words, [name], { envHints: [name], targetType: "database" })];
    }
    const refs = Array.isArray(ast.name) ? ast.name : [rec(ast.name)?.column ?? ast.name];
    const names = refs.map((r) => (typeof r === "string" ? r : tableName(r)));
    return [dropOp(words, names, { envHints: refs.flatMap(databaseOf) })];
  },
  truncate: (ast) => [truncateOp(list(ast.name).map(tableName), false, list(ast.name).flatMap(databaseOf))],
  create: (ast) => [createStatement(ast)],
  alter: (ast) => {
    const target = list(ast.table)[0];
    const exprs = list(ast.expr).map((e) => rec(e) ?? {});
    const dropped = exprs
      .filter((e) => alterKind(e) === "drop-column")
      .map((e) => str(rec(e.column)?.column) ?? "?");
    return [alterTableOp(tableName(target), exprs.map(alterKind), dropped, databaseOf(target))];
  },
  rename: (ast) => {
    const pairs = list(ast.table).map((p) => list(p).map(tableName).join(" TO "));
    return [
      sqlOp({
        name: "RENAME TABLE",
        effect: "write",
        reversibility: "reversible",
        blastRadius: "service",
        targets: tables(list(ast.table).map((p) => tableName(list(p)[0]))),
        tags: ["schema-change"],
        summary: `RENAME TABLE ${pairs.join(", ")}: code using the old names breaks`,
      }),
    ];
  },
};

function createStatement(ast: Json): Operation {
  const words = String(ast.keyword ?? "").toUpperCase();
  if (words === "USER") {
    const users = list(ast.user).map((u) => accountName(rec(u)?.user));
    return privilegeOp({
      name: "CREATE USER",
      summary: `CREATE USER ${listNames(users)}: adds a database account`,
      targets: users.map((name) => ({ type: "user", name })),
    });
  }
  if (words === "DATABASE" || words === "SCHEMA") {
    const name = list(rec(ast.database)?.schema).map(str).join(".") || str(ast.database) || "?";
    return createOp(words, [name], { envHints: [name] });
  }
  const ref = ast.view ?? ast.trigger ?? list(ast.table)[0] ?? ast.table;
  const name = words === "INDEX" ? (str(ast.index) ?? str(rec(ast.index)?.name) ?? "?") : tableName(ref);
  return createOp(words || "OBJECT", [name], { replace: ast.replace != null && ast.replace !== false });
}

function alterKind(e: Json): AlterKind {
  const action = String(e.action ?? "").toLowerCase();
  const resource = String(e.resource ?? "").toLowerCase();
  if (action === "drop" && resource === "column") return "drop-column";
  if ((action === "drop" || action === "truncate") && resource === "partition") return "drop-partition";
  if (action === "modify" || action === "change") return "retype";
  return "other";
}
