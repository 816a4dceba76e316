import type { Approvals, DecisionCode, Verdict } from "../action/decision.js";
import type { Action } from "../action/schema.js";
import { blastRank, reversibilityRank } from "../analyze/aggregate.js";
import { type EnvironmentSource, mayBeProduction } from "../analyze/environment.js";
import type { Operation } from "../analyze/types.js";
import type { CompiledMatch, CompiledPolicy, CompiledRule } from "./compile.js";
import type { ApprovalRequirement } from "./schema.js";

/** An operation with the environment the gate worked out for it. */
export interface PlacedOperation extends Operation {
  environment: string;
  /** How the environment was found: from the context, inferred from a name (the evidence), or unknown. */
  environmentSource: EnvironmentSource;
  environmentEvidence?: string;
}

export interface RuleOutcome {
  ruleId: string;
  verdict: Verdict;
  reason: string;
  approvals?: ApprovalRequirement;
  /** Set when the rule's condition failed at run time and the rule was applied to fail closed. */
  error?: string;
  /** Set when the rule runs in shadow mode: recorded, not enforced. */
  shadow?: boolean;
}

export interface OperationVerdict {
  op: PlacedOperation;
  verdict: Verdict;
  /** Every rule that matched this operation. */
  matched: RuleOutcome[];
  /** The rules that decided the verdict (the most restrictive among those that matched). */
  deciding: RuleOutcome[];
  /** Set when no rule matched and the fallback decided. */
  unmatched?: boolean;
  /** Set when a built-in guard, not the policy, decided. */
  code?: DecisionCode;
  /** What shadowed rules would have made of it, when that is more restrictive than what is enforced. */
  shadow?: { verdict: Verdict; deciding: RuleOutcome[] };
}

const SEVERITY: Record<Verdict, number> = { allow: 0, hold: 1, deny: 2 };

export function moreRestrictive(a: Verdict, b: Verdict): Verdict {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}

/** Whether an operation meets a `match` block (of a rule or a breaker), conditions aside. */
export function matchesStatically(rule: CompiledMatch, op: PlacedOperation, action: Action): boolean {
  if (rule.kind && !rule.kind(op.kind) && !rule.kind(action.kind)) return false;
  if (rule.operation && !rule.operation(op.name)) return false;
  if (rule.effect && !rule.effect.has(op.effect)) return false;
  if (rule.environment) {
    const env = op.environment;
    if (!rule.environment.has(env) && !(rule.environment.has("may-be-production") && mayBeProduction(env))) {
      return false;
    }
  }
  if (rule.tags && !(op.tags ?? []).some((t) => rule.tags?.has(t))) return false;
  if (rule.tool) {
    if (action.kind !== "mcp" || !rule.tool(`${action.server}/${action.tool}`)) return false;
  }
  const { reversibility, blastRadius } = rule.rule.match;
  if (reversibility && reversibilityRank(op.reversibility) < reversibilityRank(reversibility)) return false;
  if (blastRadius && blastRank(op.blastRadius) < blastRank(blastRadius)) return false;
  const opaque = rule.rule.match.opaque;
  if (opaque !== undefined && (op.opaque === true) !== opaque) return false;
  return true;
}

/** The view of an operation that CEL conditions see; every field is present so `op.x` never fails. */
export function conditionView(op: PlacedOperation): Record<string, unknown> {
  return {
    kind: op.kind,
    name: op.name,
    effect: op.effect,
    summary: op.summary,
    reversibility: op.reversibility,
    reversibilityRank: reversibilityRank(op.reversibility),
    blastRadius: op.blastRadius,
    blastRank: blastRank(op.blastRadius),
    environment: op.environment,
    targets: op.targets,
    tags: op.tags ?? [],
    opaque: op.opaque === true,
  };
}

function outcome(rule: CompiledRule, error?: string): RuleOutcome {
  return {
    ruleId: rule.rule.id,
    verdict: rule.rule.decision,
    reason: rule.rule.reason,
    approvals: rule.rule.approvals,
    ...(error ? { error } : {}),
    ...(rule.shadow ? { shadow: true } : {}),
  };
}

/** Rules that match one operation. A condition that fails at run time fails closed. */
export function matchRules(policy: CompiledPolicy, op: PlacedOperation, action: Action): RuleOutcome[] {
  const matched: RuleOutcome[] = [];
  let view: Record<string, unknown> | undefined;
  for (const rule of policy.rules) {
    if (!matchesStatically(rule, op, action)) continue;
    if (!rule.condition) {
      matched.push(outcome(rule));
      continue;
    }
    view ??= conditionView(op);
    try {
      if (
        rule.condition({ op: view, action: action as Record<string, unknown>, environment: op.environment })
      ) {
        matched.push(outcome(rule));
      }
    } catch (err) {
      // An allow rule that cannot be evaluated must not allow; a hold or deny rule still applies.
      if (rule.rule.decision !== "allow") {
        matched.push(outcome(rule, err instanceof Error ? err.message.split("\n")[0] : String(err)));
      }
    }
  }
  return matched;
}

