import type { Override } from "./overrides.js";
import {
  asArray,
  asNumber,
  asString,
  field,
  fieldAt,
  firstField,
  isFalse,
  isTrue,
  type Params,
} from "./params.js";

/** Rows about data, capacity and whole environments: what deletes, what survives, what goes down. */

function isZero(value: unknown): boolean {
  return asNumber(value) === 0;
}

/** Database deletes that keep a final snapshot are recoverable; without one the data is gone. */
function finalSnapshotRows(
  actions: readonly string[],
  skip: string | undefined,
  snapshot: string,
): Override[] {
  const skipped = (p: Params) => skip !== undefined && isTrue(field(p, skip));
  const named = (p: Params) => asString(field(p, snapshot));
  return [
    {
      actions,
      when: skipped,
      reversibility: "irreversible",
      tags: ["data-loss"],
      reason: `${skip}: no final snapshot is taken, the data is gone`,
    },
    {
      actions,
      when: (p) => !skipped(p) && named(p) !== undefined,
      reversibility: "recoverable",
      reason: (p) => `a final snapshot (${named(p)}) is taken and can be restored`,
    },
    {
      actions,
      when: (p) => !skipped(p) && named(p) === undefined,
      reversibility: "irreversible",
      tags: ["data-loss"],
      reason: `no ${snapshot} is given, so no final snapshot is named`,
    },
  ];
}

const CAPACITY_ZERO = "nothing serves until it is scaled back up";
const FIRST_LAST_CHANCE =
  "takes every resource the stack created with it, except those with DeletionPolicy Retain";

