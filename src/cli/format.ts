import type { Decision } from "../action/decision.js";

const LABEL: Record<Decision["decision"], string> = { allow: "ALLOW", hold: "HOLD", deny: "DENY" };

function duration(seconds: number): string {
  if (seconds % 3600 === 0 && seconds >= 3600) return `${seconds / 3600} h`;
  if (seconds % 60 === 0 && seconds >= 60) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function approvalsLine(d: Decision): string | undefined {
  const a = d.approvals;
  if (!a) return undefined;
  const who = `${a.required} distinct approver${a.required === 1 ? "" : "s"}${a.groups ? ` from ${a.groups.join(" or ")}` : ""}`;
  const wait = a.delaySeconds > 0 ? `, then a ${duration(a.delaySeconds)} wait` : "";
  return `needs ${who}${wait}; the request expires after ${duration(a.expiresInSeconds)}`;
}

/** A Decision for a person reading a terminal. */
export function formatDecision(d: Decision, subject: string): string {
  const lines = [`${LABEL[d.decision]}  ${subject}`];
  const approvals = approvalsLine(d);
  if (approvals) lines.push(`  ${approvals}`);
  lines.push(
    `  risk: ${d.risk.reversibility}, blast radius ${d.risk.blastRadius}, environment ${d.risk.environment}`,
  );
  if (d.operations.length > 0) {
    lines.push("  operations:");
    for (const op of d.operations) lines.push(`    - ${op.summary}${op.opaque ? " [opaque]" : ""}`);
  }
  if (d.reasons.length > 0) {
    lines.push("  why:");
    for (const r of d.reasons) lines.push(`    - ${r}`);
  }
  if (d.code) lines.push(`  code: ${d.code}`);
  if (d.digest) lines.push(`  digest: ${d.digest}`);
  return lines.join("\n");
}

/** Exit status of `check --` and `check --json`: scripts can write `airlock check -- CMD && CMD`. */
export const EXIT_STATUS: Record<Decision["decision"], number> = { allow: 0, deny: 1, hold: 2 };
