import type { AlterTableCmd, Node, RenameStmt } from "libpg-query";
import type { Operation } from "../types.js";
import { type AlterKind, alterTableOp, createOp, dropOp } from "./objects.js";
import { sqlOp, tables } from "./operation.js";
import { objectName, objectWords, rangeVarName, roleNames } from "./pg-ast.js";
import type { Handlers } from "./pg-context.js";
import { privilegeOp } from "./privilege.js";
import { truncateOp } from "./rows.js";

/** Extensions that let SQL reach the host's files or run programs on it. */
const UNTRUSTED_EXTENSIONS = new Set([
  "plpython3u",
  "plpythonu",
  "plperlu",
  "pltclu",
  "plsh",
  "adminpack",
  "file_fdw",
]);

/** Statements that create, change or remove schema objects. */
export const DDL_HANDLERS: Handlers = {
  DropStmt: (s, ctx) => {
    const names = (s.objects ?? []).map(objectName);
    if (s.removeType === "OBJECT_TABLE" && names.every((n) => ctx.temporary.has(n)))
      return [dropTemporary(names)];
    return [dropOp(objectWords(s.removeType), names, { cascade: s.behavior === "DROP_CASCADE" })];
  },
  DropdbStmt: (s) => [dropOp("DATABASE", [s.dbname ?? "?"], { envHints: s.dbname ? [s.dbname] : [] })],
  DropOwnedStmt: (s) => [dropOp("OWNED", roleNames(s.roles), { cascade: s.behavior === "DROP_CASCADE" })],
  DropTableSpaceStmt: (s) => [dropOp("TABLESPACE", [s.tablespacename ?? "?"])],
  DropSubscriptionStmt: (s) => [dropOp("SUBSCRIPTION", [s.subname ?? "?"])],
  TruncateStmt: (s) => [truncateOp((s.relations ?? []).map(objectName), s.behavior === "DROP_CASCADE")],
  AlterTableStmt: (s) => {
    const table = rangeVarName(s.relation);
    const words = objectWords(s.objtype);
    const cmds = (s.cmds ?? []).flatMap((c) => ("AlterTableCmd" in c ? [c.AlterTableCmd] : []));
    if (words !== "TABLE" && words !== "FOREIGN TABLE") return [alterOther(words, table)];
    const dropped = cmds.filter((c) => c.subtype === "AT_DropColumn").map((c) => c.name ?? "?");
    return [alterTableOp(table, cmds.map(alterKind), dropped)];
  },
  RenameStmt: (s) => [renameOperation(s)],
  AlterObjectSchemaStmt: (s) => [
    alterOther(objectWords(s.objectType), s.relation ? rangeVarName(s.relation) : nameOf(s.object)),
  ],
  CreateStmt: (s, ctx) => {
    if (s.relation?.relpersistence === "t") ctx.temporary.add(rangeVarName(s.relation));
    return [createOp("TABLE", [rangeVarName(s.relation)])];
  },
  IndexStmt: (s) => [createOp("INDEX", [s.idxname ?? `on ${rangeVarName(s.relation)}`])],
  ViewStmt: (s) => [createOp("VIEW", [rangeVarName(s.view)], { replace: s.replace === true })],
  CreatedbStmt: (s) => [createOp("DATABASE", [s.dbname ?? "?"], { envHints: s.dbname ? [s.dbname] : [] })],
  CreateSchemaStmt: (s, ctx) => [
    createOp("SCHEMA", [s.schemaname ?? "?"]),
    ...(s.schemaElts ?? []).flatMap((n) => ctx.classify(n, ctx)),
  ],
  CreateTrigStmt: (s) => [createOp("TRIGGER", [s.trigname ?? "?"], { replace: s.replace === true })],
  RuleStmt: (s) => [createOp("RULE", [s.rulename ?? "?"], { replace: s.replace === true })],
  CreateSeqStmt: (s) => [createOp("SEQUENCE", [rangeVarName(s.sequence)])],
  CreateExtensionStmt: (s) => {
    const name = s.extname ?? "?";
    if (!UNTRUSTED_EXTENSIONS.has(name)) return [createOp("EXTENSION", [name])];
    return [
      privilegeOp({
        name: "CREATE EXTENSION",
        summary: `CREATE EXTENSION ${name}: lets SQL read and write the host's files or run programs on it`,
        targets: [{ type: "extension", name }],
        escalation: true,
        blastRadius: "host",
      }),
    ];
  },
  AlterDatabaseStmt: (s) => [alterDatabase(s.dbname)],
  AlterDatabaseSetStmt: (s) => [alterDatabase(s.dbname)],
  AlterSystemStmt: (s) => [
    sqlOp({
      name: "ALTER SYSTEM",
      effect: "write",
      reversibility: "recoverable",
      blastRadius: "environment",
      targets: [{ type: "setting", name: s.setstmt?.name ?? "?" }],
      summary: `ALTER SYSTEM ${s.setstmt?.name ?? ""}: changes the server's configuration for every database`,
    }),
  ],
  CommentStmt: (s) => [
    maintenance("COMMENT", "resource", `COMMENT ON ${objectWords(s.objtype)}: changes documentation only`),
  ],
};

