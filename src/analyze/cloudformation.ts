import type { CloudFormationChangeSetAction } from "../action/schema.js";
import { asArray, asDocument, asString, field, isRecord } from "./aws/params.js";
import { adminGrantIn, allowsEveryone } from "./aws/policy-doc.js";
import { type ResourceTypeInfo, resourceTypeInfo } from "./aws/resource-types.js";
import { narrower, radiusOfCount, wider } from "./aws/targets.js";
import type { Analysis, Operation } from "./types.js";

/**
 * The cloudformation-changeset analyzer: the output of DescribeChangeSet (docs/kinds/
 * cloudformation-changeset.md), one operation per `Changes[].ResourceChange`, named by what happens
 * to the resource ("Remove AWS::RDS::DBInstance", "Replace AWS::S3::Bucket", "Add AWS::SQS::Queue").
 */
export function analyzeChangeSet(action: CloudFormationChangeSetAction): Analysis {
  try {
    const changeSet: unknown = action.changeSet;
    const hints = ["StackName", "ChangeSetName", "StackId"]
      .map((key) => asString(field(changeSet, key)))
      .filter((h): h is string => h !== undefined);
    const changes = field(changeSet, "Changes");
    if (!Array.isArray(changes)) {
      return opaque("the change set has no Changes list: is it the output of DescribeChangeSet?", hints);
    }
    const operations = changes.map(changeOperation);
    widenForBulk(operations);
    const notes = [
      `${changes.length} change(s) in change set ${asString(field(changeSet, "ChangeSetName")) ?? "?"}`,
    ];
    const status = asString(field(changeSet, "Status"));
    if (status && status !== "CREATE_COMPLETE") notes.push(`change set status ${status}`);
    if (field(changeSet, "NextToken") !== undefined) {
      operations.push(
        unseen("more changes are on the next page (NextToken): describe the rest before deciding"),
      );
    }
    const anyOpaque = operations.some((op) => op.opaque);
    return { status: anyOpaque ? "partial" : "complete", operations, envHints: hints, notes };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return opaque(`internal error while analysing the change set (${message})`, []);
  }
}

/** Many destructive changes at once reach further than any one of them. */
function widenForBulk(operations: Operation[]): void {
  const destructive = operations.filter((op) => op.effect === "delete");
  if (destructive.length <= 5) return;
  for (const op of destructive) {
    op.blastRadius = wider(op.blastRadius, radiusOfCount(destructive.length));
    if (!op.tags?.includes("bulk")) op.tags = [...(op.tags ?? []), "bulk"];
  }
}

function changeOperation(change: unknown): Operation {
  const rc = field(change, "ResourceChange");
  const type = field(change, "Type");
  if (!isRecord(rc) || (type !== undefined && type !== "Resource")) {
    return unseen(`a change of type ${String(type)} that airlock does not know`);
  }
  const resourceType = asString(field(rc, "ResourceType")) ?? "unknown resource type";
  const logical = asString(field(rc, "LogicalResourceId")) ?? "?";
  const physical = asString(field(rc, "PhysicalResourceId"));
  const info = resourceTypeInfo(resourceType);
  const what = `${resourceType} ${logical}${physical ? ` (${physical})` : ""}`;
  const judged = judge(rc, info, what);
  const op: Operation = {
    kind: "cloudformation-changeset",
    name: `${judged.verb} ${resourceType}`,
    effect: judged.effect,
    summary: judged.summary,
    reversibility: judged.reversibility,
    blastRadius: judged.blastRadius,
    targets: [{ type: resourceType, name: logical }],
    envHints: physical ? [logical, physical] : [logical],
  };
  if (judged.tags && judged.tags.length > 0) op.tags = judged.tags;
  if (judged.opaque) op.opaque = true;
  return op;
}

