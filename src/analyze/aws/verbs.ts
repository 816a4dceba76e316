import type { Reversibility } from "../../action/decision.js";
import type { Effect } from "../types.js";

/**
 * IAM's access level says Write for CreateStack and DeleteStack alike, so the verb an operation
 * name starts with decides what a Write does. Each class says why it is where it is.
 */
export type VerbClass =
  | "read"
  | "destroy"
  | "detach"
  | "disable"
  | "revoke"
  | "grant"
  | "reset"
  | "restore"
  | "rescue"
  | "cancel"
  | "create"
  | "change"
  | "execute";

export interface VerbRule {
  effect: Effect;
  reversibility: Reversibility;
  tags: readonly string[];
  /** Which of a target's radii applies: what losing it reaches, what changing it reaches, or one new thing. */
  reach: "destroy" | "change" | "create" | "none";
  /** For the summary, when no override says more. */
  note?: string;
}

export const VERB_RULES: Readonly<Record<VerbClass, VerbRule>> = {
  read: { effect: "read", reversibility: "reversible", tags: [], reach: "none" },
  // Delete, Terminate, Purge, Drop, Release (an Elastic IP is gone for good), Close (an account).
  destroy: { effect: "delete", reversibility: "irreversible", tags: [], reach: "destroy" },
  // Remove, Deregister, Detach, Disassociate: the thing survives and can be put back, but whatever
  // relied on the link (a target group, a route table, an instance's volume) stops working now.
  detach: {
    effect: "delete",
    reversibility: "recoverable",
    tags: [],
    reach: "destroy",
    note: "the thing survives, but whatever relied on the link stops working until it is restored",
  },
  // Stop, Reboot, Disable, Suspend, Failover: nothing is lost, but it is down until started again.
  disable: {
    effect: "write",
    reversibility: "recoverable",
    tags: ["outage"],
    reach: "destroy",
    note: "unavailable while it is stopped, rebooting or disabled",
  },
  // Revoke takes access away (a security group rule, a grant): a change of who may do what.
  revoke: { effect: "privilege", reversibility: "reversible", tags: [], reach: "change" },
  // Authorize and Grant add access (ec2:AuthorizeSecurityGroupIngress is only "Write" in IAM).
  grant: { effect: "privilege", reversibility: "reversible", tags: [], reach: "change" },
  // Reset overwrites settings with defaults: the old values are gone unless someone kept them.
  reset: {
    effect: "write",
    reversibility: "recoverable",
    tags: [],
    reach: "change",
    note: "settings go back to their defaults; the old values are gone unless someone kept them",
  },
  // Restore and Revert mostly build a new resource from a backup; a few overwrite one (see overrides).
  restore: { effect: "write", reversibility: "recoverable", tags: [], reach: "change" },
  // CancelKeyDeletion, RestoreSecret, Restore…FromRecycleBin undo a pending destruction.
  rescue: { effect: "write", reversibility: "reversible", tags: [], reach: "create" },
  // Cancel and Abort stop work in progress (a job, an upload, a spot request).
  cancel: { effect: "write", reversibility: "recoverable", tags: [], reach: "create" },
  // A new resource harms nothing that exists; deleting it undoes it.
  create: { effect: "write", reversibility: "reversible", tags: [], reach: "create" },
  change: { effect: "write", reversibility: "reversible", tags: [], reach: "change" },
  // Runs code (a Lambda function, a shell document, SQL) whose effect is not visible in the request.
  execute: { effect: "execute", reversibility: "recoverable", tags: [], reach: "change" },
};

/** Operation-name prefixes, lowercase; the longest match wins. */
const PREFIXES: ReadonlyArray<readonly [VerbClass, readonly string[]]> = [
  ["read", ["describe", "list", "get", "head", "search", "lookup", "view", "check", "validate", "preview"]],
  [
    "destroy",
    ["delete", "terminate", "purge", "drop", "destroy", "deprovision", "release", "wipe", "erase", "close"],
  ],
  ["destroy", ["discard", "empty", "truncate", "decommission", "leave"]],
  [
    "detach",
    ["remove", "deregister", "detach", "disassociate", "unassign", "unlink", "unregister", "unsubscribe"],
  ],
  [
    "disable",
    ["disable", "stop", "reboot", "restart", "suspend", "pause", "deactivate", "failover", "shutdown"],
  ],
  ["revoke", ["revoke"]],
  ["grant", ["authorize", "grant"]],
  ["reset", ["reset"]],
  ["restore", ["restore", "revert", "rollback"]],
  ["cancel", ["cancel", "abort"]],
  ["execute", ["invoke", "execute"]],
  [
    "create",
    [
      "create",
      "run",
      "launch",
      "allocate",
      "import",
      "copy",
      "register",
      "request",
      "provision",
      "add",
      "attach",
    ],
  ],
  ["create", ["associate", "enable", "start", "publish", "send", "upload", "generate", "tag", "untag"]],
  ["change", ["modify", "update", "put", "set", "change", "replace", "edit", "apply", "rotate", "upgrade"]],
];

const BY_PREFIX: ReadonlyArray<readonly [string, VerbClass]> = PREFIXES.flatMap(([cls, words]) =>
  words.map((w) => [w, cls] as const),
).sort((a, b) => b[0].length - a[0].length);

/** "Admin" and "Batch" qualify the verb that follows (AdminDeleteUser, BatchDeleteImage). */
const QUALIFIERS = /^(admin|batch|force)(?=[a-z])/;
const DELETION_REQUEST = /^(schedule|start|initiate)\w*deletion$/;
const RESCUE = /^(cancel\w*deletion|restore\w*fromrecyclebin|restoresecret|undelete\w*)$/;

export interface Verb {
  cls: VerbClass;
  /** For summaries: "deletes", "detaches", "schedules the deletion of". */
  phrase: string;
  /** What follows the verb, lowercase ("dbinstance" in DeleteDBInstance). */
  noun: string;
}

/** The verb class of an operation name such as "DeleteDBInstance"; undefined when unrecognised. */
export function verbOf(operation: string): Verb | undefined {
  const lower = operation.toLowerCase();
  const qualifier = QUALIFIERS.exec(lower)?.[0] ?? "";
  const rest = lower.slice(qualifier.length);
  if (RESCUE.test(rest)) return { cls: "rescue", phrase: "undoes the pending deletion of", noun: "" };
  if (DELETION_REQUEST.test(rest)) {
    const noun = rest.replace(/^(schedule|start|initiate)/, "").replace(/deletion$/, "");
    return { cls: "destroy", phrase: "schedules the deletion of", noun };
  }
  for (const [prefix, cls] of BY_PREFIX) {
    if (rest.startsWith(prefix)) {
      return { cls, phrase: thirdPerson(prefix), noun: rest.slice(prefix.length) };
    }
  }
  return undefined;
}

/** "delete" → "deletes", "detach" → "detaches": for summaries. */
function thirdPerson(verb: string): string {
  return /(s|sh|ch|x)$/.test(verb) ? `${verb}es` : `${verb}s`;
}
