import type { Operation } from "../types.js";
import { functionOp } from "./functions.js";
import { adminOperation } from "./mysql-admin.js";
import { definition, dropStatement, grantStatement } from "./mysql-keyword-ddl.js";
import type { MyStatement, MyToken } from "./mysql-lexer.js";
import { has, nameAfter, preview, word } from "./mysql-tokens.js";
import { opaqueOp, readOp } from "./operation.js";
import { insertOp, rowWriteOp, truncateOp } from "./rows.js";

/** What a keyword-classified statement may need from the rest of the input. */
export interface KeywordContext {
  /** Analyse SQL text found inside a statement (EXPLAIN ANALYZE …, PREPARE … FROM '…'). */
  reanalyze(sql: string): Operation[];
  /** Statements PREPAREd from a literal earlier in the input (already analysed). */
  prepared: Set<string>;
}

const READS = new Set([
  "SHOW",
  "HELP",
  "USE",
  "BEGIN",
  "COMMIT",
  "ROLLBACK",
  "SAVEPOINT",
  "RELEASE",
  "XA",
  "DO",
  "CHECK",
  "CHECKSUM",
  "ANALYZE",
  "CACHE",
  "HANDLER",
  "SIGNAL",
  "RESIGNAL",
  "GET",
  "DEALLOCATE",
  "UNLOCK",
]);

/**
 * A conservative classifier for statements node-sql-parser rejects. Its operations are opaque
 * unless the leading keywords alone settle what the statement does (DROP DATABASE x, GRANT …).
 * Calls of functions with side effects are found token by token (`DO sys_exec('…')`).
 */
export function classifyMysqlKeywords(stmt: MyStatement, ctx: KeywordContext): Operation[] {
  return [...byLeadingWords(stmt, ctx), ...functionCalls(stmt.tokens)];
}

function byLeadingWords(stmt: MyStatement, ctx: KeywordContext): Operation[] {
  const t = stmt.tokens;
  const [w0, w1] = [word(t, 0), word(t, 1)];
  switch (w0) {
    case "SELECT":
    case "TABLE":
    case "VALUES":
    case "WITH":
      return [selectLike(t)];
    case "DELETE":
    case "UPDATE":
      return [rowWrite(w0, t)];
    case "INSERT":
    case "REPLACE": {
      const into = t.findIndex((x, i) => i > 0 && (x.key === "INTO" || x.key === "TABLE"));
      return [insertOp(w0, nameAfter(t, into + 1) ?? nameAfter(t, 1) ?? "?", true)];
    }
    case "DROP":
      return [dropStatement(t)];
    case "TRUNCATE":
      return [truncateOp([nameAfter(t, w1 === "TABLE" ? 2 : 1) ?? "?"], false)];
    case "GRANT":
    case "REVOKE":
      return [grantStatement(w0, t)];
    case "CREATE":
    case "ALTER":
    case "RENAME":
    case "SET":
      return [definition(w0, t)];
    case "EXPLAIN":
    case "DESCRIBE":
    case "DESC":
      if (w1 !== "ANALYZE") return [readOp("EXPLAIN", `${w0}: reads a plan or a definition`)];
      return [
        readOp("EXPLAIN ANALYZE", "EXPLAIN ANALYZE: runs the statement to time it"),
        ...ctx.reanalyze(stmt.text.slice(t[2]?.start ?? stmt.text.length)),
      ];
    case "PREPARE":
      return prepare(t, ctx);
    case "EXECUTE": {
      const name = t[1]?.text ?? "";
      if (ctx.prepared.has(name.toLowerCase()))
        return [readOp("EXECUTE", `EXECUTE ${name}: runs the statement prepared above`)];
      return [opaqueOp("EXECUTE", `EXECUTE ${name}: runs a prepared statement airlock has not seen`)];
    }
    case "CALL":
      return [
        opaqueOp("CALL", `CALL ${t[1]?.text ?? ""}(): runs a stored procedure airlock cannot see into`),
      ];
    default:
      if (w0 === "START" && w1 === "TRANSACTION")
        return [readOp("BEGIN", "START TRANSACTION: transaction control")];
      if (READS.has(w0)) return [readOp(w0, `${w0}: changes no data`)];
      return [
        adminOperation(t) ??
          opaqueOp(w0 || "UNPARSEABLE", `unrecognised MySQL statement "${preview(stmt.text)}"`),
      ];
  }
}

function prepare(t: MyToken[], ctx: KeywordContext): Operation[] {
  const name = t[1]?.text ?? "";
  const source = t.find((_, i) => i > 1 && t[i - 1]?.key === "FROM");
  if (source?.kind !== "string")
    return [opaqueOp("PREPARE", `PREPARE ${name} FROM a variable: the SQL is built at run time`)];
  ctx.prepared.add(name.toLowerCase());
  return [
    readOp("PREPARE", `PREPARE ${name}: stores a statement to run later (analysed here)`),
    ...ctx.reanalyze(source.text),
  ];
}

function selectLike(t: MyToken[]): Operation {
  const file = has(t, "OUTFILE") ? "OUTFILE" : has(t, "DUMPFILE") ? "DUMPFILE" : undefined;
  if (file)
    return opaqueOp(`SELECT INTO ${file}`, `SELECT … INTO ${file}: writes a file on the database host`);
  if (["DELETE", "UPDATE", "INSERT", "REPLACE"].some((w) => has(t, w))) {
    return opaqueOp("WITH", "a statement with a write airlock could not parse");
  }
  return readOp("SELECT", "SELECT: reads rows (parsed by keywords only)");
}

/** Without a WHERE keyword a DELETE/UPDATE is certainly unbounded; with one, its reach is unknown. */
function rowWrite(verb: "DELETE" | "UPDATE", t: MyToken[]): Operation {
  const fromAt = verb === "DELETE" ? t.findIndex((x) => x.key === "FROM") + 1 : skipModifiers(t, 1);
  const table = nameAfter(t, fromAt) ?? "?";
  if (!has(t, "WHERE") && !has(t, "JOIN") && !has(t, "USING")) {
    return rowWriteOp(verb, table, { reach: "missing" }, { limited: has(t, "LIMIT") });
  }
  const op = rowWriteOp(verb, table, { reach: "filter" });
  op.summary = `${verb} ${table} with a condition airlock could not parse`;
  op.opaque = true;
  return op;
}

function skipModifiers(t: MyToken[], i: number): number {
  let j = i;
  while (["LOW_PRIORITY", "IGNORE", "QUICK"].includes(word(t, j))) j++;
  return j;
}

/** `name(` followed by its string arguments, for the functions that have side effects. */
function functionCalls(t: MyToken[]): Operation[] {
  const ops: Operation[] = [];
  for (let i = 0; i + 1 < t.length; i++) {
    if (t[i]?.kind !== "word" || t[i + 1]?.text !== "(") continue;
    const arg = t[i + 2]?.kind === "string" ? t[i + 2]?.text : undefined;
    const op = functionOp(t[i]?.text ?? "", [arg]);
    if (op) ops.push(op);
  }
  return ops;
}
