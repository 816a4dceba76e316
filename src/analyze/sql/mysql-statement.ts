import type { Operation } from "../types.js";
import { functionOp } from "./functions.js";
import { accountName, databaseOf, type Json, list, rec, str, tableName } from "./mysql-ast.js";
import { mysqlGrantOp } from "./mysql-grant.js";
import { mysqlWhereVerdict } from "./mysql-predicate.js";
import { SCHEMA_HANDLERS } from "./mysql-schema.js";
import { listNames, opaqueOp, readOp, sqlOp, tables } from "./operation.js";
import { insertOp, rowWriteOp } from "./rows.js";

type AstHandler = (ast: Json) => Operation[];

/**
 * Operations for one statement parsed by node-sql-parser, or undefined for a statement type this
 * table does not cover (the keyword classifier takes those).
 */
export function classifyMysqlAst(ast: Json): Operation[] | undefined {
  const handler = HANDLERS[String(ast.type)];
  if (!handler) return undefined;
  return [...handler(ast), ...functionCalls(ast)];
}

const HANDLERS: Record<string, AstHandler> = {
  ...SCHEMA_HANDLERS,
  select: (ast) => {
    const into = rec(ast.into);
    const keyword = String(into?.keyword ?? "").toUpperCase();
    if (keyword === "OUTFILE" || keyword === "DUMPFILE") return [intoFile(keyword, str(into?.expr) ?? "?")];
    const from = list(ast.from)
      .filter((f) => rec(f)?.table !== undefined)
      .map(tableName);
    const summary = from.length > 0 ? `SELECT from ${listNames(from)}: reads rows` : "SELECT: reads values";
    return [readOp("SELECT", summary, tables(from), list(ast.from).flatMap(databaseOf))];
  },
  insert: (ast) => [insertLike("INSERT", ast)],
  replace: (ast) => [insertLike("REPLACE", ast)],
  update: (ast) => {
    const target = list(ast.table)[0];
    const table = tableName(target);
    const columns = list(ast.set).map((s) => str(rec(s)?.column) ?? "?");
    const where = mysqlWhereVerdict(ast.where ?? innerJoinCondition(list(ast.table)), table);
    return [
      rowWriteOp("UPDATE", table, where, {
        columns,
        envHints: databaseOf(target),
        limited: ast.limit != null,
      }),
    ];
  },
  delete: (ast) => {
    const target = resolveAlias(list(ast.table)[0] ?? list(ast.from)[0], list(ast.from));
    const table = tableName(target);
    const where = mysqlWhereVerdict(ast.where ?? innerJoinCondition(list(ast.from)), table);
    return [rowWriteOp("DELETE", table, where, { envHints: databaseOf(target), limited: ast.limit != null })];
  },
  use: (ast) => [readOp("USE", `USE ${str(ast.db)}: switches the current database`, [], [str(ast.db) ?? ""])],
  show: (ast) => [readOp("SHOW", `SHOW ${String(ast.keyword ?? "").toUpperCase()}: reads metadata`)],
  desc: (ast) => [readOp("DESCRIBE", `DESCRIBE ${str(ast.table) ?? ""}: reads a table's definition`)],
  explain: () => [readOp("EXPLAIN", "EXPLAIN: shows the plan without running the statement")],
  transaction: (ast) => {
    const action = (str(rec(rec(ast.expr)?.action)) ?? "").toUpperCase();
    const word = action === "START" ? "BEGIN" : action || "TRANSACTION";
    return [readOp(word, `${word}: transaction control`)];
  },
  set: (ast) => [setStatement(ast)],
  lock: () => [
    sqlOp({
      name: "LOCK",
      effect: "write",
      reversibility: "reversible",
      blastRadius: "service",
      targets: [],
      summary: "LOCK TABLES: blocks other sessions until UNLOCK TABLES",
    }),
  ],
  unlock: () => [readOp("UNLOCK", "UNLOCK TABLES: releases locks")],
  grant: (ast) => {
    const level = list(rec(ast.on)?.priv_level).map(
      (l) => `${str(rec(l)?.prefix) ?? "*"}.${str(rec(l)?.name) ?? "*"}`,
    );
    return [
      mysqlGrantOp({
        verb: String(ast.to_from).toUpperCase() === "FROM" ? "REVOKE" : "GRANT",
        privileges: list(ast.objects).map((o) => (str(rec(o)?.priv) ?? "?").toUpperCase()),
        ...(ast.keyword === "role" ? {} : { level: level[0] ?? "*.*" }),
        accounts: list(ast.user_or_roles).map(accountName),
        grantOption: /grant option|admin option/i.test(str(ast.with) ?? ""),
      }),
    ];
  },
  call: (ast) => {
    const name = list(rec(rec(ast.expr)?.name)?.name)
      .map(str)
      .join(".");
    return [
      opaqueOp("CALL", `CALL ${name}(): runs a stored procedure airlock cannot see into`, [
        { type: "procedure", name },
      ]),
    ];
  },
  load_data: (ast) => {
    const table = tableName(ast.table);
    const file = str(ast.file) ?? "?";
    const where = ast.local ? "the client" : "the database host";
    return [
      sqlOp({
        name: "LOAD DATA",
        effect: "write",
        reversibility: "reversible",
        blastRadius: "service",
        targets: [...tables([table]), { type: "path", name: file }],
        envHints: databaseOf(ast.table),
        summary: `LOAD DATA INFILE '${file}' (on ${where}) INTO ${table}: bulk-loads rows${ast.replace_ignore === "replace" ? ", replacing rows with the same key" : ""}`,
      }),
    ];
  },
};