function dropTemporary(names: string[]): Operation {
  return sqlOp({
    name: "DROP TABLE",
    effect: "delete",
    reversibility: "reversible",
    blastRadius: "resource",
    targets: tables(names),
    summary: `DROP TABLE ${names.join(", ")}: drops temporary tables created earlier in this SQL`,
  });
}

function alterKind(c: AlterTableCmd): AlterKind {
  switch (c.subtype) {
    case "AT_DropColumn":
      return "drop-column";
    case "AT_AlterColumnType":
      return "retype";
    case "AT_DisableRowSecurity":
    case "AT_NoForceRowSecurity":
    case "AT_EnableRowSecurity":
    case "AT_ForceRowSecurity":
      return "security";
    case "AT_ChangeOwner":
      return "owner";
    default:
      return "other";
  }
}

function renameOperation(s: RenameStmt): Operation {
  const type =
    s.renameType === "OBJECT_COLUMN" || s.renameType === "OBJECT_TABCONSTRAINT"
      ? s.relationType
      : s.renameType;
  const words = objectWords(type);
  const old = s.relation ? rangeVarName(s.relation) : (s.subname ?? nameOf(s.object));
  if (words === "DATABASE") return alterDatabase(old, `renames database ${old} to ${s.newname}`);
  if (words === "ROLE" || words === "USER") {
    return privilegeOp({
      name: "ALTER ROLE",
      summary: `ALTER ROLE ${old} RENAME TO ${s.newname}`,
      targets: [{ type: "role", name: old }],
    });
  }
  return sqlOp({
    name: `ALTER ${words}`,
    effect: "write",
    reversibility: "reversible",
    blastRadius: words === "SCHEMA" ? "environment" : "service",
    targets: [{ type: words.toLowerCase(), name: old }],
    tags: ["schema-change"],
    summary: `ALTER ${words} ${old} RENAME${s.subname && s.relation ? ` ${s.subname}` : ""} TO ${s.newname}: code using the old name breaks`,
  });
}

function alterDatabase(name: string | undefined, does = "changes database-wide settings"): Operation {
  return sqlOp({
    name: "ALTER DATABASE",
    effect: "write",
    reversibility: "recoverable",
    blastRadius: "environment",
    targets: [{ type: "database", name: name ?? "?" }],
    envHints: name ? [name] : [],
    summary: `ALTER DATABASE ${name ?? ""}: ${does}`,
  });
}

function alterOther(words: string, name: string): Operation {
  return sqlOp({
    name: `ALTER ${words}`,
    effect: "write",
    reversibility: "reversible",
    blastRadius: "service",
    targets: [{ type: words.toLowerCase(), name }],
    tags: ["schema-change"],
    summary: `ALTER ${words} ${name}: changes its definition`,
  });
}

/** Maintenance that changes no data but takes locks or rewrites storage. */
export function maintenance(
  name: string,
  blastRadius: "resource" | "service" | "environment",
  summary: string,
  names: string[] = [],
): Operation {
  return sqlOp({
    name,
    effect: "write",
    reversibility: "reversible",
    blastRadius,
    targets: tables(names),
    summary,
  });
}

function nameOf(node: Node | undefined): string {
  return node ? objectName(node) : "?";
}
