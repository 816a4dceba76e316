import type { SqlAction } from "../../action/schema.js";
import type { Operation } from "../types.js";
import { opaqueOp } from "./operation.js";

/**
 * User-defined functions a statement calls, as the database's catalog describes them: what their
 * body does is out of sight at the call site (`SELECT wipe()` reads like a read), so each is opaque,
 * with what the catalog says of it for the approvers.
 */
export function catalogFunctionOps(functions: SqlAction["functions"]): Operation[] {
  return (functions ?? []).map((f) => {
    const name = f.schema ? `${f.schema}.${f.name}` : f.name;
    const facts = [
      f.volatility ? `${VOLATILITY[f.volatility] ?? f.volatility}` : "",
      f.language ? `in ${f.language}` : "",
      f.owner ? `owned by ${f.owner}` : "",
    ].filter(Boolean);
    return opaqueOp(
      `FUNCTION ${name}`,
      `${name}() is a user-defined function${facts.length > 0 ? ` (${facts.join(", ")})` : ""}: airlock cannot see what it does`,
      [{ type: "function", name }],
    );
  });
}

const VOLATILITY: Record<string, string> = { v: "volatile", s: "stable", i: "immutable" };