const ACTIONS = ["Add", "Modify", "Remove", "Import", "Dynamic"];
const POLICY_ACTIONS = [
  "Delete",
  "Retain",
  "Snapshot",
  "ReplaceAndDelete",
  "ReplaceAndRetain",
  "ReplaceAndSnapshot",
];
const REPLACEMENTS = ["True", "False", "Conditional"];

/** The API's own spelling of an enum value given in any case ("remove" → "Remove"); else as given. */
function canonical(value: unknown, spellings: readonly string[]): string | undefined {
  const text = asString(value);
  return spellings.find((s) => s.toLowerCase() === text?.toLowerCase()) ?? text;
}

type Judged = Omit<Operation, "kind" | "name" | "targets" | "envHints"> & { verb: string };

function judge(rc: Record<string, unknown>, info: ResourceTypeInfo, what: string): Judged {
  const action = canonical(field(rc, "Action"), ACTIONS);
  const policy = canonical(field(rc, "PolicyAction"), POLICY_ACTIONS);
  const replacement = canonical(field(rc, "Replacement"), REPLACEMENTS);
  switch (action) {
    case "Add":
    case "Import":
      return added(action, rc, info, what);
    case "Remove":
      return removed(policy, info, what);
    case "Modify":
      return replacement === "True" || replacement === "Conditional"
        ? replaced(replacement, policy, rc, info, what)
        : modified(rc, info, what);
    case "Dynamic":
      return {
        verb: "Dynamic",
        effect: "write",
        reversibility: "recoverable",
        blastRadius: info.blast,
        opaque: true,
        summary: `${what}: CloudFormation decides at execution time whether to modify or replace it (Action Dynamic)`,
      };
    default:
      return {
        verb: "Change",
        effect: "delete",
        reversibility: "irreversible",
        blastRadius: info.blast,
        opaque: true,
        summary: `${what}: unknown change action ${String(action)}`,
      };
  }
}

function added(action: string, rc: Record<string, unknown>, info: ResourceTypeInfo, what: string): Judged {
  const grant = info.privilege ? privilegeFinding(rc) : undefined;
  return {
    verb: action,
    effect: info.privilege ? "privilege" : "write",
    reversibility: "reversible",
    blastRadius: grant ? "account" : "resource",
    ...(grant ? { tags: grant.tags } : {}),
    summary: `${what}: ${action === "Add" ? "created" : "imported into the stack"}${grant ? `; ${grant.reason}` : ""}`,
  };
}

function removed(policy: string | undefined, info: ResourceTypeInfo, what: string): Judged {
  if (policy === "Retain") {
    return {
      verb: "Remove",
      effect: "write",
      reversibility: "recoverable",
      blastRadius: "resource",
      summary: `${what}: leaves the stack but is kept (DeletionPolicy Retain)`,
    };
  }
  const snapshot = policy === "Snapshot";
  return {
    verb: "Remove",
    effect: "delete",
    reversibility: snapshot ? "recoverable" : "irreversible",
    blastRadius: info.blast,
    tags: stateTags(info, !snapshot),
    summary: snapshot
      ? `${what}: deleted after a final snapshot (DeletionPolicy Snapshot)`
      : `${what}: deleted${info.data ? " with its data" : ""} (DeletionPolicy Delete)`,
  };
}

function replaced(
  replacement: string,
  policy: string | undefined,
  rc: Record<string, unknown>,
  info: ResourceTypeInfo,
  what: string,
): Judged {
  const may = replacement === "Conditional" ? "may be replaced" : "is replaced";
  const cause = recreationCauses(rc);
  const because = cause ? ` because ${cause} changes` : "";
  if (policy === "ReplaceAndRetain" || policy === "Retain") {
    return {
      verb: "Replace",
      effect: "write",
      reversibility: "recoverable",
      blastRadius: narrower(info.blast, "service"),
      tags: ["create-before-destroy"],
      summary: `${what} ${may}${because}: a new one is created and the old one kept (UpdateReplacePolicy Retain)`,
    };
  }
  const snapshot = policy === "ReplaceAndSnapshot" || policy === "Snapshot";
  const lost = info.data && !snapshot;
  return {
    verb: "Replace",
    effect: "delete",
    reversibility: lost ? "irreversible" : "recoverable",
    blastRadius: info.blast,
    tags: ["create-before-destroy", ...stateTags(info, lost)],
    summary: `${what} ${may}${because}: a new one is created, then the old one deleted${
      snapshot ? " after a snapshot" : info.data ? ", with its data: the new one starts empty" : ""
    }`,
  };
}

