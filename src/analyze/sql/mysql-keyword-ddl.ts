import type { Operation } from "../types.js";
import { adminOperation } from "./mysql-admin.js";
import { mysqlGrantOp } from "./mysql-grant.js";
import type { MyToken } from "./mysql-lexer.js";
import { accountsFrom, has, joinWords, nameAfter, word } from "./mysql-tokens.js";
import { dropOp } from "./objects.js";
import { opaqueOp, readOp, sqlOp, tables } from "./operation.js";
import { privilegeOp } from "./privilege.js";

/** Keyword classification of DDL and account statements node-sql-parser rejects. */

const DROPPABLE = new Set([
  "DATABASE",
  "SCHEMA",
  "TABLE",
  "TABLES",
  "VIEW",
  "INDEX",
  "USER",
  "ROLE",
  "PROCEDURE",
  "FUNCTION",
  "EVENT",
  "TRIGGER",
  "SERVER",
  "TABLESPACE",
]);

export function dropStatement(t: MyToken[]): Operation {
  let i = 1;
  const temporary = word(t, i) === "TEMPORARY";
  if (temporary) i++;
  let words = word(t, i);
  if (!DROPPABLE.has(words)) {
    return opaqueOp(`DROP ${words}`.trim(), `DROP ${words}: an object kind airlock has no rule for`);
  }
  i++;
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
  const envHints =
    words === "DATABASE" || words === "SCHEMA"
      ? names
      : names.filter((n) => n.includes(".")).map((n) => n.split(".")[0] ?? "");
  return dropOp(words, names, { envHints, ...(words === "SCHEMA" ? { targetType: "database" } : {}) });
}

export function grantStatement(verb: "GRANT" | "REVOKE", t: MyToken[]): Operation {
  const on = t.findIndex((x) => x.key === "ON");
  const to = t.findIndex((x) => x.key === "TO" || x.key === "FROM");
  const privTokens = t.slice(1, on >= 0 ? on : to >= 0 ? to : t.length);
  const privileges = joinWords(privTokens);
  let level: string | undefined;
  if (on >= 0) {
    const lt = t
      .slice(on + 1, to >= 0 ? to : t.length)
      .filter((x) => !["TABLE", "FUNCTION", "PROCEDURE"].includes(x.key));
    level = lt.map((x) => x.text).join("");
  }
  const accounts = to >= 0 ? accountsFrom(t.slice(to + 1)) : [];
  const grantOption = t.some(
    (_, i) =>
      word(t, i) === "WITH" && ["GRANT", "ADMIN"].includes(word(t, i + 1)) && word(t, i + 2) === "OPTION",
  );
  return mysqlGrantOp({ verb, privileges, ...(level !== undefined ? { level } : {}), accounts, grantOption });
}

export function definition(w0: string, t: MyToken[]): Operation {
  const w1 = word(t, 1);
  if ((w0 === "CREATE" || w0 === "ALTER" || w0 === "RENAME") && (w1 === "USER" || w1 === "ROLE")) {
    const names = accountsFrom(t.slice(w0 === "CREATE" && word(t, 2) === "IF" ? 5 : 2));
    return privilegeOp({
      name: `${w0} ${w1}`,
      summary: `${w0} ${w1} ${names.join(", ")}`,
      targets: names.map((name) => ({ type: w1.toLowerCase(), name })),
    });
  }
  if (w0 === "SET" && ["PASSWORD", "ROLE", "DEFAULT"].includes(w1)) {
    return privilegeOp({
      name: `SET ${w1}`,
      summary: `SET ${w1}: changes an account's credentials or active roles`,
      targets: [],
    });
  }
  if (w0 === "SET") return adminOperation(t) ?? readOp("SET", "SET: changes session settings only");
  if (w0 === "ALTER" && w1 === "TABLE") return alterTable(t);
  if (w0 === "RENAME") {
    return sqlOp({
      name: "RENAME TABLE",
      effect: "write",
      reversibility: "reversible",
      blastRadius: "service",
      targets: tables([nameAfter(t, 2) ?? "?"]),
      tags: ["schema-change"],
      summary: "RENAME TABLE: code using the old name breaks",
    });
  }
  if (w0 === "ALTER" && (w1 === "DATABASE" || w1 === "SCHEMA" || w1 === "INSTANCE")) {
    const name = nameAfter(t, 2) ?? "";
    return sqlOp({
      name: `ALTER ${w1}`,
      effect: "write",
      reversibility: "recoverable",
      blastRadius: "environment",
      targets: [{ type: "database", name }],
      envHints: w1 === "INSTANCE" ? [] : [name],
      summary: `ALTER ${w1} ${name}: changes database-wide settings`,
    });
  }
  return codeOrObject(w0, t);
}

function alterTable(t: MyToken[]): Operation {
  const table = nameAfter(t, 2) ?? "?";
  const drops = t.flatMap((x, i) => (x.key === "DROP" ? [word(t, i + 1)] : []));
  const columnDrop = drops.some(
    (w) => !["INDEX", "KEY", "PRIMARY", "FOREIGN", "CONSTRAINT", "CHECK", "PARTITION", "DEFAULT"].includes(w),
  );
  const partitionDrop = drops.includes("PARTITION") || (has(t, "TRUNCATE") && has(t, "PARTITION"));
  const targets = tables([table]);
  if (columnDrop || partitionDrop) {
    const name = columnDrop ? "ALTER TABLE DROP COLUMN" : "ALTER TABLE DROP PARTITION";
    return sqlOp({
      name,
      effect: "delete",
      reversibility: "irreversible",
      blastRadius: "service",
      targets,
      tags: ["schema-change", "data-loss"],
      summary: `${name} on ${table}: deletes data in every row (irreversible)`,
    });
  }
  return sqlOp({
    name: "ALTER TABLE",
    effect: "write",
    reversibility: "reversible",
    blastRadius: "service",
    targets,
    tags: ["schema-change"],
    opaque: true,
    summary: `ALTER TABLE ${table}: a change airlock could not parse`,
  });
}

/** CREATE of a routine, trigger or event defines code whose body is not analysed. */
function codeOrObject(w0: string, t: MyToken[]): Operation {
  const kinds = ["PROCEDURE", "FUNCTION", "TRIGGER", "EVENT"];
  const kind = t.slice(1, 8).find((x) => kinds.includes(x.key))?.key;
  if (kind)
    return opaqueOp(`${w0} ${kind}`, `${w0} ${kind}: defines code whose body airlock does not analyse`);
  const what = word(t, 1) === "TEMPORARY" ? "TEMPORARY TABLE" : word(t, 1);
  if (w0 === "CREATE" && ["TABLE", "TEMPORARY TABLE", "INDEX", "VIEW", "DATABASE", "SCHEMA"].includes(what)) {
    return sqlOp({
      name: `CREATE ${what}`,
      effect: "write",
      reversibility: "reversible",
      blastRadius: "service",
      targets: [],
      tags: ["schema-change"],
      summary: `CREATE ${what}: adds a new object`,
    });
  }
  return opaqueOp(`${w0} ${what}`.trim(), `${w0} ${what}: a statement airlock could not parse`);
}
