import type { Operation } from "../types.js";
import { valueHints } from "./hints.js";
import { privilegeOf } from "./privilege.js";
import { statefulType } from "./stateful.js";

/** One entry of `resource_changes`, with only what the analysis reads. */
export interface ResourceChange {
  address: string;
  type: string;
  mode: string;
  actions: string[];
  reason?: string;
  replacePaths: string[];
  before: unknown;
  after: unknown;
  previousAddress?: string;
  importing: boolean;
}

/** The op verb, from `change.actions`; undefined for an action list Terraform does not produce. */
export type ChangeVerb = "create" | "update" | "delete" | "replace" | "read" | "forget" | "no-op";

const VERBS = new Map<string, ChangeVerb>([
  ["no-op", "no-op"],
  ["read", "read"],
  ["create", "create"],
  ["update", "update"],
  ["delete", "delete"],
  ["delete,create", "replace"],
  ["create,delete", "replace"],
  ["forget", "forget"],
]);

export function verbOf(actions: readonly string[]): ChangeVerb | undefined {
  return VERBS.get(actions.join(","));
}

const REASONS: Record<string, string> = {
  replace_because_tainted: "tainted (a failed create, or `terraform taint`)",
  replace_because_cannot_update: "a changed attribute cannot be updated in place",
  replace_by_request: "requested with -replace",
  replace_by_triggers: "replace_triggered_by fired",
  delete_because_no_resource_config: "its block was removed from the configuration",
  delete_because_wrong_repetition: "count/for_each was added or removed",
  delete_because_count_index: "count was lowered",
  delete_because_each_key: "its for_each key is gone",
  delete_because_no_module: "its module was removed",
  delete_because_no_move_target: "a moved block points nowhere",
  read_because_config_unknown: "config not known until apply",
  read_because_dependency_pending: "a dependency changes first",
  read_because_check_nested: "read for a check block",
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads one `resource_changes` entry; a string says what is wrong with it. */
export function readResourceChange(raw: unknown): ResourceChange | string {
  if (!isRecord(raw)) return "a resource change that is not an object";
  const { address, type, change } = raw;
  if (typeof address !== "string" || typeof type !== "string")
    return "a resource change without address or type";
  if (
    !isRecord(change) ||
    !Array.isArray(change.actions) ||
    !change.actions.every((a) => typeof a === "string")
  ) {
    return `${address}: no change.actions`;
  }
  const paths = Array.isArray(raw.replace_paths) ? raw.replace_paths : [];
  return {
    address,
    type,
    mode: typeof raw.mode === "string" ? raw.mode : "managed",
    actions: change.actions,
    ...(typeof raw.action_reason === "string" ? { reason: raw.action_reason } : {}),
    replacePaths: paths.map((p) => (Array.isArray(p) ? p.join(".") : String(p))),
    before: change.before,
    after: change.after,
    ...(typeof raw.previous_address === "string" ? { previousAddress: raw.previous_address } : {}),
    importing: change.importing !== undefined && change.importing !== null,
  };
}

function because(rc: ResourceChange): string {
  const parts: string[] = [];
  if (rc.reason) parts.push(`reason: ${REASONS[rc.reason] ?? rc.reason}`);
  if (rc.replacePaths.length > 0) parts.push(`forced by ${rc.replacePaths.slice(0, 5).join(", ")}`);
  if (rc.previousAddress) parts.push(`moved from ${rc.previousAddress}`);
  if (rc.importing) parts.push("imported");
  return parts.length > 0 ? `; ${parts.join("; ")}` : "";
}

/** Caveats read from the state being destroyed, so a reviewer knows what will really happen. */
function destroyNotes(rc: ResourceChange): string {
  const before = isRecord(rc.before) ? rc.before : {};
  const notes: string[] = [];
  if (before.force_destroy === true) notes.push("force_destroy: every object in it goes too");
  if (before.deletion_protection === true)
    notes.push("deletion_protection is on, so the apply fails unless it is turned off");
  if (before.skip_final_snapshot === true) notes.push("no final snapshot");
  if (before.recovery_window_in_days === 0) notes.push("no recovery window");
  return notes.length > 0 ? ` (${notes.join("; ")})` : "";
}

type Shape = Pick<Operation, "effect" | "reversibility" | "blastRadius" | "summary" | "tags">;

function destroyShape(rc: ResourceChange, verb: "delete" | "replace"): Shape {
  const stateful = statefulType(rc.type);
  const order =
    verb === "delete"
      ? undefined
      : rc.actions[0] === "delete"
        ? "delete-then-recreate"
        : "create-before-destroy";
  const tags: string[] = order ? [order] : [];
  const tail = `${because(rc)}${destroyNotes(rc)}`;
  let what: string;
  if (order === "delete-then-recreate") {
    what = `the old one is destroyed BEFORE the new one exists: downtime${stateful ? ` and loss of the ${stateful.category}'s data` : ""}`;
  } else if (order === "create-before-destroy") {
    what = `the new one is created first, then the old one is destroyed${stateful ? ` with its data unless migrated` : ""}`;
  } else {
    what = stateful
      ? `destroys the ${stateful.category} and its data`
      : "destroys it; applying the configuration again re-creates it";
  }
  if (!stateful) {
    const blastRadius = order === "delete-then-recreate" ? "service" : "resource";
    return {
      effect: "delete",
      reversibility: "recoverable",
      blastRadius,
      summary: `${verb} ${rc.address}: ${what}${tail}`,
      tags,
    };
  }
  tags.push("stateful", "data-loss");
  if (stateful.cancellable && rc.before && !(isRecord(rc.before) && rc.before.recovery_window_in_days === 0))
    tags.push("cancellable");
  const reversibility = tags.includes("cancellable") ? "recoverable" : "irreversible";
  if (
    rc.type === "aws_organizations_organization" ||
    (isRecord(rc.before) && rc.before.close_on_deletion === true)
  ) {
    tags.push("wipe");
  }
  const summary = `${verb} ${rc.address}: ${what} (${reversibility}${tags.includes("cancellable") ? ", within its deletion window" : ""})${tail}`;
  return { effect: "delete", reversibility, blastRadius: stateful.blastRadius, summary, tags };
}

function writeShape(rc: ResourceChange, verb: "create" | "update"): Shape {
  const privilege = privilegeOf(rc.type, rc.after);
  const tail = because(rc);
  if (privilege?.escalation) {
    const summary = `${verb} ${rc.address}: ${privilege.why}${tail}`;
    return {
      effect: "privilege",
      reversibility: "reversible",
      blastRadius: privilege.blastRadius,
      summary,
      tags: ["privilege-escalation"],
    };
  }
  if (privilege) {
    return {
      effect: "privilege",
      reversibility: "reversible",
      blastRadius: "service",
      summary: `${verb} ${rc.address}: changes access${tail}`,
    };
  }
  const stateful = verb === "update" ? statefulType(rc.type) : undefined;
  const how =
    verb === "create"
      ? "creates it"
      : stateful
        ? `changes the ${stateful.category} in place`
        : "changes it in place";
  return {
    effect: "write",
    reversibility: "reversible",
    blastRadius: stateful ? "service" : "resource",
    summary: `${verb} ${rc.address}: ${how}${tail}`,
  };
}

function shapeOf(rc: ResourceChange, verb: Exclude<ChangeVerb, "no-op">): Shape {
  switch (verb) {
    case "read":
      return {
        effect: "read",
        reversibility: "reversible",
        blastRadius: "none",
        summary: `read ${rc.address}${because(rc)}`,
      };
    case "forget": {
      const summary = `forget ${rc.address}: removed from the state only; the real resource keeps running, unmanaged`;
      return { effect: "write", reversibility: "reversible", blastRadius: "resource", summary };
    }
    case "create":
    case "update":
      return writeShape(rc, verb);
    default:
      return destroyShape(rc, verb);
  }
}

/** The operation for one resource change that does something. */
export function changeOperation(rc: ResourceChange, verb: Exclude<ChangeVerb, "no-op">): Operation {
  const shape = shapeOf(rc, verb);
  const hints = [rc.address];
  if (rc.previousAddress) hints.push(rc.previousAddress);
  valueHints(verb === "create" ? rc.after : rc.before, hints);
  if (verb !== "create") valueHints(rc.after, hints);
  const { tags, ...rest } = shape;
  return {
    kind: "terraform-plan",
    name: `${verb} ${rc.type}`,
    ...rest,
    targets: [{ type: rc.type, name: rc.address }],
    ...(tags && tags.length > 0 ? { tags } : {}),
    envHints: hints,
  };
}
