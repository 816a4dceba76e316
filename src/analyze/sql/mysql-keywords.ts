import type { Operation } from "../types.js";
import { adminOperation } from "./mysql-admin.js";
import { mysqlGrantOp } from "./mysql-grant.js";
import type { MyStatement, MyToken } from "./mysql-lexer.js";
import { dropOp } from "./objects.js";
import { opaqueOp, readOp, sqlOp, tables } from "./operation.js";
import { privilegeOp } from "./privilege.js";
import { insertOp, rowWriteOp, truncateOp } from "./rows.js";

/** Re-analyses SQL text found inside a statement (EXPLAIN ANALYZE …, PREPARE … FROM '…'). */
export type Reanalyze = (sql: string) => Operation[];

const READS = new Set(["SHOW", "HELP", "USE", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "XA", "DO", "CHECK", "CHECKSUM", "ANALYZE", "CACHE", "HANDLER", "SIGNAL", "RESIGNAL", "GET", "DEALLOCATE", "UNLOCK"]);

/**
 * A conservative classifier for statements node-sql-parser rejects. Its operations are opaque
 * unless the leading keywords alone settle what the statement does (DROP DATABASE x, GRANT …).
 */
export function classifyMysqlKeywords(stmt: MyStatement, reanalyze: Reanalyze): Operation[] {
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
    case "REPLACE":
      return [insertOp(w0, nameAfter(t, t.findIndex((x, i) => i > 0 && ["INTO", "TABLE"].includes(x.key)) + 1) ?? nameAfter(t, 1) ?? "?", true)];
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
      return [readOp("EXPLAIN ANALYZE", "EXPLAIN ANALYZE: runs the statement to time it"), ...reanalyze(stmt.text.slice(t[2]?.start ?? stmt.text.length))];
    case "PREPARE": {
      const source = t.find((_, i) => i > 1 && t[i - 1]?.key === "FROM");
      if (source?.kind !== "string") return [opaqueOp("PREPARE", "PREPARE … FROM a variable: the SQL is built at run time")];
      return [readOp("PREPARE", `PREPARE ${t[1]?.text ?? ""}: stores a statement to run later (analysed here)`), ...reanalyze(source.text)];
    }
    case "EXECUTE":
      return [opaqueOp("EXECUTE", `EXECUTE ${t[1]?.text ?? ""}: runs a prepared statement (its text is analysed only if PREPAREd from a literal)`)];
    case "CALL":
      return [opaqueOp("CALL", `CALL ${t[1]?.text ?? ""}(): runs a stored procedure airlock cannot see into`)];
    default:
      if (w0 === "START" && w1 === "TRANSACTION") return [readOp("BEGIN", "START TRANSACTION: transaction control")];
      if (READS.has(w0)) return [readOp(w0 === "BEGIN" ? "BEGIN" : w0, `${w0}: changes no data`)];
      return [adminOperation(t) ?? opaqueOp(w0 || "UNPARSEABLE", `unrecognised MySQL statement "${preview(stmt.text)}"`)];
  }
}

/** The upper-cased word at position i, or "" (quoted names never count as keywords). */
export function word(tokens: MyToken[], i: number): string {
  const t = tokens[i];
  return t?.key ?? "";
}

export function has(tokens: MyToken[], w: string): boolean {
  return tokens.some((t) => t.key === w);
}

/** A possibly qualified object name starting at i: `db`.`t` → "db.t". */
export function nameAfter(tokens: MyToken[], i: number): string | undefined {
  const parts: string[] = [];
  let j = i;
  while (tokens[j] && (tokens[j]?.kind === "ident" || tokens[j]?.kind === "word")) {
    parts.push(tokens[j]?.text ?? "");
    if (tokens[j + 1]?.text !== ".") break;
    j += 2;
  }
  return parts.length > 0 ? parts.join(".") : undefined;
}

function selectLike(t: MyToken[]): Operation {
  const file = has(t, "OUTFILE") ? "OUTFILE" : has(t, "DUMPFILE") ? "DUMPFILE" : undefined;
  if (file) return opaqueOp(`SELECT INTO ${file}`, `SELECT … INTO ${file}: writes a file on the database host`);
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
  return { ...rowWriteOp(verb, table, { reach: "filter" }), opaque: true, summary: `${verb} ${table} with a condition airlock could not parse` };
}

