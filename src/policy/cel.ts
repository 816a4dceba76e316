import { Environment } from "@marcbachmann/cel-js";

/**
 * CEL conditions see three variables:
 * - `op`: the operation (kind, name, effect, summary, reversibility, blastRadius, environment,
 *   targets, tags, opaque, plus `reversibilityRank` 0–2 and `blastRank` 0–5 for comparisons)
 * - `action`: the Action as submitted
 * - `environment`: the operation's environment (a shorthand for op.environment)
 */
const celEnvironment = new Environment({ homogeneousAggregateLiterals: false })
  .registerVariable("op", "map")
  .registerVariable("action", "map")
  .registerVariable("environment", "string");

export interface ConditionInput {
  op: Record<string, unknown>;
  action: Record<string, unknown>;
  environment: string;
}

export type Condition = (input: ConditionInput) => boolean;

export type CompiledCondition = { ok: true; condition: Condition } | { ok: false; error: string };

export function compileCondition(expression: string): CompiledCondition {
  try {
    const program = celEnvironment.parse(expression);
    const checked = program.check();
    if (!checked.valid)
      return { ok: false, error: checked.error?.message ?? "the condition does not type-check" };
    if (checked.type !== "bool" && checked.type !== "dyn") {
      return { ok: false, error: `the condition must be a boolean expression, not ${checked.type}` };
    }
    return {
      ok: true,
      // A non-boolean result at run time is an error, not a truthy value.
      condition: (input) => {
        const result = program(input as unknown as Record<string, unknown>);
        if (typeof result !== "boolean")
          throw new Error(`the condition returned ${typeof result}, not a boolean`);
        return result;
      },
    };
  } catch (err) {
    return {
      ok: false,
      error: err instanceof Error ? (err.message.split("\n")[0] ?? err.message) : String(err),
    };
  }
}
