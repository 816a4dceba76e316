import { type IamAction, iamAction } from "./iam.js";

/**
 * SDK operations that IAM authorises under another action's name. Without these, a read the SDK
 * spells differently (`GetBucketEncryption`, authorised as `s3:GetEncryptionConfiguration`) is an
 * action IAM does not know, which is never judged a read.
 */
const ALIASES: ReadonlyMap<string, { sdk: string; iam: string }> = new Map(
  (
    [
      ["s3", "DeleteObjects", "DeleteObject"],
      ["s3", "ListObjects", "ListBucket"],
      ["s3", "ListObjectsV2", "ListBucket"],
      ["s3", "ListObjectVersions", "ListBucketVersions"],
      ["s3", "HeadObject", "GetObject"],
      ["s3", "HeadBucket", "ListBucket"],
      ["s3", "ListBuckets", "ListAllMyBuckets"],
      ["s3", "ListDirectoryBuckets", "ListAllMyBuckets"],
      ["s3", "CopyObject", "PutObject"],
      ["s3", "UploadPart", "PutObject"],
      ["s3", "CreateMultipartUpload", "PutObject"],
      ["s3", "CompleteMultipartUpload", "PutObject"],
      ["s3", "ListMultipartUploads", "ListBucketMultipartUploads"],
      ["s3", "ListParts", "ListMultipartUploadParts"],
      ["s3", "PutBucketLifecycleConfiguration", "PutLifecycleConfiguration"],
      ["s3", "DeleteBucketLifecycle", "PutLifecycleConfiguration"],
      ["s3", "GetBucketLifecycleConfiguration", "GetLifecycleConfiguration"],
      ["s3", "GetBucketLifecycle", "GetLifecycleConfiguration"],
      ["s3", "PutBucketEncryption", "PutEncryptionConfiguration"],
      ["s3", "DeleteBucketEncryption", "PutEncryptionConfiguration"],
      ["s3", "GetBucketEncryption", "GetEncryptionConfiguration"],
      ["s3", "PutPublicAccessBlock", "PutBucketPublicAccessBlock"],
      ["s3", "DeletePublicAccessBlock", "PutBucketPublicAccessBlock"],
      ["s3", "GetPublicAccessBlock", "GetBucketPublicAccessBlock"],
      ["s3", "DeleteBucketTagging", "PutBucketTagging"],
      ["s3", "PutBucketReplication", "PutReplicationConfiguration"],
      ["s3", "GetBucketReplication", "GetReplicationConfiguration"],
      ["s3", "PutBucketNotificationConfiguration", "PutBucketNotification"],
      ["s3", "GetBucketNotificationConfiguration", "GetBucketNotification"],
      ["s3", "GetBucketAccelerateConfiguration", "GetAccelerateConfiguration"],
      ["s3", "GetBucketAnalyticsConfiguration", "GetAnalyticsConfiguration"],
      ["s3", "ListBucketAnalyticsConfigurations", "GetAnalyticsConfiguration"],
      ["s3", "GetBucketIntelligentTieringConfiguration", "GetIntelligentTieringConfiguration"],
      ["s3", "ListBucketIntelligentTieringConfigurations", "GetIntelligentTieringConfiguration"],
      ["s3", "GetBucketInventoryConfiguration", "GetInventoryConfiguration"],
      ["s3", "ListBucketInventoryConfigurations", "GetInventoryConfiguration"],
      ["s3", "GetBucketMetricsConfiguration", "GetMetricsConfiguration"],
      ["s3", "ListBucketMetricsConfigurations", "GetMetricsConfiguration"],
      ["s3", "GetObjectLockConfiguration", "GetBucketObjectLockConfiguration"],
      ["lambda", "Invoke", "InvokeFunction"],
      ["dynamodb", "TransactWriteItems", "BatchWriteItem"],
      ["dynamodb", "TransactGetItems", "BatchGetItem"],
      ["access-analyzer", "GetFindingV2", "GetFinding"],
      ["access-analyzer", "ListFindingsV2", "ListFindings"],
      ["budgets", "DescribeBudget", "ViewBudget"],
      ["budgets", "DescribeBudgets", "ViewBudget"],
      ["budgets", "DescribeBudgetPerformanceHistory", "ViewBudget"],
      ["budgets", "DescribeNotificationsForBudget", "ViewBudget"],
      ["budgets", "DescribeSubscribersForNotification", "ViewBudget"],
      ["cassandra", "GetKeyspace", "Select"],
      ["cassandra", "GetTable", "Select"],
      ["cassandra", "ListKeyspaces", "Select"],
      ["cassandra", "ListTables", "Select"],
    ] as const
  ).map(([service, sdk, iam]) => [`${service}:${sdk.toLowerCase()}`, { sdk, iam }]),
);

export function operationAlias(service: string, operation: string): { sdk: string; iam: string } | undefined {
  return ALIASES.get(`${service}:${operation.toLowerCase()}`);
}

/**
 * The HTTP method an SDK operation of a method-authorised service sends, by its verb: API Gateway's
 * `GetRestApis` is `GET /restapis`, `UpdateStage` a `PATCH`, `FlushStageCache` a `DELETE`. A verb
 * not listed has no method, so the operation stays unknown (and is never judged a read).
 */
const METHOD_OF_VERB: Readonly<Record<string, string>> = {
  Get: "GET",
  Export: "GET",
  Create: "POST",
  Import: "POST",
  Generate: "POST",
  Test: "POST",
  Update: "PATCH",
  Put: "PUT",
  Reimport: "PUT",
  Tag: "PUT",
  Delete: "DELETE",
  Flush: "DELETE",
  Reset: "DELETE",
  Untag: "DELETE",
};

/** The IAM action (`apigateway:GET`) that authorises an SDK operation of a service IAM knows only by method. */
export function methodAction(service: string, operation: string): IamAction | undefined {
  // A service whose IAM actions include GET and DELETE is authorised by method, not by operation.
  if (!iamAction(service, "GET") || !iamAction(service, "DELETE")) return undefined;
  const verb = /^[A-Z][a-z]+/.exec(operation)?.[0] ?? "";
  const method = METHOD_OF_VERB[verb];
  return method ? iamAction(service, method) : undefined;
}
