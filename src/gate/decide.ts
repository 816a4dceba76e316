import type { Decision, DecisionCode, DecisionOperation, Verdict } from "../action/decision.js";
import { actionDigest } from "../action/digest.js";
import type { Action } from "../action/schema.js";
import { validateAction } from "../action/validate.js";
import { widestBlastRadius, worstReversibility } from "../analyze/aggregate.js";
import { inferEnvironment, mayBeProduction, worstEnvironment } from "../analyze/environment.js";
import { opaqueOperation } from "../analyze/finding.js";
import { analyzeAction } from "../analyze/index.js";
import type { Analysis, Operation } from "../analyze/types.js";
import type { CompiledPolicy } from "../policy/compile.js";
import {
  judgeOperation,
  mergeApprovals,
  moreRestrictive,
  type OperationVerdict,
  type PlacedOperation,
} from "../policy/evaluate.js";
import type { ApprovalRequirement } from "../policy/schema.js";
import { failClosed } from "./fail-closed.js";
import { type SelfProtection, selfGuard } from "./self-protection.js";

export interface EvaluateOptions {
  /** What this airlock runs from, beyond its policy file: see self-protection.ts. */
  self?: SelfProtection;
}

/** Everything the gate worked out for one Action: what `airlock explain` prints, and the Decision. */
export interface Evaluation {
  action?: Action;
  analysis?: Analysis;
  verdicts: OperationVerdict[];
  decision: Decision;
}

const MAX_REASONS = 12;

/**
 * An analysis that saw everything and found nothing to do (an empty command, a plan with no changes)
 * is a read; one that could not see is opaque, never safe.
 */
function nothingFound(action: Action, analysis: Analysis): Operation {
  if (analysis.status === "complete") {
    return {
      kind: action.kind,
      name: "nothing to do",
      effect: "read",
      summary: "the analysis found nothing this action would do",
      reversibility: "reversible",
      blastRadius: "none",
      targets: [],
    };
  }
  return opaqueOperation(
    action.kind,
    "unrecognised",
    "the analysis found no operation it recognises; what this does cannot be seen",
  );
}

function placeOperations(action: Action, analysis: Analysis): PlacedOperation[] {
  const ctx = action.context?.environment;
  const ops: Operation[] =
    analysis.operations.length > 0 ? analysis.operations : [nothingFound(action, analysis)];
  // Assigned field by field, not spread: this runs for every operation of every action.
  return ops.map((op) => {
    const env = inferEnvironment(
      ctx,
      op.envHints ? op.envHints.concat(analysis.envHints) : analysis.envHints,
    );
    const placed = Object.assign({}, op) as PlacedOperation;
    placed.environment = env.name;
    placed.environmentSource = env.source;
    if (env.evidence !== undefined) placed.environmentEvidence = env.evidence;
    return placed;
  });
}

/** Fail-closed guards that no policy can switch off. */
function guard(
  v: OperationVerdict,
  analysis: Analysis,
  action: Action,
  self: SelfProtection,
): OperationVerdict {
  const { op } = v;
  const protecting = selfGuard(op, action, self);
  if (protecting) {
    const { code, ruleId, reason } = protecting;
    return { ...v, verdict: "deny", code, deciding: [{ ruleId, verdict: "deny", reason }] };
  }
  if (analysis.status === "limited" || op.tags?.includes("parse_limit")) {
    const reason = "The input is too large or too deeply nested to analyse within airlock's bounds";
    return {
      ...v,
      verdict: "deny",
      code: "parse_limit",
      deciding: [{ ruleId: "builtin:parse-limit", verdict: "deny", reason }],
    };
  }
  if (op.opaque && v.verdict === "allow" && mayBeProduction(op.environment)) {
    const reason = "airlock cannot see what this will do, and it may touch production";
    return {
      ...v,
      verdict: "hold",
      code: "opaque_guard",
      deciding: [{ ruleId: "builtin:opaque-guard", verdict: "hold", reason }],
    };
  }
  return v;
}

function toDecisionOperation(op: PlacedOperation): DecisionOperation {
  const out: DecisionOperation = {
    kind: op.kind,
    name: op.name,
    effect: op.effect,
    summary: op.summary,
    reversibility: op.reversibility,
    blastRadius: op.blastRadius,
    environment: op.environment,
    targets: op.targets,
  };
  if (op.opaque) out.opaque = true;
  if (op.tags && op.tags.length > 0) out.tags = op.tags;
  return out;
}

