import type { A_Const, Node } from "libpg-query";
import { isKeyColumn, type WhereVerdict } from "./rows.js";

/**
 * The reach of a Postgres WHERE clause (see WhereVerdict). A predicate that names no column at all
 * (`1=1`, `now() > '2000-01-01'`, `NULL IS NULL`) can only match every row or none, so unless it is
 * provably false it is taken as matching every row.
 */
export function pgWhereVerdict(where: Node | undefined, table: string): WhereVerdict {
  if (!where) return { reach: "missing" };
  if (contains(where, "CurrentOfExpr")) return { reach: "key", column: "cursor position" };
  if (coversAll(where)) return { reach: "all", why: "that is always true" };
  if (selfSubquery(where, table))
    return { reach: "all", why: "its subquery selects the same column from every row of the same table" };
  const key = keyEquality(where, table);
  return key ? { reach: "key", column: key } : { reach: "filter" };
}

/** `id IN (SELECT id FROM the_same_table)` with no WHERE, LIMIT or join: every row with an id. */
function selfSubquery(node: Node, table: string): boolean {
  if (!("SubLink" in node) || node.SubLink.subLinkType !== "ANY_SUBLINK") return false;
  const { testexpr, subselect } = node.SubLink;
  const select = subselect && "SelectStmt" in subselect ? subselect.SelectStmt : undefined;
  if (!select || !testexpr || select.whereClause || select.limitCount || select.havingClause) return false;
  const from = select.fromClause ?? [];
  const only = from.length === 1 && from[0] && "RangeVar" in from[0] ? from[0].RangeVar : undefined;
  if (!only || only.relname?.toLowerCase() !== table.split(".").pop()?.toLowerCase()) return false;
  const targets = select.targetList ?? [];
  const column =
    targets.length === 1 && targets[0] && "ResTarget" in targets[0] ? targets[0].ResTarget.val : undefined;
  return column !== undefined && same(column, testexpr);
}

function coversAll(node: Node): boolean {
  const value = constTruth(node);
  if (value !== undefined) return value;
  if (!contains(node, "ColumnRef")) return true;
  if ("BoolExpr" in node) {
    const args = node.BoolExpr.args ?? [];
    if (node.BoolExpr.boolop === "OR_EXPR") return args.some(coversAll);
    if (node.BoolExpr.boolop === "AND_EXPR") return args.length > 0 && args.every(coversAll);
    return false;
  }
  if ("A_Expr" in node) {
    const { kind, lexpr, rexpr } = node.A_Expr;
    const op = opName(node);
    // x = x, x >= x: true for every row where x is not null.
    if (kind === "AEXPR_OP" && ["=", ">=", "<="].includes(op) && lexpr && rexpr && same(lexpr, rexpr))
      return true;
    if (kind === "AEXPR_NOT_DISTINCT" && lexpr && rexpr && same(lexpr, rexpr)) return true;
    // x LIKE '%': every non-null value.
    if ((kind === "AEXPR_LIKE" || kind === "AEXPR_ILIKE") && /^%+$/.test(constText(rexpr) ?? "")) return true;
  }
  return false;
}

/** The value of a column-free constant predicate, when it is plainly computable. */
function constTruth(node: Node): boolean | undefined {
  if ("A_Const" in node)
    return constNumber(node.A_Const) !== undefined ? constNumber(node.A_Const) !== 0 : undefined;
  if ("TypeCast" in node && node.TypeCast.arg) return constTruth(node.TypeCast.arg);
  if ("BoolExpr" in node) {
    const values = (node.BoolExpr.args ?? []).map(constTruth);
    if (node.BoolExpr.boolop === "NOT_EXPR") return values[0] === undefined ? undefined : !values[0];
    if (node.BoolExpr.boolop === "OR_EXPR") return values.includes(true) ? true : undefined;
    return values.includes(false) ? false : values.every((v) => v === true) ? true : undefined;
  }
  if ("A_Expr" in node && node.A_Expr.kind === "AEXPR_OP") {
    const { lexpr, rexpr } = node.A_Expr;
    const l = lexpr && "A_Const" in lexpr ? lexpr.A_Const : undefined;
    const r = rexpr && "A_Const" in rexpr ? rexpr.A_Const : undefined;
    if (!l || !r) return undefined;
    const [a, b] = [constNumber(l), constNumber(r)];
    if (a !== undefined && b !== undefined) return compare(opName(node), a, b);
    if (l.sval && r.sval && l.sval.sval === r.sval.sval) return compare(opName(node), 0, 0);
  }
  return undefined;
}

/** Numbers and booleans as numbers; protobuf leaves zero and false out, so `{}` is 0. */
function constNumber(c: A_Const): number | undefined {
  if (c.isnull) return 0;
  if (c.boolval) return c.boolval.boolval ? 1 : 0;
  if (c.ival) return c.ival.ival ?? 0;
  if (c.fval) return Number(c.fval.fval ?? 0);
  return undefined;
}

function compare(op: string, a: number, b: number): boolean | undefined {
  const table: Record<string, boolean> = {
    "=": a === b,
    "<>": a !== b,
    "!=": a !== b,
    "<": a < b,
    ">": a > b,
  };
  return op === "<=" ? a <= b : op === ">=" ? a >= b : table[op];
}

function opName(node: Node): string {
  const name = "A_Expr" in node ? node.A_Expr.name : undefined;
  const last = name?.[name.length - 1];
  return last && "String" in last ? (last.String.sval ?? "") : "";
}

function constText(node: Node | undefined): string | undefined {
  return node && "A_Const" in node ? node.A_Const.sval?.sval : undefined;
}

/** An AND-chain conjunct `<key column> = <constant or parameter>`. */
function keyEquality(node: Node, table: string): string | undefined {
  if ("BoolExpr" in node && node.BoolExpr.boolop === "AND_EXPR") {
    for (const arg of node.BoolExpr.args ?? []) {
      const key = keyEquality(arg, table);
      if (key) return key;
    }
    return undefined;
  }
  if (!("A_Expr" in node) || node.A_Expr.kind !== "AEXPR_OP" || opName(node) !== "=") return undefined;
  const { lexpr, rexpr } = node.A_Expr;
  for (const [col, val] of [
    [lexpr, rexpr],
    [rexpr, lexpr],
  ]) {
    const column = columnName(col);
    if (column && val && isValue(val) && isKeyColumn(column, table)) return column;
  }
  return undefined;
}

function columnName(node: Node | undefined): string | undefined {
  if (!node || !("ColumnRef" in node)) return undefined;
  const fields = node.ColumnRef.fields ?? [];
  const last = fields[fields.length - 1];
  return last && "String" in last ? last.String.sval : undefined;
}

function isValue(node: Node): boolean {
  if ("A_Const" in node || "ParamRef" in node) return true;
  return "TypeCast" in node && node.TypeCast.arg !== undefined && isValue(node.TypeCast.arg);
}

/** Structural equality ignoring source positions (`x = x`), key order included, as JSON text would be. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  const ka = positionless(a);
  const kb = positionless(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (let i = 0; i < ka.length; i++) {
    const key = ka[i] as string;
    if (key !== kb[i] || !same(ra[key], rb[key])) return false;
  }
  return true;
}

function positionless(node: object): string[] {
  return Object.keys(node).filter((k) => k !== "location");
}

/** Whether a node of the given type occurs anywhere below (subqueries included). */
export function contains(value: unknown, type: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (contains(item, type)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) if (key === type || contains(record[key], type)) return true;
  return false;
}