export const DATA_OVERRIDES: readonly Override[] = [
  {
    // The December 2025 incident: "delete and recreate" a production environment.
    actions: ["elasticbeanstalk:RebuildEnvironment", "elasticbeanstalk:TerminateEnvironment"],
    effect: "delete",
    reversibility: "irreversible",
    blastRadius: "environment",
    tags: ["stateful", "data-loss", "delete-then-recreate"],
    reason:
      "deletes every resource of the environment (instances, load balancer, security groups) and a database coupled to it",
  },
  {
    actions: ["cloudformation:DeleteStack"],
    effect: "delete",
    reversibility: "irreversible",
    blastRadius: "environment",
    tags: ["stateful"],
    reason: (p) =>
      field(p, "RetainResources") === undefined
        ? FIRST_LAST_CHANCE
        : `${FIRST_LAST_CHANCE} or listed in RetainResources`,
  },
  {
    actions: [
      "cloudformation:UpdateStack",
      "cloudformation:ExecuteChangeSet",
      "cloudformation:ContinueUpdateRollback",
    ],
    effect: "write",
    reversibility: "recoverable",
    blastRadius: "environment",
    reason:
      "what it changes depends on the template: review the change set (DescribeChangeSet, the cloudformation-changeset kind)",
  },
  {
    actions: ["cloudformation:CreateChangeSet"],
    effect: "write",
    reversibility: "reversible",
    blastRadius: "resource",
    reason: "only proposes changes; nothing changes until ExecuteChangeSet",
  },
  {
    actions: ["cloudformation:DeleteStackInstances"],
    when: (p) => isTrue(field(p, "RetainStacks")),
    reversibility: "recoverable",
    reason: "RetainStacks: the stacks leave the stack set but keep their resources",
  },
  {
    actions: ["kms:ScheduleKeyDeletion"],
    effect: "delete",
    reversibility: "recoverable",
    blastRadius: "environment",
    tags: ["stateful", "cancellable"],
    reason: (p) =>
      `KMS waits ${asNumber(field(p, "PendingWindowInDays")) ?? 30} days (PendingWindowInDays, 7–30) and CancelKeyDeletion restores the key; after that, everything encrypted under it is unreadable for good`,
  },
  {
    actions: ["kms:DisableKey"],
    blastRadius: "environment",
    tags: ["outage"],
    reason: "everything encrypted under the key is unreadable until EnableKey",
  },
  ...finalSnapshotRows(
    ["rds:DeleteDBInstance", "rds:DeleteDBCluster"],
    "SkipFinalSnapshot",
    "FinalDBSnapshotIdentifier",
  ),
  ...finalSnapshotRows(
    ["redshift:DeleteCluster"],
    "SkipFinalClusterSnapshot",
    "FinalClusterSnapshotIdentifier",
  ),
  ...finalSnapshotRows(
    ["elasticache:DeleteReplicationGroup", "elasticache:DeleteCacheCluster"],
    undefined,
    "FinalSnapshotIdentifier",
  ),
  ...finalSnapshotRows(
    ["memorydb:DeleteCluster", "elasticache:DeleteServerlessCache"],
    undefined,
    "FinalSnapshotName",
  ),
  {
    actions: ["rds:DeleteDBInstance"],
    when: (p) => !isFalse(field(p, "DeleteAutomatedBackups")),
    reason: "automated backups are deleted with it (DeleteAutomatedBackups defaults to true)",
  },
  {
    actions: ["rds:ModifyDBInstance", "rds:ModifyDBCluster"],
    when: (p) => field(p, "MasterUserPassword") !== undefined,
    effect: "privilege",
    reason: "resets the master user's password: whoever sets it owns the database",
  },
  {
    actions: ["rds:ModifyDBInstance", "rds:ModifyDBCluster"],
    when: (p) => isZero(field(p, "BackupRetentionPeriod")),
    effect: "delete",
    reversibility: "irreversible",
    tags: ["data-loss"],
    reason: "BackupRetentionPeriod 0 turns off automated backups and deletes the existing ones",
  },
  {
    actions: ["rds:ModifyDBInstance", "rds:ModifyDBCluster"],
    when: (p) => isFalse(field(p, "DeletionProtection")),
    atLeast: "environment",
    reason: "turns off deletion protection, the usual step before deleting the database",
  },
  {
    actions: ["rds:ModifyDBInstance", "rds:ModifyDBCluster"],
    when: (p) =>
      isTrue(field(p, "ApplyImmediately")) &&
      firstField(p, [
        "DBInstanceClass",
        "AllocatedStorage",
        "StorageType",
        "EngineVersion",
        "NewDBInstanceIdentifier",
      ]) !== undefined,
    tags: ["outage"],
    reason: "ApplyImmediately: the change (and its restart) happens now, not in the maintenance window",
  },
  {
    actions: ["rds:ModifyDBInstance", "rds:ModifyDBCluster"],
    when: (p) => isTrue(field(p, "AllowMajorVersionUpgrade")) && field(p, "EngineVersion") !== undefined,
    reversibility: "irreversible",
    reason: "a major engine version upgrade cannot be rolled back in place",
  },
  {
    actions: ["ecs:UpdateService"],
    when: (p) => isZero(field(p, "desiredCount")),
    effect: "delete",
    reversibility: "recoverable",
    atLeast: "service",
    tags: ["outage"],
    reason: `desiredCount 0 stops every task of the service; ${CAPACITY_ZERO}`,
  },
  {
    actions: ["ecs:DeleteService"],
    when: (p) => isTrue(field(p, "force")),
    tags: ["outage"],
    reason: "force: deleted even while tasks are running",
  },
  {
    actions: ["autoscaling:UpdateAutoScalingGroup", "autoscaling:SetDesiredCapacity"],
    when: (p) => isZero(field(p, "DesiredCapacity")) || isZero(field(p, "MaxSize")),
    effect: "delete",
    reversibility: "recoverable",
    atLeast: "service",
    tags: ["outage"],
    reason: `terminates every instance in the group; ${CAPACITY_ZERO}`,
  },
  {
    actions: ["autoscaling:DeleteAutoScalingGroup"],
    when: (p) => isTrue(field(p, "ForceDelete")),
    tags: ["outage"],
    reason: "ForceDelete terminates the group's instances too",
  },
  {
    actions: ["application-autoscaling:RegisterScalableTarget"],
    when: (p) => isZero(field(p, "MaxCapacity")),
    effect: "delete",
    reversibility: "recoverable",
    atLeast: "service",
    tags: ["outage"],
    reason: `MaxCapacity 0 scales the target to zero; ${CAPACITY_ZERO}`,
  },
  {
    actions: ["lambda:PutFunctionConcurrency"],
    when: (p) => isZero(field(p, "ReservedConcurrentExecutions")),
    effect: "delete",
    reversibility: "recoverable",
    atLeast: "service",
    tags: ["outage"],
    reason: "reserved concurrency 0 throttles every invocation of the function",
  },
  {
    actions: ["eks:UpdateNodegroupConfig"],
    when: (p) =>
      isZero(fieldAt(p, "scalingConfig", "desiredSize")) || isZero(fieldAt(p, "scalingConfig", "maxSize")),
    effect: "delete",
    reversibility: "recoverable",
    atLeast: "service",
    tags: ["outage"],
    reason: `scales the node group to zero nodes; ${CAPACITY_ZERO}`,
  },
  {
    actions: ["eks:DeleteCluster"],
    reason: "deletes the control plane and everything stored in it (every workload's configuration)",
  },
  {
    actions: ["secretsmanager:DeleteSecret"],
    when: (p) => isTrue(field(p, "ForceDeleteWithoutRecovery")),
    reversibility: "irreversible",
    tags: ["data-loss"],
    reason: "ForceDeleteWithoutRecovery: the secret is gone at once, with no recovery window",
  },
  {
    actions: ["secretsmanager:DeleteSecret"],
    when: (p) => !isTrue(field(p, "ForceDeleteWithoutRecovery")),
    reversibility: "recoverable",
    tags: ["cancellable"],
    reason: (p) =>
      `recoverable with RestoreSecret for ${asNumber(field(p, "RecoveryWindowInDays")) ?? 30} days (RecoveryWindowInDays, 7–30)`,
  },
  {
    actions: ["s3:DeleteBucket"],
    reason: "the bucket's name is released and anyone may claim it",
  },
  {
    actions: ["s3:DeleteBucket"],
    when: (p) => isTrue(field(p, "Force")),
    tags: ["data-loss"],
    reason: "Force (aws s3 rb --force) deletes every object in the bucket first",
  },
  {
    actions: ["s3:DeleteObject"],
    when: (p) => isTrue(field(p, "Recursive")) && asString(field(p, "Key")) === undefined,
    atLeast: "environment",
    tags: ["bulk"],
    reason: "Recursive (aws s3 rm --recursive) on the whole bucket deletes every object in it",
  },
  {
    actions: ["s3:DeleteObject"],
    when: (p) => isTrue(field(p, "Recursive")) && asString(field(p, "Key")) !== undefined,
    atLeast: "service",
    tags: ["bulk"],
    reason: "Recursive (aws s3 rm --recursive) deletes every object under the prefix",
  },
  {
    actions: ["s3:DeleteObject", "s3:DeleteObjects"],
    when: (p) => JSON.stringify(p).includes('"VersionId"'),
    reason: "names object versions: those versions are deleted permanently",
  },
  {
    actions: ["s3:DeleteObject", "s3:DeleteObjects"],
    when: (p) => !JSON.stringify(p).includes('"VersionId"'),
    reason: "in a versioned bucket this only adds delete markers; in any other bucket the objects are gone",
  },
  {
    actions: ["s3:PutBucketVersioning"],
    when: (p) => /suspended/i.test(String(fieldAt(p, "VersioningConfiguration", "Status"))),
    reason: "suspends versioning: later overwrites and deletes are permanent",
  },
  {
    actions: ["s3:PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"],
    when: (p) =>
      asArray(fieldAt(p, "LifecycleConfiguration", "Rules")).some(
        (rule) => /enabled/i.test(String(field(rule, "Status"))) && field(rule, "Expiration") !== undefined,
      ),
    effect: "delete",
    reversibility: "irreversible",
    atLeast: "service",
    tags: ["data-loss"],
    reason: "a lifecycle rule with Expiration deletes objects automatically",
  },
  {
    actions: ["ec2:TerminateInstances"],
    reason: "instance-store data and volumes with DeleteOnTermination go with the instances",
  },
  {
    actions: ["dynamodb:DeleteTable"],
    reason: "every item goes with the table; only backups taken beforehand survive",
  },
  {
    actions: ["dynamodb:UpdateTable"],
    when: (p) => isFalse(field(p, "DeletionProtectionEnabled")),
    atLeast: "environment",
    reason: "turns off deletion protection, the usual step before deleting the table",
  },
  {
    actions: ["dynamodb:BatchWriteItem", "dynamodb:TransactWriteItems"],
    when: (p) => /"(DeleteRequest|Delete)"/.test(JSON.stringify(p)),
    effect: "delete",
    reversibility: "irreversible",
    reason: "deletes items",
  },
  {
    actions: ["route53:ChangeResourceRecordSets"],
    when: (p) =>
      asArray(fieldAt(p, "ChangeBatch", "Changes")).some((c) => /^delete$/i.test(String(field(c, "Action")))),
    effect: "delete",
    reversibility: "recoverable",
    reason:
      "DELETE of record sets: names stop resolving (the request holds their values, so they can be recreated)",
  },
  {
    actions: ["route53:DeleteHostedZone"],
    reason: "every record in the zone goes with it; the domain stops resolving",
  },
  {
    actions: ["organizations:LeaveOrganization", "organizations:DeleteOrganization"],
    effect: "delete",
    reversibility: "irreversible",
    blastRadius: "account",
    tags: ["wipe"],
    reason: "dissolves the account's organization: its policies, consolidated billing and trusted access",
  },
  {
    actions: ["account:CloseAccount", "organizations:CloseAccount"],
    effect: "delete",
    reversibility: "irreversible",
    blastRadius: "account",
    tags: ["wipe"],
    reason: "closes the AWS account: everything in it stops, and is deleted after the post-closure period",
  },
  {
    actions: ["cloudtrail:StopLogging"],
    blastRadius: "account",
    reason: "stops recording the account's API activity (its audit trail)",
  },
  {
    actions: ["fsx:RestoreVolumeFromSnapshot", "workspaces:RestoreWorkspace", "workspaces:RebuildWorkspaces"],
    effect: "delete",
    reversibility: "irreversible",
    tags: ["data-loss"],
    reason: "overwrites the volume with an older snapshot: everything written since is lost",
  },
];
