import type { AwsAction } from "../../action/schema.js";
import { emit, type Invocation } from "./context.js";
import { delegate } from "./delegates.js";
import type { Handler } from "./dispatch.js";
import { lookupVariable } from "./state.js";

/** CLI service names whose IAM prefix differs. */
const IAM_PREFIX: Record<string, string> = {
  s3api: "s3",
  s3control: "s3",
  elbv2: "elasticloadbalancing",
  elb: "elasticloadbalancing",
  configservice: "config",
  stepfunctions: "states",
  "cognito-idp": "cognito-idp",
  "application-autoscaling": "application-autoscaling",
  opensearch: "es",
  resourcegroupstaggingapi: "tag",
};
const GLOBAL_WITH_VALUE = new Set([
  "--profile",
  "--region",
  "--output",
  "--query",
  "--endpoint-url",
  "--cli-read-timeout",
  "--cli-connect-timeout",
  "--color",
  "--ca-bundle",
  "--cli-binary-format",
]);
const GLOBAL_FLAGS = new Set([
  "--debug",
  "--no-verify-ssl",
  "--no-paginate",
  "--no-cli-pager",
  "--no-sign-request",
  "--cli-auto-prompt",
]);

const pascal = (kebab: string) =>
  kebab
    .split("-")
    .map((p) => (p === "db" ? "DB" : p === "id" ? "Id" : p.charAt(0).toUpperCase() + p.slice(1)))
    .join("");

function s3Operation(
  command: string,
  operands: string[],
  flags: Map<string, string | true>,
): [string, Record<string, unknown>] {
  const s3 = operands.filter((o) => o.startsWith("s3://")).map((o) => o.slice(5));
  const [bucket = "", ...key] = (s3[s3.length - 1] ?? "").split("/");
  const params: Record<string, unknown> = { Bucket: bucket };
  if (key.length > 0 && key.join("/") !== "") params.Key = key.join("/");
  if (flags.has("--recursive")) params.Recursive = true;
  if (flags.has("--force")) params.Force = true;
  switch (command) {
    case "rb":
      return ["DeleteBucket", params];
    case "rm":
      return ["DeleteObject", params];
    case "mb":
      return ["CreateBucket", params];
    case "ls":
      return [bucket ? "ListBucket" : "ListAllMyBuckets", params];
    case "sync":
    case "cp":
    case "mv": {
      const toS3 = operands[operands.length - 1]?.startsWith("s3://") ?? false;
      if (command === "sync" && flags.has("--delete") && toS3)
        return ["DeleteObject", { ...params, Recursive: true }];
      if (command === "mv" && !toS3) return ["DeleteObject", params];
      return [toS3 ? "PutObject" : "GetObject", params];
    }
    case "presign":
      return ["GetObject", params];
    default:
      return [pascal(command), params];
  }
}

function aws(inv: Invocation): void {
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  const argv = inv.argv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(0, eq) : a;
      const next = argv[i + 1];
      if (eq > 0) flags.set(name, a.slice(eq + 1));
      else if (
        !GLOBAL_FLAGS.has(a) &&
        next !== undefined &&
        (!next.startsWith("--") || GLOBAL_WITH_VALUE.has(a))
      ) {
        flags.set(name, next);
        i++;
      } else flags.set(name, true);
    } else words.push(a);
  }
  const [service = "", command = "", ...operands] = words;
  const env = (name: string) => inv.env.get(name) ?? lookupVariable(inv.state, name);
  const profile = (flags.get("--profile") as string | undefined) ?? env("AWS_PROFILE");
  const region =
    (flags.get("--region") as string | undefined) ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION");
  const endpoint = flags.get("--endpoint-url");
  const hints = [profile, typeof endpoint === "string" ? hostOf(endpoint) : undefined].filter(
    (h): h is string => !!h,
  );
  if (
    !service ||
    !command ||
    command === "help" ||
    service === "help" ||
    (service === "configure" && command !== "set")
  ) {
    return void emit(inv, {
      name: `aws ${service}`.trim(),
      effect: "read",
      summary: `aws ${service} ${command}: help or configuration`,
    });
  }
  if (flags.has("--dry-run")) {
    return void emit(inv, {
      name: `aws ${service} ${command} --dry-run`,
      effect: "read",
      summary: "a dry run changes nothing",
    });
  }
  let operation = pascal(command);
  let params: Record<string, unknown> = {};
  if (service === "s3") [operation, params] = s3Operation(command, operands, flags);
  else {
    for (const [flag, value] of flags) {
      if (GLOBAL_WITH_VALUE.has(flag) || GLOBAL_FLAGS.has(flag)) continue;
      const negated = flag.startsWith("--no-");
      params[pascal(flag.slice(negated ? 5 : 2))] = value === true ? !negated : value;
    }
  }
  const action: AwsAction = { kind: "aws", service: IAM_PREFIX[service] ?? service, operation, params };
  if (region) action.region = region;
  delegate(inv, "aws", action, `aws ${service} ${command}`, hints);
}

function hostOf(url: string): string | undefined {
  return /^[a-z]+:\/\/([^/:]+)/i.exec(url)?.[1];
}

export const AWS_CLI: Record<string, Handler> = { aws, awslocal: aws };