/** `DELETE o FROM orders o …` names the alias; the table is the FROM entry it stands for. */
function resolveAlias(target: unknown, from: unknown[]): unknown {
  const name = str(rec(target)?.table);
  return from.find((f) => name !== undefined && rec(f)?.as === name) ?? target;
}

function insertLike(name: string, ast: Json): Operation {
  const target = list(ast.table)[0];
  const values = rec(ast.values);
  const many = values?.type !== "values" || list(values.values).length > 1;
  return insertOp(name, tableName(target), many, databaseOf(target));
}

/** Multi-table DELETE/UPDATE: an INNER JOIN's ON condition bounds the rows like a WHERE would. */
function innerJoinCondition(from: unknown[]): unknown {
  const joins = from.map(rec).filter((f) => f?.on && /^(INNER )?JOIN$/i.test(String(f.join ?? "")));
  return joins[0]?.on ?? null;
}

function intoFile(keyword: string, path: string): Operation {
  return sqlOp({
    name: `SELECT INTO ${keyword}`,
    effect: "write",
    reversibility: "reversible",
    blastRadius: "host",
    targets: [{ type: "path", name: path }],
    summary: `SELECT … INTO ${keyword} '${path}': writes a file on the database host`,
  });
}

function setStatement(ast: Json): Operation {
  const keyword = String(ast.keyword ?? "").toUpperCase();
  const names = list(ast.expr).map((e) => rec(rec(e)?.left) ?? {});
  const global =
    ["GLOBAL", "PERSIST", "PERSIST_ONLY"].includes(keyword) ||
    names.some((v) => v.prefix === "@@" && /^(global|persist|persist_only)$/i.test(String(v.name)));
  const vars = names.map((v) => {
    const parts = [v.name, ...list(v.members)].map(String);
    return v.prefix === "@@" && parts.length > 1 ? parts.slice(1).join(".") : parts.join(".");
  });
  if (!global) return readOp("SET", `SET ${listNames(vars)}: changes session settings only`);
  return sqlOp({
    name: "SET GLOBAL",
    effect: "write",
    reversibility: "recoverable",
    blastRadius: "environment",
    targets: vars.map((name) => ({ type: "setting", name })),
    summary: `SET ${keyword || "GLOBAL"} ${listNames(vars)}: changes the server's configuration for every session`,
  });
}

/** Built-in functions with side effects, anywhere in the statement. */
function functionCalls(ast: unknown, out: Operation[] = []): Operation[] {
  if (Array.isArray(ast)) {
    for (const item of ast) functionCalls(item, out);
    return out;
  }
  const node = rec(ast);
  if (!node) return out;
  if (node.type === "function") {
    const name = list(rec(node.name)?.name).map(str).pop();
    const args = list(rec(node.args)?.value).map((a) =>
      String(rec(a)?.type).endsWith("string") ? str(a) : undefined,
    );
    const op = name ? functionOp(name, args) : undefined;
    if (op) out.push(op);
  }
  for (const key in node) functionCalls(node[key], out);
  return out;
}
