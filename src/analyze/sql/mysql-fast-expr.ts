import { containsType, type Json } from "./mysql-ast.js";
import type { Cursor } from "./mysql-fast-cursor.js";

/**
 * Expressions of the plain subset, built as the nodes node-sql-parser would build for them, as far
 * as the WHERE rules (mysqlWhereVerdict) read them: node types, operators, values, column names
 * and nesting. Like the parser, AND and OR bind equally and group from the left (`a OR b AND c`
 * is `(a OR b) AND c` to it), except after IN (…), which is left to the parser. Function calls
 * keep only their arguments. Returns undefined for anything outside the subset, and for `x = y`
 * over two column-bearing sides unless both are bare columns, the one case where the rules
 * compare whole nodes.
 */
export function expression(c: Cursor): Json | undefined {
  let right = negation(c);
  let left = right;
  for (;;) {
    const op = c.eat("AND") ? "AND" : c.eat("OR") ? "OR" : undefined;
    // After IN (…) the parser nests the rest of the chain under it instead: not followed here.
    if (!op || !left || !right || inList(right)) return op ? undefined : left;
    right = negation(c);
    left = binary(op, left, right);
  }
}

function inList(node: Json): boolean {
  if (node.type === "unary_expr") return inList(node.expr as Json);
  return node.operator === "IN" || node.operator === "NOT IN";
}

/** A value: an operand, or operands joined by + - * / (not in WHERE, where it is not needed). */
export function arithmetic(c: Cursor): Json | undefined {
  let left = operand(c);
  while (left && ARITHMETIC.some((op) => c.isPunct(op))) {
    const op = c.tokens[c.i++]?.text ?? "";
    left = binary(op, left, operand(c));
  }
  return left;
}

const ARITHMETIC = ["+", "-", "*", "/"];
const AGGREGATES = new Set(["COUNT", "SUM", "MIN", "MAX", "AVG"]);
/** Comparisons whose rules compare whole operand nodes (`x = x` is always true). */
const SELF_COMPARING = new Set(["=", ">=", "<="]);

function binary(operator: string, left: Json, right: Json | undefined): Json | undefined {
  return right && { type: "binary_expr", operator, left, right };
}

/** NOT applies to one predicate; `NOT (…)` is a call of a function named NOT to the parser. */
function negation(c: Cursor): Json | undefined {
  if (!c.eat("NOT")) return predicate(c);
  if (c.isPunct("(")) return undefined;
  const expr = negation(c);
  return expr && { type: "unary_expr", operator: "NOT", expr };
}

function predicate(c: Cursor): Json | undefined {
  const left = operand(c);
  if (!left) return undefined;
  const op = comparison(c);
  if (op) {
    const right = operand(c);
    if (!right || (SELF_COMPARING.has(op) && !comparable(left, right))) return undefined;
    return binary(op, left, right);
  }
  if (c.eat("IS")) {
    const not = c.eat("NOT");
    return c.eat("NULL") ? binary(not ? "IS NOT" : "IS", left, { type: "null", value: null }) : undefined;
  }
  const not = c.eat("NOT") ? "NOT " : "";
  if (c.eat("IN")) {
    const values = c.eatPunct("(") ? list(c, operand) : undefined;
    return values && c.eatPunct(")") ? binary(`${not}IN`, left, exprList(values)) : undefined;
  }
  if (c.eat("LIKE")) return binary(`${not}LIKE`, left, operand(c));
  if (c.eat("BETWEEN")) {
    const low = operand(c);
    const high = low && c.eat("AND") ? operand(c) : undefined;
    return high && low ? binary(`${not}BETWEEN`, left, exprList([low, high])) : undefined;
  }
  return not ? undefined : left;
}

/** Two sides the rules may compare as whole nodes: column-free, or both bare columns. */
function comparable(left: Json, right: Json): boolean {
  if (!containsType(left, "column_ref") || !containsType(right, "column_ref")) return true;
  return bareColumn(left) && bareColumn(right);
}

function bareColumn(node: Json): boolean {
  return node.type === "column_ref" && node.parentheses === undefined;
}

/** =, <, >, <=, >=, <>, != (two-character operators written without a space). */
function comparison(c: Cursor): string | undefined {
  const pair = c.touching(1) && (c.isPunct("=", 1) || (c.isPunct("<") && c.isPunct(">", 1)));
  const first = c.tokens[c.i]?.text ?? "";
  if (c.isPunct("=")) c.i += 1;
  else if ((c.isPunct("<") || c.isPunct(">") || c.isPunct("!")) && pair) {
    c.i += 2;
    return first + (c.tokens[c.i - 1]?.text ?? "");
  } else if (c.isPunct("<") || c.isPunct(">")) c.i += 1;
  else return undefined;
  return first;
}

function operand(c: Cursor): Json | undefined {
  const t = c.tokens[c.i];
  if (t?.kind === "number") return number(c, t.text);
  if (t?.kind === "string") {
    c.i++;
    return { type: "single_quote_string", value: t.text };
  }
  if (c.eat("NULL")) return { type: "null", value: null };
  if (c.eat("TRUE") || c.eat("FALSE")) return { type: "bool", value: t?.key === "TRUE" };
  if (c.eatPunct("(")) {
    const inner = expression(c);
    if (!inner || !c.eatPunct(")")) return undefined;
    inner.parentheses = true;
    return inner;
  }
  const call = c.isPunct("(", 1) && c.touching(1);
  if (call && AGGREGATES.has(c.key)) return aggregate(c);
  if (call && c.key === "NOW") {
    c.i += 2;
    return c.eatPunct(")") ? { type: "function", args: [] } : undefined;
  }
  const name = c.name();
  if (name === undefined) return undefined;
  if (call) {
    c.i++;
    const args = c.isPunct(")") ? [] : list(c, expression);
    return args && c.eatPunct(")") ? { type: "function", args } : undefined;
  }
  if (!(c.isPunct(".") && c.touching() && c.touching(1))) return column(null, name);
  c.i++;
  const field = c.name();
  return field === undefined ? undefined : column(name, field);
}

/** Integers as numbers and decimals as written, like the parser; longer integers become bigints there. */
function number(c: Cursor, text: string): Json | undefined {
  const integer = !text.includes(".");
  if (integer && text.length > 15) return undefined;
  c.i++;
  return { type: "number", value: integer ? Number(text) : text };
}

function aggregate(c: Cursor): Json | undefined {
  const count = c.key === "COUNT";
  c.i += 2;
  if (count && c.eatPunct("*")) return c.eatPunct(")") ? { type: "aggr_func", args: [] } : undefined;
  if (count) c.eat("DISTINCT");
  const arg = expression(c);
  return arg && c.eatPunct(")") ? { type: "aggr_func", args: [arg] } : undefined;
}

function column(table: string | null, name: string): Json {
  return { type: "column_ref", table, column: name, collate: null };
}

function exprList(value: Json[]): Json {
  return { type: "expr_list", value };
}

export function list(c: Cursor, item: (c: Cursor) => Json | undefined): Json[] | undefined {
  const out: Json[] = [];
  do {
    const node = item(c);
    if (!node) return undefined;
    out.push(node);
  } while (c.eatPunct(","));
  return out;
}
