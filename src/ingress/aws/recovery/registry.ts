import type { Params } from "../params.js";
import type { PreviewContext } from "../previews/registry.js";
import { dynamodbBackup } from "./dynamodb.js";
import { ebsSnapshots } from "./ec2.js";
import { finalSnapshot } from "./rds.js";
import { objectVersions } from "./s3.js";

/**
 * Recovery points (the policy's `snapshotBeforeDelete`): before the endpoint forwards a released
 * destruction, airlock itself makes sure it can be undone (a final RDS snapshot, a DynamoDB backup,
 * EBS snapshots of the instance's volumes, S3 versioning that keeps what is deleted). Each point's id
 * goes into the audit log and onto the request's page with how to restore. If it cannot be taken,
 * the call is not forwarded.
 */
export interface RecoverySettings {
  skipFinalSnapshot: "rewrite" | "refuse";
}

export interface RecoveryContext extends PreviewContext {
  /** The released request (`r_…`): airlock's recovery points are named after it. */
  requestId: string;
}

export interface RecoveryPoint {
  /** What it is: "RDS DB snapshot", "DynamoDB backup", "EBS snapshot", "S3 versioning". */
  kind: string;
  /** Its id upstream (snapshot id, backup ARN, snapshot id, bucket). */
  id: string;
  /** Of what. */
  of: string;
  /** The command that restores from it. */
  restore: string;
}

export interface Taken {
  points: RecoveryPoint[];
  /** Form parameters to send instead of the agent's (an RDS deletion asked to keep a final snapshot). */
  rewrite?: Record<string, string>;
}

export interface RecoveryKind {
  /** What the approvers read before they approve, or a refusal when the policy forbids the call as sent. */
  plan(params: Params, settings: RecoverySettings): { plan: string } | { refuse: string };
  take(params: Params, ctx: RecoveryContext): Promise<Taken>;
}

const KINDS: Readonly<Record<string, RecoveryKind>> = {
  "rds:DeleteDBInstance": finalSnapshot("instance"),
  "rds:DeleteDBCluster": finalSnapshot("cluster"),
  "dynamodb:DeleteTable": dynamodbBackup,
  "ec2:TerminateInstances": ebsSnapshots,
  "s3:DeleteObjects": objectVersions,
  "s3:DeleteObject": objectVersions,
};

export function recoveryKindOf(operation: string): RecoveryKind | undefined {
  return Object.hasOwn(KINDS, operation) ? KINDS[operation] : undefined;
}

/** `r_AbC-9` → `airlock-r-abc-9`: a name every service accepts (letters, digits, single hyphens). */
export function recoveryName(requestId: string): string {
  const name = `airlock-${requestId}`.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  // Trailing hyphens cut by hand: /-+$/ backtracks quadratically on a long run of them.
  let end = name.length;
  while (end > 0 && name[end - 1] === "-") end--;
  return name.slice(0, end);
}