export function assembleDecision(
  action: Action,
  digest: string,
  verdicts: readonly OperationVerdict[],
  policy: CompiledPolicy,
): Decision {
  let verdict: Verdict = "allow";
  for (const v of verdicts) verdict = moreRestrictive(verdict, v.verdict);
  const deciding = verdicts.filter((v) => v.verdict === verdict);
  // Few reasons per decision: a linear duplicate check beats hashing long strings into a Set.
  const reasons: string[] = [];
  let more = 0;
  const addReason = (reason: string) => {
    if (reasons.includes(reason)) return;
    if (reasons.length < MAX_REASONS) reasons.push(reason);
    else more++;
  };
  const rules: string[] = [];
  const addRule = (id: string) => {
    if (!rules.includes(id)) rules.push(id);
  };
  const requirements: (ApprovalRequirement | undefined)[] = [];
  let code: DecisionCode | undefined;
  let conditionFailed = false;
  let unmatched = false;
  for (const v of deciding) {
    if (v.code && !code) code = v.code;
    if (v.unmatched) {
      unmatched = true;
      addRule("builtin:no-rule");
      addReason(
        `No policy rule covers this operation, so it is not allowed to proceed on its own: ${v.op.summary}`,
      );
      requirements.push(undefined);
    }
    for (const d of v.deciding) {
      addRule(d.ruleId);
      if (d.error) conditionFailed = true;
      addReason(
        `${d.reason} (${d.ruleId}): ${v.op.summary}${d.error ? ` [condition failed: ${d.error}]` : ""}`,
      );
      requirements.push(d.approvals);
    }
  }
  if (more > 0) reasons.push(`…and ${more} more`);
  code ??= conditionFailed ? "policy_error" : unmatched ? "no_rule" : undefined;
  const approvals =
    verdict === "hold" ? mergeApprovals(requirements, policy.document.settings.defaultApprovals) : undefined;
  const ops = verdicts.map((v) => v.op);
  const shadow = shadowOf(verdicts, verdict);
  // Absent optional fields are left undefined, which JSON omits, so the wire order stays readable.
  return {
    version: 1,
    id: action.id,
    decision: verdict,
    code: verdict !== "allow" ? code : undefined,
    risk: riskOf(ops),
    operations: ops.map(toDecisionOperation),
    reasons,
    rules,
    approvals,
    digest,
    shadow,
  };
}

/** What the shadowed rules would have decided, when that is more restrictive than the enforced verdict. */
function shadowOf(verdicts: readonly OperationVerdict[], enforced: Verdict): Decision["shadow"] {
  let would: Verdict = enforced;
  for (const v of verdicts) if (v.shadow) would = moreRestrictive(would, v.shadow.verdict);
  if (would === enforced) return undefined;
  const rules: string[] = [];
  const reasons: string[] = [];
  for (const v of verdicts) {
    if (v.shadow?.verdict !== would) continue;
    for (const d of v.shadow.deciding) {
      if (!rules.includes(d.ruleId)) rules.push(d.ruleId);
      const reason = `${d.reason} (${d.ruleId}): ${v.op.summary}`;
      if (!reasons.includes(reason) && reasons.length < MAX_REASONS) reasons.push(reason);
    }
  }
  return { decision: would, rules, reasons };
}

function riskOf(ops: readonly PlacedOperation[]): Decision["risk"] {
  const environments: string[] = [];
  for (const op of ops) environments.push(op.environment);
  return {
    reversibility: worstReversibility(ops),
    blastRadius: widestBlastRadius(ops),
    environment: worstEnvironment(environments),
  };
}

/**
 * The gate's pure pipeline for one untrusted input: validate, digest, analyse, judge each operation,
 * guard, assemble. Never throws: every internal fault becomes a deny with a stable code.
 */
export async function evaluate(
  input: unknown,
  policy: CompiledPolicy,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  try {
    return await evaluateUnguarded(input, policy, options);
  } catch (err) {
    // A fault anywhere in the pipeline (validation, policy, assembly) is a deny, never a crash that
    // ends a batch or a hook without an answer.
    const reason = `airlock failed while deciding this action (${(err as Error)?.message ?? String(err)}); it is denied until it can be decided.`;
    return { verdicts: [], decision: failClosed(input, "analysis_error", reason) };
  }
}

async function evaluateUnguarded(
  input: unknown,
  policy: CompiledPolicy,
  options: EvaluateOptions,
): Promise<Evaluation> {
  const validation = validateAction(input);
  if (!validation.ok) {
    return {
      verdicts: [],
      decision: failClosed(
        input,
        "invalid_action",
        `Invalid action: ${validation.error}. Fix the field and submit it again.`,
      ),
    };
  }
  const action = validation.action;
  let digest: string;
  try {
    digest = actionDigest(action);
  } catch (err) {
    return {
      action,
      verdicts: [],
      decision: failClosed(action, "invalid_action", `Invalid action: ${(err as Error).message}`),
    };
  }
  let analysis: Analysis;
  try {
    analysis = await analyzeAction(action, policy.trustedMcpServers);
  } catch (err) {
    return {
      action,
      verdicts: [],
      decision: failClosed(
        action,
        "analysis_error",
        `airlock could not analyse this action (${(err as Error).message}); it is denied until it can be.`,
        digest,
      ),
    };
  }
  const self = { ...options.self, paths: [policy.source, ...(options.self?.paths ?? [])] };
  const verdicts = placeOperations(action, analysis).map((op) =>
    guard(judgeOperation(policy, op, action), analysis, action, self),
  );
  return {
    action,
    analysis,
    verdicts,
    decision: assembleDecision(action, digest, verdicts, policy),
  };
}
