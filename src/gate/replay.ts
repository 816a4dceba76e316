import type { Decision, Verdict } from "../action/decision.js";
import type { CompiledPolicy } from "../policy/compile.js";
import { evaluate } from "./decide.js";

/** An `action` entry of the audit log: the Action as the gate saw it and the Decision it recorded. */
export interface LoggedAction {
  index: number;
  time: string;
  agent?: string;
  action: unknown;
  decision: Decision;
}

export interface ReplayedAction {
  index: number;
  time: string;
  agent?: string;
  /** The operations, one line. */
  summary: string;
  before: Verdict;
  after: Verdict;
}

export interface RuleChanges {
  /** The rule of the new policy that decided the new verdict (`builtin:…` for the gate's own). */
  rule: string;
  /** `allow→hold`: how many. */
  transitions: Record<string, number>;
  examples: ReplayedAction[];
}

export interface ReplayReport {
  considered: number;
  /** Decided by the kill switch, a breaker or a store failure, not the policy: nothing to compare. */
  skipped: number;
  changed: number;
  rules: RuleChanges[];
}

/** Codes that say the monitor, not the policy, decided: the policy's own verdict was not recorded. */
const NOT_THE_POLICY = new Set(["paused", "breaker_tripped", "store_unavailable", "server_unavailable"]);

/**
 * What the policy itself decided, from what was recorded: a release or a refused retry was a hold,
 * and a hold made only by a freeze was an allow (a replay judges the policy's rules, not the calendar).
 */
export function policyVerdict(d: Decision): Verdict | undefined {
  if (d.code !== undefined && NOT_THE_POLICY.has(d.code)) return undefined;
  if (d.code === "released" || d.code === "request_closed") return "hold";
  if (d.code === "frozen") return "allow";
  return d.decision;
}

function summaryOf(d: Decision): string {
  const text = d.operations.map((op) => `${op.summary} (${op.environment})`).join("; ") || d.reasons[0] || "";
  return text.length > 110 ? `${text.slice(0, 109)}…` : text;
}

/** Decide every logged action again under `policy`, and group what changed by the rule that now decides. */
export async function replay(
  logged: Iterable<LoggedAction> | AsyncIterable<LoggedAction>,
  policy: CompiledPolicy,
  options: { examples?: number } = {},
): Promise<ReplayReport> {
  const examples = options.examples ?? 3;
  const report: ReplayReport = { considered: 0, skipped: 0, changed: 0, rules: [] };
  const byRule = new Map<string, RuleChanges>();
  for await (const entry of logged) {
    report.considered++;
    const before = policyVerdict(entry.decision);
    if (before === undefined) {
      report.skipped++;
      continue;
    }
    const { decision } = await evaluate(entry.action, policy);
    if (decision.decision === before) continue;
    report.changed++;
    const change: ReplayedAction = {
      index: entry.index,
      time: entry.time,
      ...(entry.agent !== undefined ? { agent: entry.agent } : {}),
      summary: summaryOf(decision),
      before,
      after: decision.decision,
    };
    const rules = decision.rules.length > 0 ? decision.rules : [`builtin:${decision.code ?? "unknown"}`];
    for (const rule of rules) {
      const group = byRule.get(rule) ?? { rule, transitions: {}, examples: [] };
      byRule.set(rule, group);
      const key = `${before}→${change.after}`;
      group.transitions[key] = (group.transitions[key] ?? 0) + 1;
      if (group.examples.length < examples) group.examples.push(change);
    }
  }
  report.rules = [...byRule.values()].sort((a, b) => total(b) - total(a) || a.rule.localeCompare(b.rule));
  return report;
}

const total = (g: RuleChanges) => Object.values(g.transitions).reduce((n, c) => n + c, 0);
