import type { DefElem, Node, ObjectType, RangeVar, RoleSpec } from "libpg-query";

/** The type name of a wrapped node: `{ DropStmt: {…} }` → "DropStmt". */
export function nodeType(node: Node): string {
  for (const key in node) return key;
  return "";
}

/** The body of a wrapped node, untyped, for generic walks. */
export function nodeBody(node: Node): Record<string, unknown> {
  return (node as unknown as Record<string, Record<string, unknown>>)[nodeType(node)] ?? {};
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function rangeVarName(rv: RangeVar | undefined): string {
  if (!rv) return "(unknown)";
  return [rv.catalogname, rv.schemaname, rv.relname].filter((p) => p !== undefined).join(".");
}

/** A `String` node's value. */
export function sval(node: Node | undefined): string | undefined {
  return node && "String" in node ? node.String.sval : undefined;
}

/** A qualified name given as a list of `String` nodes: ["public","users"] → "public.users". */
export function dotted(nodes: Node[] | undefined): string {
  return (nodes ?? []).map((n) => sval(n) ?? "?").join(".");
}

/** The name of one object in a DROP/GRANT/COMMENT list, whatever node shape the grammar used for it. */
export function objectName(node: Node): string {
  if ("List" in node) return dotted(node.List.items);
  if ("String" in node) return node.String.sval ?? "?";
  if ("RangeVar" in node) return rangeVarName(node.RangeVar);
  if ("TypeName" in node) return dotted(node.TypeName.names);
  if ("ObjectWithArgs" in node) return dotted(node.ObjectWithArgs.objname);
  if ("RoleSpec" in node) return roleName(node.RoleSpec);
  return "?";
}

export function roleName(role: RoleSpec | undefined): string {
  if (!role) return "?";
  if (role.roletype === "ROLESPEC_PUBLIC") return "PUBLIC";
  if (role.roletype === "ROLESPEC_CSTRING") return role.rolename ?? "?";
  return (role.roletype ?? "?").replace("ROLESPEC_", "");
}

export function roleNames(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => ("RoleSpec" in n ? roleName(n.RoleSpec) : objectName(n)));
}

/** The string value of a constant, when the node is one. */
export function constString(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if ("A_Const" in node) return node.A_Const.sval?.sval;
  if ("TypeCast" in node) return constString(node.TypeCast.arg);
  return undefined;
}

/** A DefElem option's truth: a bare option (`SUPERUSER`, `ANALYZE`) is on. */
export function defIsOn(def: DefElem): boolean {
  const arg = def.arg;
  if (!arg) return true;
  if ("Boolean" in arg) return arg.Boolean.boolval === true;
  if ("Integer" in arg) return (arg.Integer.ival ?? 0) !== 0;
  const text = sval(arg)?.toLowerCase();
  return text === undefined || !["off", "false", "no", "0"].includes(text);
}

export function defElems(nodes: Node[] | undefined): DefElem[] {
  return (nodes ?? []).flatMap((n) => ("DefElem" in n ? [n.DefElem] : []));
}

const OBJECT_WORDS: Partial<Record<ObjectType, string>> = {
  OBJECT_MATVIEW: "MATERIALIZED VIEW",
  OBJECT_FDW: "FOREIGN DATA WRAPPER",
  OBJECT_FOREIGN_SERVER: "SERVER",
  OBJECT_TABCONSTRAINT: "CONSTRAINT",
  OBJECT_STATISTIC_EXT: "STATISTICS",
  OBJECT_TSCONFIGURATION: "TEXT SEARCH CONFIGURATION",
  OBJECT_TSDICTIONARY: "TEXT SEARCH DICTIONARY",
  OBJECT_TSPARSER: "TEXT SEARCH PARSER",
  OBJECT_TSTEMPLATE: "TEXT SEARCH TEMPLATE",
  OBJECT_LARGEOBJECT: "LARGE OBJECT",
  OBJECT_DEFACL: "DEFAULT PRIVILEGES",
};

/** ObjectType in SQL words: OBJECT_FOREIGN_TABLE → "FOREIGN TABLE". */
export function objectWords(type: ObjectType | undefined): string {
  if (!type) return "OBJECT";
  return OBJECT_WORDS[type] ?? type.replace(/^OBJECT_/, "").replace(/_/g, " ");
}

/** Node type names whose words are not the SQL words. */
const STATEMENT_WORDS: Record<string, string> = {
  CreateEnumStmt: "CREATE TYPE",
  CompositeTypeStmt: "CREATE TYPE",
  AlterEnumStmt: "ALTER TYPE",
  DefineStmt: "CREATE",
  AlterSeqStmt: "ALTER SEQUENCE",
  SecLabelStmt: "SECURITY LABEL",
  CreatePLangStmt: "CREATE LANGUAGE",
  CreateFdwStmt: "CREATE FOREIGN DATA WRAPPER",
  AlterFdwStmt: "ALTER FOREIGN DATA WRAPPER",
  CreateStatsStmt: "CREATE STATISTICS",
  AlterStatsStmt: "ALTER STATISTICS",
  CreateOpClassStmt: "CREATE OPERATOR CLASS",
  CreateOpFamilyStmt: "CREATE OPERATOR FAMILY",
  AlterOpFamilyStmt: "ALTER OPERATOR FAMILY",
  AlterTSDictionaryStmt: "ALTER TEXT SEARCH DICTIONARY",
  AlterTSConfigurationStmt: "ALTER TEXT SEARCH CONFIGURATION",
  CreateAmStmt: "CREATE ACCESS METHOD",
  AlterTableSpaceOptionsStmt: "ALTER TABLESPACE",
  AlterTableMoveAllStmt: "ALTER TABLE ALL IN TABLESPACE",
};

/** "CreateForeignServerStmt" → "CREATE FOREIGN SERVER", for statements without a dedicated rule. */
export function statementWords(type: string): string {
  return (
    STATEMENT_WORDS[type] ??
    type
      .replace(/Stmt$/, "")
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toUpperCase()
  );
}
