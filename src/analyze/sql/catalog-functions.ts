import type { SqlAction } from "../../action/schema.js";
import type { Operation } from "../types.js";
import { functionOp } from "./functions.js";
import { opaqueOp } from "./operation.js";

const BUILT_IN = new Set(["pg_catalog", "information_schema"]);

/**
 * User-defined functions a statement calls, as the database's catalog describes them: what their
 * body does is out of sight at the call site (`SELECT wipe()` reads like a read), so each is opaque,
 * with what the catalog says of it for the approvers. The same for the functions that run out of
 * sight of the statement (`via`: a view's query, a row-level security policy, a trigger, a default);
 * a built-in function reached that way is judged as if called (`pg_terminate_backend` in a view).
 */
export function catalogFunctionOps(functions: SqlAction["functions"]): Operation[] {
  return (functions ?? []).flatMap((f) => {
    const name = f.schema ? `${f.schema}.${f.name}` : f.name;
    if (f.schema && BUILT_IN.has(f.schema)) {
      const op = functionOp(f.name, []);
      return op ? [{ ...op, summary: `${op.summary}, through ${f.via ?? "the statement"}` }] : [];
    }
    const facts = [
      f.volatility ? `${VOLATILITY[f.volatility] ?? f.volatility}` : "",
      f.language ? `in ${f.language}` : "",
      f.owner ? `owned by ${f.owner}` : "",
    ].filter(Boolean);
    const through = f.via ? `, run by ${f.via}` : "";
    return [
      opaqueOp(
        `FUNCTION ${name}`,
        `${name}() is a user-defined function${facts.length > 0 ? ` (${facts.join(", ")})` : ""}${through}: airlock cannot see what it does`,
        [{ type: "function", name }],
      ),
    ];
  });
}

/** Rewrite rules on the tables a statement writes to: each replaces or adds to what it does. */
export function catalogRuleOps(rules: SqlAction["rules"]): Operation[] {
  return (rules ?? []).map((r) =>
    opaqueOp(
      `RULE ${r.name}`,
      `rule ${r.name} on ${r.on} rewrites what is written there: airlock cannot see what it does`,
      [{ type: "rule", name: `${r.on}.${r.name}` }],
    ),
  );
}

const VOLATILITY: Record<string, string> = { v: "volatile", s: "stable", i: "immutable" };