function modified(rc: Record<string, unknown>, info: ResourceTypeInfo, what: string): Judged {
  if (field(rc, "ResourceType") === NESTED_STACK) return nestedStack(rc, what);
  const scope = asArray(field(rc, "Scope")).map(String);
  const tagsOnly = scope.length > 0 && scope.every((s) => s === "Tags");
  const grant = info.privilege ? privilegeFinding(rc) : undefined;
  let blast = tagsOnly ? ("resource" as const) : narrower(info.blast, "service");
  if (grant) blast = "account";
  return {
    verb: "Modify",
    effect: info.privilege && !tagsOnly ? "privilege" : "write",
    reversibility: "reversible",
    blastRadius: blast,
    ...(grant ? { tags: grant.tags } : {}),
    summary: `${what}: updated in place (${scope.join(", ") || "no scope given"})${grant ? `; ${grant.reason}` : ""}`,
  };
}

const NESTED_STACK = "AWS::CloudFormation::Stack";

/** A nested stack updated in place may delete anything inside it: its own change set says what. */
function nestedStack(rc: Record<string, unknown>, what: string): Judged {
  const nested = asString(field(rc, "ChangeSetId"));
  return {
    verb: "Modify",
    effect: "write",
    reversibility: "recoverable",
    blastRadius: "environment",
    opaque: true,
    summary: `${what}: a nested stack is updated; what changes inside it is in ${
      nested ? `its own change set (${nested})` : "its own change set"
    }: describe that too`,
  };
}

function stateTags(info: ResourceTypeInfo, lost: boolean): string[] {
  const tags: string[] = [];
  if (info.stateful) tags.push("stateful");
  if (info.data && lost) tags.push("data-loss");
  return tags;
}

/** The properties whose change forces a new resource, from Details[].Target. */
function recreationCauses(rc: Record<string, unknown>): string | undefined {
  const names = asArray(field(rc, "Details"))
    .map((d) => field(d, "Target"))
    .filter((t) => /^(Always|Conditionally)$/.test(String(field(t, "RequiresRecreation"))))
    .map((t) => asString(field(t, "Name")) ?? asString(field(t, "Attribute")))
    .filter((n): n is string => n !== undefined);
  return names.length > 0 ? [...new Set(names)].slice(0, 3).join(", ") : undefined;
}

/** With IncludePropertyValues, AfterContext shows the new properties: an admin grant is escalation. */
function privilegeFinding(rc: Record<string, unknown>): { tags: string[]; reason: string } | undefined {
  const after = asDocument(field(rc, "AfterContext"));
  const grant = adminGrantIn(after);
  if (grant) return { tags: ["privilege-escalation"], reason: grant };
  if (allowsEveryone(field(after, "AssumeRolePolicyDocument"))) {
    return {
      tags: ["privilege-escalation", "public"],
      reason: 'the trust policy lets anyone (Principal "*") assume it',
    };
  }
  return undefined;
}

/** A change airlock cannot see is read as the worst it could be: an irreversible delete. */
function unseen(reason: string): Operation {
  return {
    kind: "cloudformation-changeset",
    name: "Unknown change",
    effect: "delete",
    summary: reason,
    reversibility: "irreversible",
    blastRadius: "service",
    targets: [],
    opaque: true,
  };
}

function opaque(reason: string, hints: string[]): Analysis {
  return { status: "opaque", operations: [unseen(reason)], envHints: hints, notes: [reason] };
}
