import type { Verdict } from "../action/decision.js";
import type { CompiledPolicy } from "../policy/compile.js";
import { evaluate } from "./decide.js";

export interface ExampleResult {
  ruleId: string;
  expected: Verdict;
  example: unknown;
  actual: Verdict;
  /** Whether the rule that carries the example was among those that matched it. */
  ruleMatched: boolean;
  passed: boolean;
  reasons: string[];
}

/** A string example is shorthand for a shell command. */
function exampleAction(example: unknown): unknown {
  return typeof example === "string" ? { kind: "shell", command: example } : example;
}

/**
 * Run every rule's examples through the whole policy. An example passes when the policy's decision
 * is the one the example names and its own rule matched it, so an example cannot pass by accident
 * through some other rule.
 */
export async function checkExamples(policy: CompiledPolicy): Promise<ExampleResult[]> {
  const results: ExampleResult[] = [];
  for (const { rule } of policy.rules) {
    for (const expected of ["allow", "hold", "deny"] as const) {
      for (const example of rule.examples?.[expected] ?? []) {
        const evaluation = await evaluate(exampleAction(example), policy);
        const actual = evaluation.decision.decision;
        const ruleMatched = evaluation.verdicts.some((v) => v.matched.some((m) => m.ruleId === rule.id));
        results.push({
          ruleId: rule.id,
          expected,
          example,
          actual,
          ruleMatched,
          passed: actual === expected && ruleMatched,
          reasons: evaluation.decision.reasons,
        });
      }
    }
  }
  return results;
}

export function describeExampleFailure(r: ExampleResult): string {
  const what = JSON.stringify(r.example);
  if (!r.ruleMatched)
    return `rule "${r.ruleId}": its ${r.expected} example ${what} is not matched by the rule`;
  return `rule "${r.ruleId}": example ${what} should be ${r.expected} but the policy decides ${r.actual} (${r.reasons[0] ?? "no reason"})`;
}