const SHADOW_POLICY: RuleOutcome = {
  ruleId: "builtin:shadow-mode",
  verdict: "allow",
  reason: "The policy runs in shadow mode: its verdicts are recorded, not enforced",
};

/**
 * The enforced verdict, and beside it what shadowed rules would have made of the operation. A shadowed
 * rule is judged as if it were enforced, and the enforced verdict as if the rule were not there.
 */
export function judgeOperation(
  policy: CompiledPolicy,
  op: PlacedOperation,
  action: Action,
): OperationVerdict {
  const matched = matchRules(policy, op, action);
  const wholePolicy = policy.document.settings.mode === "shadow";
  if (!wholePolicy && !matched.some((m) => m.shadow)) return judge(op, matched);
  const full = judge(op, matched);
  const enforced: OperationVerdict = wholePolicy
    ? { op, verdict: "allow", matched: [], deciding: [SHADOW_POLICY] }
    : judge(
        op,
        matched.filter((m) => !m.shadow),
      );
  if (SEVERITY[full.verdict] <= SEVERITY[enforced.verdict]) return wholePolicy ? full : enforced;
  const deciding: RuleOutcome[] = full.unmatched
    ? [{ ruleId: "builtin:no-rule", verdict: full.verdict, reason: "No policy rule covers this operation" }]
    : full.deciding;
  return { ...enforced, shadow: { verdict: full.verdict, deciding } };
}

function judge(op: PlacedOperation, matched: RuleOutcome[]): OperationVerdict {
  if (matched.length === 0) {
    // Nothing in the policy speaks for this operation: never allowed where production may be touched.
    return {
      op,
      verdict: mayBeProduction(op.environment) ? "deny" : "hold",
      matched,
      deciding: [],
      unmatched: true,
    };
  }
  let verdict: Verdict = "allow";
  for (const m of matched) verdict = moreRestrictive(verdict, m.verdict);
  const deciding = matched.filter((m) => m.verdict === verdict);
  return { op, verdict, matched, deciding: verdict === "hold" ? withoutDominated(deciding) : deciding };
}

/** Whether requirement `a` asks for no more than `b` in every respect (so `b` alone explains the hold). */
function dominatedBy(a: ApprovalRequirement | undefined, b: ApprovalRequirement | undefined): boolean {
  if (!a || !b) return false;
  const groupsCovered =
    (a.groups ?? []).every((g) => b.groups?.includes(g)) &&
    (b.groups ?? []).length === (a.groups ?? []).length;
  return (
    a.required <= b.required &&
    a.delaySeconds <= b.delaySeconds &&
    groupsCovered &&
    (a.required < b.required || a.delaySeconds < b.delaySeconds)
  );
}

/** Hold rules whose requirement another deciding rule already exceeds add nothing a reviewer needs to read. */
function withoutDominated(outcomes: RuleOutcome[]): RuleOutcome[] {
  return outcomes.filter(
    (o) =>
      o.error !== undefined ||
      !outcomes.some((other) => other !== o && dominatedBy(o.approvals, other.approvals)),
  );
}

/** A requirement as a rule states it; the fields a policy may leave out take their defaults. */
type ApprovalInput = Omit<ApprovalRequirement, "denials" | "localConfirm"> &
  Partial<Pick<ApprovalRequirement, "denials" | "localConfirm">>;

const DEFAULT_APPROVALS: ApprovalInput = { required: 1, delaySeconds: 0, expiresInSeconds: 3600 };

/**
 * Most restrictive wins: the largest number of approvers, the longest wait, the shortest expiry
 * (never shorter than the wait plus fifteen minutes, or a request could expire before it may be released),
 * and every group any deciding rule names.
 */
export function mergeApprovals(
  requirements: readonly (ApprovalInput | undefined)[],
  fallback?: ApprovalInput,
): Approvals {
  const base = fallback ?? DEFAULT_APPROVALS;
  let required = 0;
  let delaySeconds = 0;
  let expiresInSeconds = Number.POSITIVE_INFINITY;
  let denials = Number.POSITIVE_INFINITY;
  let localConfirm = true;
  const groups = new Set<string>();
  const reqs = requirements.length > 0 ? requirements : [base];
  for (const r of reqs) {
    const req = r ?? base;
    required = Math.max(required, req.required);
    delaySeconds = Math.max(delaySeconds, req.delaySeconds);
    expiresInSeconds = Math.min(expiresInSeconds, req.expiresInSeconds);
    denials = Math.min(denials, req.denials ?? 1);
    localConfirm &&= req.localConfirm ?? false;
    for (const g of req.groups ?? []) groups.add(g);
  }
  expiresInSeconds = Math.max(expiresInSeconds, delaySeconds + 900);
  return {
    required,
    delaySeconds,
    expiresInSeconds,
    ...(groups.size > 0 ? { groups: [...groups].sort() } : {}),
    ...(denials > 1 ? { denials } : {}),
    ...(localConfirm ? { localConfirm: true as const } : {}),
  };
}