function skipModifiers(t: MyToken[], i: number): number {
  let j = i;
  while (["LOW_PRIORITY", "IGNORE", "QUICK"].includes(word(t, j))) j++;
  return j;
}

function dropStatement(t: MyToken[]): Operation {
  let i = 1;
  const temporary = word(t, i) === "TEMPORARY";
  if (temporary) i++;
  let words = word(t, i);
  if (["DATABASE", "SCHEMA", "TABLE", "TABLES", "VIEW", "INDEX", "USER", "ROLE", "PROCEDURE", "FUNCTION", "EVENT", "TRIGGER", "SERVER", "TABLESPACE"].includes(words)) i++;
  else return opaqueOp(`DROP ${words}`.trim(), `DROP ${words}: an object kind airlock has no rule for`);
  if (words === "TABLES") words = "TABLE";
  if (word(t, i) === "IF" && word(t, i + 1) === "EXISTS") i += 2;
  if (words === "USER" || words === "ROLE") {
    return dropOp(words, accountsFrom(t.slice(i)), { targetType: words.toLowerCase() });
  }
  const names: string[] = [];
  while (i < t.length) {
    const name = nameAfter(t, i);
    if (!name) break;
    names.push(name);
    i += name.split(".").length * 2 - 1;
    if (t[i]?.text !== ",") break;
    i++;
  }
  if (temporary) return dropOp("TEMPORARY TABLE", names);
  const envHints = words === "DATABASE" || words === "SCHEMA" ? names : names.filter((n) => n.includes(".")).map((n) => n.split(".")[0] ?? "");
  return dropOp(words, names, { envHints, ...(words === "SCHEMA" ? { targetType: "database" } : {}) });
}

function grantStatement(verb: "GRANT" | "REVOKE", t: MyToken[]): Operation {
  const on = t.findIndex((x) => x.key === "ON");
  const to = t.findIndex((x) => x.key === "TO" || x.key === "FROM");
  const privTokens = t.slice(1, on >= 0 ? on : to >= 0 ? to : t.length);
  const privileges = joinWords(privTokens);
  let level: string | undefined;
  if (on >= 0) {
    const lt = t.slice(on + 1, to >= 0 ? to : t.length).filter((x) => !["TABLE", "FUNCTION", "PROCEDURE"].includes(x.key));
    level = lt.map((x) => x.text).join("");
  }
  const accounts = to >= 0 ? accountsFrom(t.slice(to + 1)) : [];
  const grantOption = t.some(
    (_, i) => word(t, i) === "WITH" && ["GRANT", "ADMIN"].includes(word(t, i + 1)) && word(t, i + 2) === "OPTION",
  );
  return mysqlGrantOp({ verb, privileges, ...(level !== undefined ? { level } : {}), accounts, grantOption });
}

