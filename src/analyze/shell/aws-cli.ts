import type { AwsAction } from "../../action/schema.js";
import { type AwsCall, type AwsFlags, customCall, pascal, s3Calls } from "./aws-s3.js";
import { emit, type Invocation } from "./context.js";
import { delegate } from "./delegates.js";
import type { Handler } from "./dispatch.js";
import { destroyPaths } from "./filesystem.js";
import { sendCommandPayload } from "./ssm-payload.js";
import { lookupVariable } from "./state.js";
import { literalWord } from "./words.js";

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
/** Flags that never take a value, so the word after them is an operand: `aws s3 rm --recursive s3://b`. */
const BOOLEAN_FLAGS = new Set([
  "--recursive",
  "--force",
  "--delete",
  "--dryrun",
  "--dry-run",
  "--quiet",
  "--only-show-errors",
  "--no-progress",
  "--exact-timestamps",
  "--size-only",
  "--follow-symlinks",
  "--no-follow-symlinks",
  "--human-readable",
  "--summarize",
]);
const GLOBAL_FLAGS = new Set([
  "--debug",
  "--no-verify-ssl",
  "--no-paginate",
  "--no-cli-pager",
  "--no-sign-request",
  "--cli-auto-prompt",
]);

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
        !BOOLEAN_FLAGS.has(a) &&
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
  const help = command === "help" || service === "help" || operands.at(-1) === "help";
  if (!service || !command || help || service === "configure") {
    const local = service === "configure" && command === "set";
    emit(inv, {
      name: `aws ${service}${local ? " set" : ""}`.trim(),
      effect: local ? "write" : "read",
      summary: `aws ${service} ${command}: ${local ? "changes this machine's AWS configuration" : "help or configuration"}`,
      envHints: local ? ["local"] : [],
    });
    return;
  }
  if (flags.has("--dry-run") || flags.has("--dryrun") || command === "wait") {
    emit(inv, {
      name: `aws ${service} ${command}${command === "wait" ? "" : " --dry-run"}`,
      effect: "read",
      summary: command === "wait" ? "waits for a state, changing nothing" : "a dry run changes nothing",
    });
    return;
  }
  const custom = customCall(service, command);
  const api = apiCall(command, flags);
  const calls =
    service === "s3" ? s3Calls(command, operands, flags) : [custom ? { ...custom, params: api.params } : api];
  for (const call of calls) {
    const action: AwsAction = {
      kind: "aws",
      service: call.service ?? IAM_PREFIX[service] ?? service,
      operation: call.operation,
      params: call.params,
    };
    if (region) action.region = region;
    delegate(inv, "aws", action, `aws ${service} ${command}`, hints);
  }
  sendCommandPayload(inv, service, command, flags);
  // `aws s3 sync s3://b ./dir --delete` deletes local files the bucket lacks.
  const into = operands[1];
  if (service === "s3" && command === "sync" && flags.has("--delete") && into && !into.startsWith("s3://"))
    destroyPaths(inv, "aws s3 sync --delete", [literalWord(into)], {
      recursive: true,
      verb: "mirrors the bucket onto, deleting extra files in",
    });
}

/** An API call: `--db-instance-identifier x --skip-final-snapshot` becomes its parameters. */
function apiCall(command: string, flags: AwsFlags): AwsCall {
  const params: Record<string, unknown> = {};
  for (const [flag, value] of flags) {
    if (GLOBAL_WITH_VALUE.has(flag) || GLOBAL_FLAGS.has(flag)) continue;
    const negated = flag.startsWith("--no-");
    params[pascal(flag.slice(negated ? 5 : 2))] = value === true ? !negated : jsonValue(value);
  }
  return { operation: pascal(command), params };
}

/** `--change-batch '{"Changes":[…]}'`: a JSON value is the parameter's structure. */
function jsonValue(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function hostOf(url: string): string | undefined {
  return /^[a-z]+:\/\/([^/:]+)/i.exec(url)?.[1];
}

export const AWS_CLI: Record<string, Handler> = { aws, awslocal: aws };
