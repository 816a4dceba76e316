import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GENERATED_PATH, generateModelsIndexSource } from "../../../src/ingress/aws/models-index-generate.js";
import { matchOperation } from "../../../src/ingress/aws/operation.js";
import { paramsOf } from "../../../src/ingress/aws/params.js";
import { readBodyForParams } from "../../../src/ingress/aws/request-checks.js";
import { parseQuery } from "../../../src/ingress/aws/sigv4.js";
import type { WireRequest } from "../../../src/ingress/aws/wire.js";

/**
 * Requests of every AWS protocol, as the SDKs put them on the wire, and the operation and parameters
 * airlock reads back from AWS's models. Unknown operations must not match anything.
 */
interface Case {
  service: string;
  method: string;
  target: string;
  headers?: Record<string, string>;
  body?: string;
  operation: string | undefined;
  params?: Record<string, unknown>;
}

const FORM = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
const JSON10 = (target: string) => ({ "content-type": "application/x-amz-json-1.0", "x-amz-target": target });
const JSON11 = (target: string) => ({ "content-type": "application/x-amz-json-1.1", "x-amz-target": target });

const CASES: Record<string, Case> = {
  "query: CloudFormation DeleteStack": {
    service: "cloudformation",
    method: "POST",
    target: "/",
    headers: FORM,
    body: "Action=DeleteStack&Version=2010-05-15&StackName=cost-explorer-prod&RetainResources.member.1=Table",
    operation: "DeleteStack",
    params: { StackName: "cost-explorer-prod", RetainResources: ["Table"] },
  },
  "query: IAM AttachUserPolicy": {
    service: "iam",
    method: "POST",
    target: "/",
    headers: FORM,
    body: "Action=AttachUserPolicy&Version=2010-05-08&UserName=bot&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAdministratorAccess",
    operation: "AttachUserPolicy",
    params: { UserName: "bot", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
  },
  "query: RDS DeleteDBInstance with SkipFinalSnapshot as a boolean": {
    service: "rds",
    method: "POST",
    target: "/",
    headers: FORM,
    body: "Action=DeleteDBInstance&Version=2014-10-31&DBInstanceIdentifier=ledger-prod&SkipFinalSnapshot=true",
    operation: "DeleteDBInstance",
    params: { DBInstanceIdentifier: "ledger-prod", SkipFinalSnapshot: true },
  },
  "query: Elastic Beanstalk TerminateEnvironment": {
    service: "elasticbeanstalk",
    method: "POST",
    target: "/",
    headers: FORM,
    body: "Action=TerminateEnvironment&Version=2010-12-01&EnvironmentName=api-prod",
    operation: "TerminateEnvironment",
    params: { EnvironmentName: "api-prod" },
  },
  "query (ec2): TerminateInstances with a flattened list": {
    service: "ec2",
    method: "POST",
    target: "/",
    headers: FORM,
    body: "Action=TerminateInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2",
    operation: "TerminateInstances",
    params: { InstanceIds: ["i-1", "i-2"] },
  },
  "query: the Action in the query string": {
    service: "sts",
    method: "GET",
    target: "/?Action=GetCallerIdentity&Version=2011-06-15",
    operation: "GetCallerIdentity",
  },
  "json: DynamoDB DeleteTable": {
    service: "dynamodb",
    method: "POST",
    target: "/",
    headers: JSON10("DynamoDB_20120810.DeleteTable"),
    body: '{"TableName":"orders-prod"}',
    operation: "DeleteTable",
    params: { TableName: "orders-prod" },
  },
  "json: KMS ScheduleKeyDeletion": {
    service: "kms",
    method: "POST",
    target: "/",
    headers: JSON11("TrentService.ScheduleKeyDeletion"),
    body: '{"KeyId":"k-1","PendingWindowInDays":7}',
    operation: "ScheduleKeyDeletion",
    params: { KeyId: "k-1", PendingWindowInDays: 7 },
  },
  "json: ECS DeleteCluster": {
    service: "ecs",
    method: "POST",
    target: "/",
    headers: JSON11("AmazonEC2ContainerServiceV20141113.DeleteCluster"),
    body: '{"cluster":"prod"}',
    operation: "DeleteCluster",
    params: { cluster: "prod" },
  },
  "rest-json: Lambda DeleteFunction": {
    service: "lambda",
    method: "DELETE",
    target: "/2015-03-31/functions/billing-prod?Qualifier=7",
    operation: "DeleteFunction",
    params: { FunctionName: "billing-prod", Qualifier: "7" },
  },
  "rest-json: Lambda Invoke": {
    service: "lambda",
    method: "POST",
    target: "/2015-03-31/functions/billing-prod/invocations",
    headers: { "x-amz-invocation-type": "Event" },
    body: "{}",
    operation: "Invoke",
    params: { FunctionName: "billing-prod", InvocationType: "Event" },
  },
  "rest-json: EKS DeleteCluster": {
    service: "eks",
    method: "DELETE",
    target: "/clusters/prod-eu",
    operation: "DeleteCluster",
    params: { name: "prod-eu" },
  },
  "rest-xml: S3 GetObject with a key of several segments": {
    service: "s3",
    method: "GET",
    target: "/ledger/2026/11/report%20final.csv",
    operation: "GetObject",
    params: { Bucket: "ledger", Key: "2026/11/report final.csv" },
  },
  "rest-xml: S3 ListObjectsV2": {
    service: "s3",
    method: "GET",
    target: "/ledger?list-type=2&prefix=2026%2F",
    operation: "ListObjectsV2",
    params: { Bucket: "ledger", Prefix: "2026/" },
  },
  "rest-xml: S3 DeleteBucket": {
    service: "s3",
    method: "DELETE",
    target: "/ledger",
    operation: "DeleteBucket",
    params: { Bucket: "ledger" },
  },
  "rest-xml: S3 DeleteObjects": {
    service: "s3",
    method: "POST",
    target: "/ledger?delete",
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a.csv</Key></Object><Object><Key>b &amp; c.csv</Key><VersionId>v1</VersionId></Object><Quiet>true</Quiet></Delete>',
    operation: "DeleteObjects",
    params: {
      Bucket: "ledger",
      Delete: { Objects: [{ Key: "a.csv" }, { Key: "b & c.csv", VersionId: "v1" }], Quiet: true },
    },
  },
  "rest-xml: S3 CopyObject by its header": {
    service: "s3",
    method: "PUT",
    target: "/ledger/copy.csv",
    headers: { "x-amz-copy-source": "other/x.csv" },
    operation: "CopyObject",
    params: { Bucket: "ledger", Key: "copy.csv", CopySource: "other/x.csv" },
  },
  "rest-xml: S3 UploadPart by its query": {
    service: "s3",
    method: "PUT",
    target: "/ledger/big.bin?partNumber=2&uploadId=u1",
    operation: "UploadPart",
    params: { Bucket: "ledger", Key: "big.bin", PartNumber: 2, UploadId: "u1" },
  },
  "rest-xml: S3 ListBuckets": { service: "s3", method: "GET", target: "/", operation: "ListBuckets" },
  "rest-xml: Route 53 ChangeResourceRecordSets": {
    service: "route53",
    method: "POST",
    target: "/2013-04-01/hostedzone/Z123/rrset/",
    body: '<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change><Action>DELETE</Action><ResourceRecordSet><Name>api.example.com.</Name><Type>A</Type><TTL>300</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>',
    operation: "ChangeResourceRecordSets",
    params: {
      HostedZoneId: "Z123",
      ChangeBatch: {
        Changes: [
          {
            Action: "DELETE",
            ResourceRecordSet: {
              Name: "api.example.com.",
              Type: "A",
              TTL: 300,
              ResourceRecords: [{ Value: "192.0.2.1" }],
            },
          },
        ],
      },
    },
  },
  "rest-xml: CloudFront CreateInvalidation, its body read by the model": {
    service: "cloudfront",
    method: "POST",
    target: "/2020-05-31/distribution/E1/invalidation",
    body: '<InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Paths><Quantity>2</Quantity><Items><Path>/index.html</Path><Path>/*</Path></Items></Paths><CallerReference>deploy-7</CallerReference></InvalidationBatch>',
    operation: "CreateInvalidation",
    params: {
      DistributionId: "E1",
      InvalidationBatch: {
        Paths: { Quantity: 2, Items: ["/index.html", "/*"] },
        CallerReference: "deploy-7",
      },
    },
  },
  "rest-xml: CloudFront DeleteDistribution": {
    service: "cloudfront",
    method: "DELETE",
    target: "/2020-05-31/distribution/E1",
    headers: { "if-match": "E2" },
    operation: "DeleteDistribution",
    params: { Id: "E1", IfMatch: "E2" },
  },
  "unknown: a JSON target the model lacks": {
    service: "dynamodb",
    method: "POST",
    target: "/",
    headers: JSON10("DynamoDB_20120810.DropEverything"),
    body: "{}",
    operation: undefined,
  },
  "unknown: an S3 subresource the model lacks": {
    service: "s3",
    method: "PUT",
    target: "/ledger?frobnicate",
    operation: undefined,
  },
  "unknown: an x-amz- header the operation does not declare": {
    service: "s3",
    method: "GET",
    target: "/ledger/a.csv",
    headers: { "x-amz-new-dangerous-thing": "1" },
    operation: undefined,
  },
  "unknown: a query Action the model lacks": {
    service: "iam",
    method: "POST",
    target: "/",
    headers: FORM,
    body: "Action=DeleteAccount&Version=2010-05-08",
    operation: undefined,
  },
  "unknown: a service airlock has no model for": {
    service: "frobnicator",
    method: "GET",
    target: "/",
    operation: undefined,
  },
};

function wire(c: Case): WireRequest {
  const q = c.target.indexOf("?");
  const rawQuery = q < 0 ? "" : c.target.slice(q + 1);
  return {
    method: c.method,
    rawPath: q < 0 ? c.target : c.target.slice(0, q),
    rawQuery,
    query: parseQuery(rawQuery) ?? [],
    headers: new Map(
      Object.entries({ host: "127.0.0.1:7080", ...(c.headers ?? {}) }).map(([k, v]) => [k, [v]]),
    ),
  };
}

describe("requests to operations, from AWS's models", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, () => {
      const request = wire(c);
      const body = readBodyForParams(Buffer.from(c.body ?? ""), request, c.service);
      let match = matchOperation(c.service, request);
      if (!match.ok && match.needsForm) match = matchOperation(c.service, request, body.form ?? []);
      expect(match.ok ? match.matched.op.name : undefined).toBe(c.operation);
      if (match.ok && c.params) expect(paramsOf(match.matched, request, body)).toEqual(c.params);
    });
  }

  it("has an index generated from the installed aws-sdk models (regenerate: see models-index-generate.ts)", () => {
    expect(readFileSync(GENERATED_PATH, "utf8")).toBe(generateModelsIndexSource());
  });
});