/** "ALL PRIVILEGES, SELECT" → ["ALL PRIVILEGES", "SELECT"] (column lists dropped). */
function joinWords(tokens: MyToken[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let depth = 0;
  for (const x of tokens) {
    if (x.text === "(") depth++;
    else if (x.text === ")") depth--;
    else if (depth === 0 && x.text === ",") {
      out.push(current.join(" "));
      current = [];
    } else if (depth === 0) current.push(x.key || x.text);
  }
  if (current.length > 0) out.push(current.join(" "));
  return out.map((p) => (p === "ALL PRIVILEGES" ? "ALL" : p));
}

function accountsFrom(tokens: MyToken[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const x = tokens[i];
    if (!x || ["WITH", "REQUIRE", "IDENTIFIED", "AS", "DEFAULT"].includes(x.key)) break;
    if (x.kind === "punct") continue;
    const next = tokens[i + 1];
    let host: string | undefined;
    if (next?.kind === "var" && next.text === "@") {
      host = tokens[i + 2]?.text;
      i += 2;
    } else if (next?.kind === "var") {
      host = next.text.slice(1).toLowerCase();
      i += 1;
    }
    out.push(host === undefined ? x.text : `'${x.text}'@'${host}'`);
  }
  return out;
}

function definition(w0: string, t: MyToken[]): Operation {
  const w1 = word(t, 1);
  if ((w0 === "CREATE" || w0 === "ALTER" || w0 === "RENAME") && (w1 === "USER" || w1 === "ROLE")) {
    const names = accountsFrom(t.slice(w0 === "CREATE" && word(t, 2) === "IF" ? 5 : 2));
    return privilegeOp({ name: `${w0} ${w1}`, summary: `${w0} ${w1} ${names.join(", ")}`, targets: names.map((name) => ({ type: w1.toLowerCase(), name })) });
  }
  if (w0 === "SET" && ["PASSWORD", "ROLE", "DEFAULT"].includes(w1)) {
    return privilegeOp({ name: `SET ${w1}`, summary: `SET ${w1}: changes an account's credentials or active roles`, targets: [] });
  }
  if (w0 === "SET") return adminOperation(t) ?? readOp("SET", "SET: changes session settings only");
  if (w0 === "ALTER" && w1 === "TABLE") return alterTable(t);
  if (w0 === "RENAME") {
    return sqlOp({ name: "RENAME TABLE", effect: "write", reversibility: "reversible", blastRadius: "service", targets: tables([nameAfter(t, 2) ?? "?"]), tags: ["schema-change"], summary: "RENAME TABLE: code using the old name breaks" });
  }
  if (w0 === "ALTER" && (w1 === "DATABASE" || w1 === "SCHEMA" || w1 === "INSTANCE")) {
    const name = nameAfter(t, 2) ?? "";
    return sqlOp({ name: `ALTER ${w1}`, effect: "write", reversibility: "recoverable", blastRadius: "environment", targets: [{ type: "database", name }], envHints: w1 === "INSTANCE" ? [] : [name], summary: `ALTER ${w1} ${name}: changes database-wide settings` });
  }
  return codeOrObject(w0, t);
}

function alterTable(t: MyToken[]): Operation {
  const table = nameAfter(t, 2) ?? "?";
  const drops = t.flatMap((x, i) => (x.key === "DROP" ? [word(t, i + 1)] : []));
  const columnDrop = drops.some((w) => !["INDEX", "KEY", "PRIMARY", "FOREIGN", "CONSTRAINT", "CHECK", "PARTITION", "DEFAULT"].includes(w));
  const partitionDrop = drops.includes("PARTITION") || (has(t, "TRUNCATE") && has(t, "PARTITION"));
  const base = { name: "ALTER TABLE", effect: "write" as const, reversibility: "reversible" as const, blastRadius: "service" as const, targets: tables([table]), tags: ["schema-change"] };
  if (columnDrop || partitionDrop) {
    const name = columnDrop ? "ALTER TABLE DROP COLUMN" : "ALTER TABLE DROP PARTITION";
    return sqlOp({ ...base, name, effect: "delete", reversibility: "irreversible", tags: ["schema-change", "data-loss"], summary: `${name} on ${table}: deletes data in every row (irreversible)` });
  }
  return sqlOp({ ...base, opaque: true, summary: `ALTER TABLE ${table}: a change airlock could not parse` });
}

/** CREATE of a routine, trigger or event defines code whose body is not analysed. */
function codeOrObject(w0: string, t: MyToken[]): Operation {
  const kinds = ["PROCEDURE", "FUNCTION", "TRIGGER", "EVENT"];
  const kind = t.slice(1, 8).find((x) => kinds.includes(x.key))?.key;
  if (kind) return opaqueOp(`${w0} ${kind}`, `${w0} ${kind}: defines code whose body airlock does not analyse`);
  const what = word(t, 1) === "TEMPORARY" ? "TEMPORARY TABLE" : word(t, 1);
  if (w0 === "CREATE" && ["TABLE", "TEMPORARY TABLE", "INDEX", "VIEW", "DATABASE", "SCHEMA"].includes(what)) {
    return sqlOp({ name: `CREATE ${what}`, effect: "write", reversibility: "reversible", blastRadius: "service", targets: [], tags: ["schema-change"], summary: `CREATE ${what}: adds a new object` });
  }
  return opaqueOp(`${w0} ${what}`.trim(), `${w0} ${what}: a statement airlock could not parse`);
}

function preview(text: string): string {
  return text.trim().replace(/\s+/g, " ").slice(0, 60);
}
