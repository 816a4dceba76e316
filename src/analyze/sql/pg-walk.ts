import type { FuncCall, Node } from "libpg-query";
import type { Operation } from "../types.js";
import { functionOp } from "./functions.js";
import { constString, isRecord, rangeVarName, sval } from "./pg-ast.js";
import type { PgContext } from "./pg-context.js";

/** Statements that change data when nested in another (data-modifying CTEs, SELECT … in INSERT). */
const NESTED_WRITES = new Set(["InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"]);

/**
 * What runs inside a statement besides its own verb: writes in WITH clauses
 * (`WITH d AS (DELETE …) SELECT …`) and calls of functions with side effects.
 * Nested writes are classified as statements of their own, which walk their own subtrees.
 */
export function nestedOperations(body: unknown, ctx: PgContext): Operation[] {
  const ops: Operation[] = [];
  visit(body, ctx, ops);
  return ops;
}

function visit(value: unknown, ctx: PgContext, ops: Operation[]): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, ctx, ops);
    return;
  }
  if (!isRecord(value)) return;
  for (const key in value) {
    const child = value[key];
    if (NESTED_WRITES.has(key) && isRecord(child)) {
      ops.push(...ctx.classify({ [key]: child } as unknown as Node, ctx));
      continue;
    }
    if (key === "FuncCall" && isRecord(child)) {
      const op = callOperation(child as FuncCall);
      if (op) ops.push(op);
    }
    visit(child, ctx, ops);
  }
}

function callOperation(call: FuncCall): Operation | undefined {
  const names = call.funcname ?? [];
  const name = sval(names[names.length - 1]);
  return name ? functionOp(name, (call.args ?? []).map(constString)) : undefined;
}

/** The tables named in a FROM list, joins included. */
export function fromTables(from: Node[] | undefined, out: string[] = []): string[] {
  for (const item of from ?? []) {
    if ("RangeVar" in item) out.push(rangeVarName(item.RangeVar));
    else if ("JoinExpr" in item) {
      const { larg, rarg } = item.JoinExpr;
      fromTables(
        [larg, rarg].filter((n): n is Node => n !== undefined),
        out,
      );
    }
  }
  return out;
}
