import type { Params } from "../params.js";
import type { CredentialSource } from "../upstream.js";
import { deleteStack } from "./cloudformation.js";
import { deleteTable } from "./dynamodb.js";
import { terminateInstances } from "./ec2.js";
import { environmentResources } from "./elasticbeanstalk.js";
import { policyAttachment } from "./iam.js";
import { deleteDbCluster, deleteDbInstance } from "./rds.js";
import { deleteBucket, deleteObjects } from "./s3.js";

/**
 * What an approver should see before a destructive call: read upstream with airlock's own credentials
 * before the request is shown, and carried in the Action as `airlockPreview` (not part of the digest;
 * the HTTP API strips the field from agents' bodies, so only the endpoint sets it). One small file per
 * operation family, all named here. A preview that cannot be read says so; it never blocks or allows
 * anything by itself.
 */
export interface Preview {
  operation: string;
  summary: string;
  /** One row per thing the call reaches (a stack's resource, an instance, a volume, a policy's action). */
  resources?: PreviewRow[];
  /** Why the preview could not be read; the request is held all the same. */
  error?: string;
  /** What airlock will take before forwarding, when the policy's snapshotBeforeDelete asks for it. */
  recoveryPoint?: string;
}

export type PreviewRow = Record<string, string | number | boolean>;

export interface PreviewContext {
  credentials: CredentialSource;
  endpoint: string | undefined;
  region: string;
  /** How long each call upstream may take (`aws.ownCallTimeoutSeconds`). */
  timeoutMs: number;
}

export type Previewer = (params: Params, ctx: PreviewContext) => Promise<Preview>;

const PREVIEWERS: Readonly<Record<string, Previewer>> = {
  "cloudformation:DeleteStack": deleteStack,
  "elasticbeanstalk:TerminateEnvironment": environmentResources("elasticbeanstalk:TerminateEnvironment"),
  "elasticbeanstalk:RebuildEnvironment": environmentResources("elasticbeanstalk:RebuildEnvironment"),
  "rds:DeleteDBInstance": deleteDbInstance,
  "rds:DeleteDBCluster": deleteDbCluster,
  "dynamodb:DeleteTable": deleteTable,
  "s3:DeleteBucket": deleteBucket,
  "s3:DeleteObjects": deleteObjects,
  "ec2:TerminateInstances": terminateInstances,
  "iam:AttachUserPolicy": policyAttachment("iam:AttachUserPolicy"),
  "iam:AttachRolePolicy": policyAttachment("iam:AttachRolePolicy"),
  "iam:AttachGroupPolicy": policyAttachment("iam:AttachGroupPolicy"),
  "iam:PutUserPolicy": policyAttachment("iam:PutUserPolicy"),
  "iam:PutRolePolicy": policyAttachment("iam:PutRolePolicy"),
  "iam:PutGroupPolicy": policyAttachment("iam:PutGroupPolicy"),
};

export function hasPreview(operation: string): boolean {
  return Object.hasOwn(PREVIEWERS, operation);
}

export async function previewOf(
  operation: string,
  params: Params,
  ctx: PreviewContext,
): Promise<Preview | undefined> {
  const previewer = PREVIEWERS[operation];
  if (!previewer) return undefined;
  try {
    return await previewer(params, ctx);
  } catch (err) {
    return {
      operation,
      summary: "airlock could not read what this would change; the request is held all the same",
      error: (err as Error).message,
    };
  }
}
