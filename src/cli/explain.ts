import * as z from "zod/mini";
import type { Evaluation } from "../gate/decide.js";
import { evaluate } from "../gate/decide.js";
import { loadLocalPolicy } from "../local/decider.js";
import type { PlacedOperation } from "../policy/evaluate.js";
import { approvalsLine, EXIT_STATUS } from "./format.js";
import { parseJsonAction, type ShellOptions, shellActionFromArgs } from "./input.js";
import { text } from "./options.js";

/** `airlock explain`'s flags as commander gives them. */
export const ExplainFlags = z.object({ json: text, policy: text, cwd: text, env: text });

export interface ExplainOptions extends ShellOptions {
  json?: string;
  policy?: string;
}

function environmentText(op: PlacedOperation): string {
  if (op.environmentSource === "context") return `${op.environment} (set by the action's context)`;
  if (op.environmentSource === "inferred")
    return `${op.environment} (inferred from the name "${op.environmentEvidence}")`;
  return "unknown (no name says which; treated as production for anything destructive)";
}

/** `airlock explain`: the same evaluation as `check`, told step by step for a person. */
export function explainEvaluation(e: Evaluation, policyName: string): string {
  const out: string[] = [];
  const d = e.decision;
  out.push(`1. Action${e.action ? ` (${e.action.kind})` : ""}`);
  if (e.action?.kind === "shell") out.push(`   command: ${e.action.command}`);
  if (e.action?.intent) out.push(`   intent: ${e.action.intent}`);
  if (d.digest) out.push(`   digest: ${d.digest}`);
  out.push(`2. Analysis: ${e.analysis ? e.analysis.status : "not reached"}`);
  for (const note of e.analysis?.notes ?? []) out.push(`   - ${note}`);
  out.push(`3. Operations found: ${e.verdicts.length}`);
  e.verdicts.forEach((v, i) => {
    const op = v.op;
    out.push(`   ${i + 1}) ${op.name} [${op.kind}]${op.opaque ? " [opaque]" : ""}`);
    out.push(`      ${op.summary}`);
    out.push(`      effect ${op.effect}, ${op.reversibility}, blast radius ${op.blastRadius}`);
    if (op.targets.length > 0)
      out.push(`      targets: ${op.targets.map((t) => `${t.type} ${t.name}`).join(", ")}`);
    if (op.tags && op.tags.length > 0) out.push(`      tags: ${op.tags.join(", ")}`);
    out.push(`      environment: ${environmentText(op)}`);
    const matched = v.matched.map(
      (m) => `${m.ruleId} → ${m.verdict}${m.error ? ` (condition failed: ${m.error})` : ""}`,
    );
    out.push(`      rules matched: ${matched.length > 0 ? matched.join("; ") : "none"}`);
    out.push(
      `      verdict: ${v.verdict}${v.code ? ` (${v.code})` : v.unmatched ? " (no rule covers it)" : ""}`,
    );
  });
  out.push(
    `4. Decision under policy "${policyName}": ${d.decision.toUpperCase()}${d.code ? ` (${d.code})` : ""}`,
  );
  const approvals = approvalsLine(d);
  if (approvals) out.push(`   ${approvals}`);
  for (const r of d.reasons) out.push(`   - ${r}`);
  return out.join("\n");
}

export async function runExplain(args: string[], options: ExplainOptions): Promise<number> {
  if (args.length > 0 === (options.json !== undefined)) {
    process.stderr.write("airlock explain: give exactly one of `-- CMD ARGS…` or `--json '{…}'`\n");
    return 64;
  }
  let input: unknown;
  if (options.json !== undefined) {
    const parsed = parseJsonAction(options.json);
    if (!parsed.ok) {
      process.stderr.write(`airlock explain: the action is ${parsed.error}\n`);
      return 65;
    }
    input = parsed.value;
  } else {
    input = shellActionFromArgs(args, options);
  }
  const policy = await loadLocalPolicy(options.policy);
  if (!policy.ok) process.stderr.write(`airlock: ${policy.message}\n`);
  if (!policy.ok) {
    process.stdout.write(`${policy.deny(input).reasons.join("\n")}\n`);
    return EXIT_STATUS.deny;
  }
  const evaluation = await evaluate(input, policy.policy);
  process.stdout.write(`${explainEvaluation(evaluation, policy.policy.document.name)}\n`);
  return EXIT_STATUS[evaluation.decision.decision];
}
