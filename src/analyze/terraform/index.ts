import type { TerraformPlanAction } from "../../action/schema.js";
import { blastRank } from "../aggregate.js";
import { opaqueOperation } from "../finding.js";
import type { Analysis, AnalysisStatus, Operation } from "../types.js";
import { type ChangeVerb, changeOperation, readResourceChange, verbOf } from "./change.js";
import { planHints } from "./hints.js";

/**
 * A saved plan as `terraform show -json` (or `tofu show -json`) prints it: one operation per
 * resource change that does something. The replace order is what matters most here: the incident
 * that started this project was an agent choosing to "delete and recreate" a production environment.
 */

/** More destroys than this in one plan is a bulk change, at least environment-wide. */
const BULK_DESTROYS = 10;
/** Beyond this many resource changes the rest is summarised as one opaque operation. */
const MAX_CHANGES = 5000;
const SUPPORTED_FORMAT = /^[01]\.\d+$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function planOp(name: string, summary: string, extra: Partial<Operation> = {}): Operation {
  return opaqueOperation("terraform-plan", name, summary, extra);
}

function opaque(summary: string, notes: string[]): Analysis {
  return { status: "opaque", operations: [planOp("plan", summary)], envHints: [], notes };
}

type Counts = Record<Exclude<ChangeVerb, "no-op">, number>;

function countNote(counts: Counts): string {
  const { create, update, replace, delete: destroy, read, forget } = counts;
  const extra = [read ? `${read} to read` : "", forget ? `${forget} to forget` : ""].filter(Boolean);
  return [
    `${create} to create, ${update} to update, ${replace} to replace, ${destroy} to delete`,
    ...extra,
  ].join(", ");
}

function resourceOps(changes: unknown[], notes: string[]): { ops: Operation[]; limited: boolean } {
  const ops: Operation[] = [];
  const counts: Counts = { create: 0, update: 0, replace: 0, delete: 0, read: 0, forget: 0 };
  for (const raw of changes.slice(0, MAX_CHANGES)) {
    const rc = readResourceChange(raw);
    if (typeof rc === "string") {
      ops.push(planOp("unknown change", `could not read a resource change: ${rc}`));
      continue;
    }
    const verb = verbOf(rc.actions);
    if (verb === undefined) {
      ops.push(
        planOp(`unknown ${rc.type}`, `${rc.address}: unrecognised actions [${rc.actions.join(", ")}]`, {
          targets: [{ type: rc.type, name: rc.address }],
        }),
      );
      continue;
    }
    if (verb === "no-op") {
      if (rc.previousAddress) notes.push(`${rc.previousAddress} moved to ${rc.address} (state only)`);
      if (rc.importing) notes.push(`${rc.address} imported (state only)`);
      continue;
    }
    counts[verb]++;
    ops.push(changeOperation(rc, verb));
  }
  notes.push(countNote(counts));
  const destroys = ops.filter((op) => op.effect === "delete");
  if (destroys.length > BULK_DESTROYS) {
    for (const op of destroys) {
      op.tags = [...(op.tags ?? []), "bulk"];
      if (blastRank(op.blastRadius) < blastRank("environment")) op.blastRadius = "environment";
    }
    notes.push(`${destroys.length} resources destroyed in one plan: treated as environment-wide`);
  }
  const limited = changes.length > MAX_CHANGES;
  if (limited)
    ops.push(planOp("unknown change", `${changes.length - MAX_CHANGES} more resource changes not analysed`));
  return { ops, limited };
}

function sideOps(plan: Record<string, unknown>, notes: string[]): Operation[] {
  const ops: Operation[] = [];
  const outputs = isRecord(plan.output_changes) ? Object.entries(plan.output_changes) : [];
  const changed = outputs.filter(
    ([, o]) => isRecord(o) && Array.isArray(o.actions) && o.actions.join() !== "no-op",
  );
  if (changed.length > 0) {
    const names = changed
      .map(([name]) => name)
      .slice(0, 10)
      .join(", ");
    ops.push({
      kind: "terraform-plan",
      name: "read outputs",
      effect: "read",
      summary: `${changed.length} output value(s) change (${names}): no infrastructure is touched`,
      reversibility: "reversible",
      blastRadius: "none",
      targets: [],
    });
  }
  // Terraform 1.14 `action` blocks: provider-defined side effects the plan does not describe.
  for (const invocation of Array.isArray(plan.action_invocations) ? plan.action_invocations : []) {
    const type = isRecord(invocation) && typeof invocation.type === "string" ? invocation.type : "action";
    const address =
      isRecord(invocation) && typeof invocation.address === "string" ? invocation.address : type;
    ops.push(
      planOp(
        `invoke ${type}`,
        `invoke ${address}: runs a provider action whose effect the plan does not show`,
        { targets: [{ type, name: address }] },
      ),
    );
  }
  const drift = Array.isArray(plan.resource_drift) ? plan.resource_drift.length : 0;
  if (drift > 0)
    notes.push(`${drift} resource(s) changed outside Terraform (drift; not applied by this plan)`);
  const deferred = Array.isArray(plan.deferred_changes) ? plan.deferred_changes : [];
  for (const d of deferred.slice(0, 20)) {
    const rc = isRecord(d) ? readResourceChange(d.resource_change) : "";
    const reason = isRecord(d) && typeof d.reason === "string" ? d.reason : "unknown reason";
    if (typeof rc !== "string")
      notes.push(`deferred to a later plan: ${rc.actions.join("+")} ${rc.address} (${reason})`);
  }
  if (plan.complete === false)
    notes.push("Terraform marked this plan incomplete: another plan and apply will follow");
  if (plan.applyable === false) notes.push("Terraform marked this plan as not applyable");
  return ops;
}

function analyzePlan(plan: unknown): Analysis {
  if (!isRecord(plan)) return opaque("not a plan: the plan is not a JSON object", ["not an object"]);
  const notes: string[] = [];
  const version = plan.format_version;
  const tool = typeof plan.terraform_version === "string" ? ` from ${plan.terraform_version}` : "";
  notes.push(typeof version === "string" ? `plan format ${version}${tool}` : "no format_version");
  const changes = plan.resource_changes;
  if (
    (changes === undefined && plan.planned_values === undefined) ||
    (changes !== undefined && !Array.isArray(changes))
  ) {
    return opaque(
      "not a plan: no resource_changes or planned_values (is this `terraform show -json PLANFILE`?)",
      notes,
    );
  }
  const { ops, limited } = resourceOps(Array.isArray(changes) ? changes : [], notes);
  ops.push(...sideOps(plan, notes));
  let status: AnalysisStatus = limited ? "limited" : ops.some((op) => op.opaque) ? "partial" : "complete";
  if (typeof version === "string" && !SUPPORTED_FORMAT.test(version)) {
    ops.push(planOp("plan", `plan format ${version} is newer than this analysis understands`));
    status = "partial";
  }
  if (plan.errored === true) {
    ops.push(
      planOp("plan", "the plan errored: what it would do is incomplete, and Terraform will not apply it"),
    );
    status = "partial";
  }
  if (ops.length === 0) notes.push("no changes");
  return { status, operations: ops, envHints: planHints(plan), notes };
}

/** Never throws: an internal fault becomes an opaque operation. */
export function analyzeTerraformPlan(action: TerraformPlanAction): Analysis {
  try {
    return analyzePlan(action.plan);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return opaque(`could not analyse the plan: ${reason}`, ["analysis failed"]);
  }
}
