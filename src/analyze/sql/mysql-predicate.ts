import { containsType, type Json, rec, str } from "./mysql-ast.js";
import { isKeyColumn, type WhereVerdict } from "./rows.js";

/**
 * The reach of a MySQL WHERE clause, by the same rules as Postgres (see pgWhereVerdict), plus a
 * MySQL quirk: a bare column is a truth test, so `WHERE id` matches every row with a non-zero id.
 */
export function mysqlWhereVerdict(where: unknown, table: string): WhereVerdict {
  const parsed = rec(where);
  if (!parsed) return { reach: "missing" };
  const node = byPrecedence(parsed);
  if (coversAll(node, table)) return { reach: "all", why: "that is always true" };
  const key = keyEquality(node, table);
  return key ? { reach: "key", column: key } : { reach: "filter" };
}

const isAnd = (op: string) => op === "AND" || op === "&&";
const isOr = (op: string) => op === "OR" || op === "||";

function logicalOperator(node: Json): string | undefined {
  if (node.type !== "binary_expr" || node.parentheses === true) return undefined;
  const op = String(node.operator).toUpperCase();
  return isAnd(op) || isOr(op) ? op : undefined;
}

/**
 * node-sql-parser gives AND and OR the same precedence and groups them from the left, so it reads
 * `1=1 OR name = 'a' AND id = 5` as `(1=1 OR name = 'a') AND id = 5`: one row. MySQL binds AND
 * tighter and deletes every row. Flatten each unparenthesised AND/OR chain and group it again,
 * AND before OR, so the verdict is about what MySQL will do.
 */
function byPrecedence(node: Json): Json {
  if (!logicalOperator(node)) {
    if (node.type !== "binary_expr") return node;
    const left = rec(node.left);
    const right = rec(node.right);
    return {
      ...node,
      left: left ? byPrecedence(left) : node.left,
      right: right ? byPrecedence(right) : node.right,
    };
  }
  const operands: Json[] = [];
  const operators: string[] = [];
  const flatten = (n: Json) => {
    const op = logicalOperator(n);
    const left = rec(n.left);
    const right = rec(n.right);
    if (!op || !left || !right) {
      operands.push(byPrecedence(n));
      return;
    }
    flatten(left);
    operators.push(op);
    flatten(right);
  };
  flatten(node);
  const groups: Json[][] = [[operands[0] as Json]];
  operators.forEach((op, i) => {
    const next = operands[i + 1] as Json;
    if (isOr(op)) groups.push([next]);
    else groups[groups.length - 1]?.push(next);
  });
  const chain = (items: Json[], operator: string): Json =>
    items.reduce((left, right) => ({ type: "binary_expr", operator, left, right }));
  return chain(
    groups.map((g) => chain(g, "AND")),
    "OR",
  );
}

function coversAll(node: Json, table: string): boolean {
  const value = constTruth(node);
  if (value !== undefined) return value;
  if (!containsType(node, "column_ref")) return true;
  if (node.type === "column_ref") return isKeyColumn(str(node.column) ?? "", table);
  if (node.type !== "binary_expr") return false;
  const op = String(node.operator).toUpperCase();
  const left = rec(node.left);
  const right = rec(node.right);
  if (op === "OR" || op === "||") return [left, right].some((n) => n !== undefined && coversAll(n, table));
  if (op === "AND" || op === "&&") return [left, right].every((n) => n !== undefined && coversAll(n, table));
  if (["=", ">=", "<=", "<=>"].includes(op) && JSON.stringify(left) === JSON.stringify(right)) return true;
  return op === "LIKE" && /^%+$/.test(str(right) ?? "");
}

function constTruth(node: Json): boolean | undefined {
  switch (node.type) {
    case "number":
      return Number(node.value) !== 0;
    case "bool":
    case "boolean":
      return node.value === true;
    case "null":
      return false;
    case "unary_expr": {
      const inner = rec(node.expr) ? constTruth(rec(node.expr) as Json) : undefined;
      return inner === undefined ? undefined : !inner;
    }
    case "binary_expr":
      return binaryTruth(String(node.operator).toUpperCase(), rec(node.left), rec(node.right));
    default:
      return undefined;
  }
}

function binaryTruth(op: string, left: Json | undefined, right: Json | undefined): boolean | undefined {
  if (!left || !right) return undefined;
  const [l, r] = [constTruth(left), constTruth(right)];
  if (op === "OR" || op === "||") return l === true || r === true ? true : undefined;
  if (op === "AND" || op === "&&") return l === false || r === false ? false : l && r ? true : undefined;
  if (left.type === "number" && right.type === "number")
    return compare(op, Number(left.value), Number(right.value));
  const quoted = (n: Json) => String(n.type).endsWith("string");
  if (op === "=" && quoted(left) && quoted(right) && left.value === right.value) return true;
  return undefined;
}

function compare(op: string, a: number, b: number): boolean | undefined {
  const results: Record<string, boolean> = {
    "=": a === b,
    "<=>": a === b,
    "<>": a !== b,
    "!=": a !== b,
    "<": a < b,
    ">": a > b,
    "<=": a <= b,
    ">=": a >= b,
  };
  return results[op];
}

function keyEquality(node: Json, table: string): string | undefined {
  const op = String(node.operator ?? "").toUpperCase();
  if (node.type !== "binary_expr") return undefined;
  if (op === "AND" || op === "&&")
    return keyEquality(rec(node.left) ?? {}, table) ?? keyEquality(rec(node.right) ?? {}, table);
  if (op !== "=") return undefined;
  for (const [col, val] of [
    [rec(node.left), rec(node.right)],
    [rec(node.right), rec(node.left)],
  ]) {
    const column = col?.type === "column_ref" ? str(col.column) : undefined;
    if (column && val && isValue(val) && isKeyColumn(column, table)) return column;
  }
  return undefined;
}

function isValue(node: Json): boolean {
  const type = String(node.type);
  return (
    type === "number" ||
    type.endsWith("string") ||
    type === "param" ||
    type === "var" ||
    (type === "origin" && node.value === "?")
  );
}
