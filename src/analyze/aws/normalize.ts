import type { AwsAction } from "../../action/schema.js";
import { type IamAction, iamAction, iamServices, isIamService } from "./iam.js";
import { methodAction, operationAlias } from "./operation-aliases.js";

/** One AWS API call, in IAM's spelling where IAM knows it. */
export interface AwsCall {
  /** The IAM service prefix ("cloudformation"), or the caller's spelling, lowercased, when IAM has none. */
  service: string;
  /** PascalCase: IAM's (or the SDK's) own spelling when known, else built from the caller's. */
  operation: string;
  /** The IAM action that authorises the call; absent when IAM does not know it. */
  iam?: IamAction;
}

/**
 * SDK, CLI and console names that differ from IAM's prefix, squashed (lowercase, letters and digits).
 * Each lists the prefixes to try in order: the SDK's OpenSearch client is authorised as `es:`.
 */
const SERVICE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  s3api: ["s3"],
  s3control: ["s3"],
  elb: ["elasticloadbalancing"],
  elbv2: ["elasticloadbalancing"],
  elasticloadbalancingv2: ["elasticloadbalancing"],
  stepfunctions: ["states"],
  sfn: ["states"],
  efs: ["elasticfilesystem"],
  emr: ["elasticmapreduce"],
  opensearch: ["opensearch", "es"],
  opensearchservice: ["es"],
  elasticsearchservice: ["es"],
  elasticsearch: ["es"],
  docdb: ["rds"],
  keyspaces: ["cassandra"],
  cloudcontrol: ["cloudformation"],
  cloudcontrolapi: ["cloudformation"],
  neptune: ["rds"],
  apigatewayv2: ["apigateway"],
  sesv2: ["ses"],
  cloudwatchlogs: ["logs"],
  eventbridge: ["events"],
  cloudwatchevents: ["events"],
  configservice: ["config"],
  dynamodbstreams: ["dynamodb"],
  cognitoidentityprovider: ["cognito-idp"],
  cognitoidentityserviceprovider: ["cognito-idp"],
  ssoadmin: ["sso"],
  kinesisanalyticsv2: ["kinesisanalytics"],
  resourcegroupstaggingapi: ["tag"],
  kinesisfirehose: ["firehose"],
  msk: ["kafka"],
  timestreamwrite: ["timestream"],
  timestreamquery: ["timestream"],
  costexplorer: ["ce"],
  bedrockruntime: ["bedrock"],
  bedrockagent: ["bedrock"],
  bedrockagentruntime: ["bedrock"],
  sagemakerruntime: ["sagemaker"],
};

let squashedServices: Map<string, string> | undefined;

function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** The IAM prefixes a caller's service spelling may mean, most likely first. */
function serviceCandidates(spelling: string): string[] {
  const lower = spelling.normalize("NFKC").trim().toLowerCase();
  if (isIamService(lower)) return [lower, ...(SERVICE_ALIASES[squash(lower)] ?? [])];
  if (!squashedServices) {
    squashedServices = new Map();
    for (const service of iamServices()) squashedServices.set(squash(service), service);
  }
  const squashed = squash(lower);
  const aliases = SERVICE_ALIASES[squashed];
  if (aliases) return [...aliases];
  const direct = squashedServices.get(squashed);
  return direct ? [direct] : [lower];
}

/** "delete-stack", "deleteStack", "DELETE_STACK" → "DeleteStack"-like PascalCase. */
export function pascalCase(operation: string): string {
  return operation
    .normalize("NFKC")
    .trim()
    .split(/[-_\s.]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

export function resolveCall(serviceSpelling: string, operationSpelling: string): AwsCall {
  const candidates = serviceCandidates(serviceSpelling);
  const operation = pascalCase(operationSpelling);
  for (const service of candidates) {
    const alias = operationAlias(service, operation);
    const iam = iamAction(service, alias ? alias.iam : operation);
    if (iam) return { service, operation: alias ? alias.sdk : iam.name, iam };
    // API Gateway authorises every SDK operation as the HTTP method it sends (`apigateway:GET`).
    const method = methodAction(service, operation);
    if (method) return { service, operation, iam: method };
  }
  return { service: candidates[0] ?? serviceSpelling, operation };
}

/**
 * The calls an aws Action names: `action` ("cloudformation:DeleteStack"), or `service` + `operation`
 * (SDK and CLI spellings too). When both are given and disagree, both calls are analysed: the
 * caller may execute either, and the most restrictive decision must win.
 */
export function callsOf(action: AwsAction): AwsCall[] {
  const calls: AwsCall[] = [];
  if (typeof action.action === "string") {
    const colon = action.action.indexOf(":");
    if (colon > 0) calls.push(resolveCall(action.action.slice(0, colon), action.action.slice(colon + 1)));
    else if (typeof action.service === "string") calls.push(resolveCall(action.service, action.action));
  }
  if (typeof action.operation === "string") {
    const colon = action.operation.indexOf(":");
    const call =
      colon > 0
        ? resolveCall(action.operation.slice(0, colon), action.operation.slice(colon + 1))
        : typeof action.service === "string"
          ? resolveCall(action.service, action.operation)
          : undefined;
    if (call && !calls.some((c) => c.service === call.service && c.operation === call.operation))
      calls.push(call);
  }
  return calls;
}

export function callName(call: AwsCall): string {
  return `${call.service}:${call.operation}`;
}
