/**
 * The AWS CLI's own commands, which are not API calls: the `s3` high-level commands and a few
 * customizations (`logs tail`, `cloudformation deploy`). Each maps to the IAM actions it performs.
 */

export type AwsFlags = Map<string, string | true>;
export interface AwsCall {
  operation: string;
  params: Record<string, unknown>;
  /** The service, when the call is not in the command's own (`cloudformation package` writes to s3). */
  service?: string;
}

/** `s3://bucket/key` split into parameters. */
function location(url: string | undefined, flags: AwsFlags): Record<string, unknown> {
  const [bucket = "", ...key] = (url ?? "").slice(5).split("/");
  const params: Record<string, unknown> = { Bucket: bucket };
  if (key.join("/") !== "") params.Key = key.join("/");
  if (flags.has("--recursive")) params.Recursive = true;
  if (flags.has("--force")) params.Force = true;
  return params;
}

/** `aws s3 <command>`: one call per bucket it reads, writes or empties. */
export function s3Calls(command: string, operands: string[], flags: AwsFlags): AwsCall[] {
  const urls = operands.filter((o) => o.startsWith("s3://"));
  const last = urls[urls.length - 1];
  const target = location(last, flags);
  switch (command) {
    case "rb":
      return [{ operation: "DeleteBucket", params: target }];
    case "rm":
      return [{ operation: "DeleteObject", params: target }];
    case "mb":
      return [{ operation: "CreateBucket", params: target }];
    case "ls":
      return [{ operation: last ? "ListBucket" : "ListAllMyBuckets", params: target }];
    case "website":
      return [{ operation: "PutBucketWebsite", params: target }];
    case "presign":
      return [{ operation: "GetObject", params: target }];
    case "sync":
    case "cp":
    case "mv":
      return transfer(command, operands, flags);
    default:
      return [{ operation: pascal(command), params: target }];
  }
}

/** cp, mv and sync: the destination is written; `mv` empties its source, `sync --delete` prunes the destination. */
function transfer(command: string, operands: string[], flags: AwsFlags): AwsCall[] {
  const [source, destination] = operands;
  const fromS3 = source?.startsWith("s3://") ?? false;
  const toS3 = destination?.startsWith("s3://") ?? false;
  const calls: AwsCall[] = [];
  if (toS3) calls.push({ operation: "PutObject", params: location(destination, flags) });
  if (command === "sync" && flags.has("--delete") && toS3)
    calls.push({ operation: "DeleteObject", params: { ...location(destination, flags), Recursive: true } });
  if (fromS3) {
    const read = location(source, flags);
    calls.push(
      command === "mv"
        ? { operation: "DeleteObject", params: read }
        : { operation: "GetObject", params: read },
    );
  }
  return calls.length > 0 ? calls : [{ operation: "ListBucket", params: {} }];
}

/** `service command` of the CLI's customizations, and the IAM action each one performs. */
const CUSTOM: Record<string, Omit<AwsCall, "params">> = {
  "logs tail": { operation: "FilterLogEvents" },
  "logs start-live-tail": { operation: "StartLiveTail" },
  "eks update-kubeconfig": { operation: "DescribeCluster" },
  "eks get-token": { operation: "DescribeCluster" },
  "ecr get-login-password": { operation: "GetAuthorizationToken" },
  "ecr-public get-login-password": { operation: "GetAuthorizationToken" },
  "codeartifact login": { operation: "GetAuthorizationToken" },
  "cloudformation deploy": { operation: "ExecuteChangeSet" },
  "cloudformation package": { service: "s3", operation: "PutObject" },
  "rds generate-db-auth-token": { operation: "DescribeDBInstances" },
};

export function customCall(service: string, command: string): Omit<AwsCall, "params"> | undefined {
  return CUSTOM[`${service} ${command}`];
}

export function pascal(kebab: string): string {
  return kebab
    .split("-")
    .map((p) => (p === "db" ? "DB" : p === "id" ? "Id" : p.charAt(0).toUpperCase() + p.slice(1)))
    .join("");
}
