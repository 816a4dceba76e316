import type { Target } from "../types.js";
import { asArray, field, fieldAt, isRecord, type Params, squash } from "./params.js";

/** Parameters that name what a call acts on, squashed, with the target type they name. */
const TARGET_KEYS: ReadonlyMap<string, string> = new Map([
  ["stackname", "stack"],
  ["changesetname", "change-set"],
  ["dbinstanceidentifier", "db-instance"],
  ["dbclusteridentifier", "db-cluster"],
  ["globalclusteridentifier", "global-cluster"],
  ["clusteridentifier", "cluster"],
  ["replicationgroupid", "replication-group"],
  ["cacheclusterid", "cache-cluster"],
  ["bucket", "bucket"],
  ["tablename", "table"],
  ["functionname", "function"],
  ["clustername", "cluster"],
  ["cluster", "cluster"],
  ["service", "service"],
  ["nodegroupname", "nodegroup"],
  ["autoscalinggroupname", "autoscaling-group"],
  ["instanceids", "instance"],
  ["instanceid", "instance"],
  ["volumeid", "volume"],
  ["volumeids", "volume"],
  ["snapshotid", "snapshot"],
  ["imageid", "image"],
  ["vpcid", "vpc"],
  ["subnetid", "subnet"],
  ["groupid", "security-group"],
  ["keyid", "kms-key"],
  ["secretid", "secret"],
  ["hostedzoneid", "hosted-zone"],
  ["filesystemid", "file-system"],
  ["repositoryname", "repository"],
  ["loggroupname", "log-group"],
  ["queueurl", "queue"],
  ["topicarn", "topic"],
  ["rolename", "role"],
  ["username", "user"],
  ["groupname", "group"],
  ["policyarn", "policy"],
  ["loadbalancerarn", "load-balancer"],
  ["targetgrouparn", "target-group"],
  ["statemachinearn", "state-machine"],
  ["userpoolid", "user-pool"],
  ["domainname", "domain"],
  ["streamname", "stream"],
  ["jobflowids", "cluster"],
  ["environmentname", "environment"],
  ["accountid", "account"],
  ["resourcearn", "resource"],
  ["name", ""],
  ["names", ""],
]);

/** Keys whose string values name things and may tell the environment. Never secrets. */
const HINT_KEY =
  /(name|names|identifier|identifiers|id|ids|arn|arns|bucket|key|url|cluster|service|stack|table|function|queue|topic|alias|domain|path)$/;
const SECRET_KEY =
  /(password|secretstring|secretbinary|token|apikey|privatekey|credential|secretaccesskey|plaintext)/;
/** Arrays that list one target per element: 40 instance ids are 40 targets. */
const COUNT_KEY =
  /(ids|names|arns|identifiers|objects|changes|entries|items|resources|instances|targets|keys)$/;
/** Lists that say what a call is wired to (its security groups, subnets), not what it acts on. */
const NOT_COUNTED = /^(tag|filter)|securitygroup|subnet/;

export const MAX_HINTS = 200;
export const MAX_TARGETS = 50;
const MAX_NODES = 5000;

/** Targets named by well-known parameters, `fallbackType` for a bare `Name`. */
export function targetsOf(params: Params, fallbackType: string): { targets: Target[]; more: number } {
  const targets: Target[] = [];
  let more = 0;
  const bucket = field(params, "Bucket");
  for (const [key, value] of Object.entries(params)) {
    const type = TARGET_KEYS.get(squash(key));
    if (type === undefined) continue;
    for (const name of Array.isArray(value) ? value : [value]) {
      if (typeof name !== "string" && typeof name !== "number") continue;
      if (targets.length < MAX_TARGETS) targets.push({ type: type || fallbackType, name: String(name) });
      else more++;
    }
  }
  const push = (type: string, name: unknown) => {
    if (typeof name !== "string") return;
    if (targets.length < MAX_TARGETS) targets.push({ type, name });
    else more++;
  };
  const prefix = typeof bucket === "string" ? `${bucket}/` : "";
  if (prefix)
    push("object", typeof field(params, "Key") === "string" ? `${prefix}${field(params, "Key")}` : undefined);
  for (const object of asArray(fieldAt(params, "Delete", "Objects")))
    push("object", `${prefix}${field(object, "Key")}`);
  for (const change of asArray(fieldAt(params, "ChangeBatch", "Changes"))) {
    push("record", fieldAt(change, "ResourceRecordSet", "Name"));
  }
  return { targets, more };
}

/** The largest list of targets in one call (DeleteObjects' Delete.Objects, a change batch, RequestItems). */
export function countTargets(params: Params): number {
  let largest = 0;
  const visit = (value: unknown, depth: number): void => {
    if (!isRecord(value) || depth > 3) return;
    for (const [key, child] of Object.entries(value)) {
      const name = squash(key);
      if (NOT_COUNTED.test(name)) continue;
      if (Array.isArray(child) && COUNT_KEY.test(name)) largest = Math.max(largest, child.length);
      else if (name === "requestitems" && isRecord(child)) {
        let sum = 0;
        for (const list of Object.values(child)) sum += asArray(list).length;
        largest = Math.max(largest, sum);
      } else if (Array.isArray(child)) for (const item of child.slice(0, 100)) visit(item, depth + 1);
      else visit(child, depth + 1);
    }
  };
  visit(params, 0);
  return largest;
}

/**
 * Every name, identifier and ARN in the request, plus resource tag values and DynamoDB table names
 * used as keys; the core turns them into an environment. Region is deliberately not a hint.
 */
export function hintsOf(params: Params): string[] {
  const hints = new Set<string>();
  let nodes = 0;
  const add = (text: string): void => {
    if (hints.size < MAX_HINTS && text.length > 0 && text.length <= 512) hints.add(text);
  };
  const visit = (value: unknown, key: string, depth: number): void => {
    if (++nodes > MAX_NODES || depth > 6 || hints.size >= MAX_HINTS) return;
    if (typeof value === "string") {
      if (HINT_KEY.test(key) && !SECRET_KEY.test(key)) add(value);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(item, key, depth + 1);
      return;
    }
    if (!isRecord(value)) return;
    if (key.includes("tag") || isTagFilter(value)) tagValues(value, add);
    if (key === "requestitems") for (const table of Object.keys(value)) add(table);
    for (const [childKey, child] of Object.entries(value)) {
      const name = squash(childKey);
      if (!SECRET_KEY.test(name)) visit(child, name, depth + 1);
    }
  };
  visit(params, "", 0);
  return [...hints];
}

/** SSM targets and EC2 filters select by tag: `{Key: "tag:Environment", Values: ["prod"]}`. */
function isTagFilter(value: Record<string, unknown>): boolean {
  const selector = field(value, "Key") ?? field(value, "Name");
  return typeof selector === "string" && /^tag:/i.test(selector);
}

/** `{Key: "env", Value: "prod"}`, `{Key: "tag:env", Values: ["prod"]}` and `{env: "prod"}` tag shapes. */
function tagValues(tag: Record<string, unknown>, add: (text: string) => void): void {
  const value = field(tag, "Value");
  if (typeof value === "string") add(value);
  for (const v of asArray(field(tag, "Values"))) if (typeof v === "string") add(v);
  if (field(tag, "Key") === undefined) {
    for (const v of Object.values(tag)) if (typeof v === "string") add(v);
  }
}
