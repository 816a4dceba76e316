import * as z from "zod/mini";
import "./zod.js";

/**
 * The Action contract (v1), as in docs/actions.md (and its JSON Schema, docs/schema/action.schema.json).
 * Every schema is `loose`: unknown fields are kept and ignored, as the contract requires.
 */

export const ACTION_KINDS = [
  "shell",
  "sql",
  "aws",
  "k8s",
  "terraform-plan",
  "cloudformation-changeset",
  "mcp",
  "http",
] as const;
export const ActionKind = z.enum(ACTION_KINDS);
export type ActionKind = z.infer<typeof ActionKind>;

export const Agent = z.looseObject({
  id: z.optional(z.string()),
  session: z.optional(z.string()),
  onBehalfOf: z.optional(z.string()),
});

export const ActionContext = z.looseObject({
  environment: z.optional(z.string().check(z.minLength(1))),
  labels: z.optional(z.record(z.string(), z.string())),
});

const common = {
  id: z.optional(z.string()),
  agent: z.optional(Agent),
  intent: z.optional(z.string()),
  context: z.optional(ActionContext),
  /** What running it costs, as the integration reports or estimates it; summed by cost breakers. Not in the digest. */
  cost: z.optional(z.number().check(z.minimum(0))),
};

/** Interpreters a shell Action's line may be written for; anything else is refused, not guessed. */
export const SHELLS = ["bash", "sh", "zsh", "dash", "ksh", "fish", "powershell", "pwsh", "cmd"] as const;

export const ShellAction = z.looseObject({
  ...common,
  kind: z.literal("shell"),
  command: z.string(),
  cwd: z.optional(z.string()),
  env: z.optional(z.record(z.string(), z.string())),
  /** The interpreter the line is for (an agent's PowerShell tool says `powershell`); POSIX shells when absent. */
  shell: z.optional(z.enum(SHELLS)),
});

export const SqlAction = z.looseObject({
  ...common,
  kind: z.literal("sql"),
  sql: z.string(),
  engine: z.optional(z.enum(["postgres", "mysql", "sqlite"])),
  database: z.optional(z.string()),
  /** Where and as whom it runs (placement.ts): part of the digest and of the environment. */
  host: z.optional(z.string()),
  port: z.optional(z.int().check(z.minimum(1), z.maximum(65535))),
  user: z.optional(z.string()),
  /**
   * User-defined functions the SQL calls, directly or through the views, row-level security policies,
   * triggers, defaults, constraints and indexes of the relations it uses, as the server's catalog
   * describes them (the PostgreSQL proxy looks them up). Each is judged opaque: this can only raise the risk.
   */
  functions: z.optional(
    z.array(
      z.looseObject({
        name: z.string(),
        schema: z.optional(z.string()),
        volatility: z.optional(z.string()),
        owner: z.optional(z.string()),
        language: z.optional(z.string()),
        /** Set when the statement does not call it itself: `view public.v`, `trigger t on public.t`, … */
        via: z.optional(z.string()),
      }),
    ),
  ),
  /**
   * Rewrite rules (`CREATE RULE … DO INSTEAD …`) on the tables the SQL writes to, from the server's
   * catalog (the PostgreSQL proxy looks them up): each replaces or adds to what the SQL does, and is
   * judged opaque. This can only raise the risk.
   */
  rules: z.optional(z.array(z.looseObject({ name: z.string(), on: z.string() }))),
});

export const AwsAction = z
  .looseObject({
    ...common,
    kind: z.literal("aws"),
    action: z.optional(
      z.string().check(z.regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, "must be service:Operation in IAM spelling")),
    ),
    service: z.optional(z.string()),
    operation: z.optional(z.string()),
    region: z.optional(z.string()),
    params: z.optional(z.record(z.string(), z.unknown())),
    /** Where and as whom it runs (placement.ts): the CLI profile, account, assumed role, endpoint URL. */
    profile: z.optional(z.string()),
    account: z.optional(z.string()),
    role: z.optional(z.string()),
    endpoint: z.optional(z.string()),
  })
  .check(
    z.refine((a) => a.action !== undefined || (a.service !== undefined && a.operation !== undefined), {
      message: "an aws Action needs `action` (service:Operation) or both `service` and `operation`",
      path: ["action"],
    }),
  );

export const K8S_VERBS = [
  "get",
  "list",
  "watch",
  "create",
  "update",
  "patch",
  "delete",
  "deletecollection",
] as const;
export const K8sAction = z.looseObject({
  ...common,
  kind: z.literal("k8s"),
  verb: z.enum(K8S_VERBS),
  resource: z.string().check(z.minLength(1)),
  name: z.optional(z.string()),
  namespace: z.optional(z.string()),
  kubeContext: z.optional(z.string()),
  /** The API server (name or URL) and the user it acts as (placement.ts). */
  cluster: z.optional(z.string()),
  user: z.optional(z.string()),
  body: z.optional(z.unknown()),
});

export const TerraformPlanAction = z.looseObject({
  ...common,
  kind: z.literal("terraform-plan"),
  plan: z.record(z.string(), z.unknown()),
  /** The Terraform workspace the plan was made in (placement.ts). */
  workspace: z.optional(z.string()),
});

/** An extension of the contract: the output of CloudFormation's DescribeChangeSet. */
export const CloudFormationChangeSetAction = z.looseObject({
  ...common,
  kind: z.literal("cloudformation-changeset"),
  changeSet: z.record(z.string(), z.unknown()),
  /** Where and as whom it is executed (placement.ts). */
  region: z.optional(z.string()),
  profile: z.optional(z.string()),
  account: z.optional(z.string()),
  role: z.optional(z.string()),
});

export const McpAnnotations = z.looseObject({
  title: z.optional(z.string()),
  readOnlyHint: z.optional(z.boolean()),
  destructiveHint: z.optional(z.boolean()),
  idempotentHint: z.optional(z.boolean()),
  openWorldHint: z.optional(z.boolean()),
});

export const McpAction = z.looseObject({
  ...common,
  kind: z.literal("mcp"),
  server: z.string().check(z.minLength(1)),
  tool: z.string().check(z.minLength(1)),
  arguments: z.optional(z.record(z.string(), z.unknown())),
  annotations: z.optional(McpAnnotations),
});

export const HttpAction = z.looseObject({
  ...common,
  kind: z.literal("http"),
  method: z.string().check(z.minLength(1)),
  url: z.string().check(z.minLength(1)),
  headers: z.optional(z.record(z.string(), z.string())),
  body: z.optional(z.unknown()),
});

export const Action = z.discriminatedUnion("kind", [
  ShellAction,
  SqlAction,
  AwsAction,
  K8sAction,
  TerraformPlanAction,
  CloudFormationChangeSetAction,
  McpAction,
  HttpAction,
]);
export type Action = z.infer<typeof Action>;
export type ShellAction = z.infer<typeof ShellAction>;
export type SqlAction = z.infer<typeof SqlAction>;
export type AwsAction = z.infer<typeof AwsAction>;
export type K8sAction = z.infer<typeof K8sAction>;
export type TerraformPlanAction = z.infer<typeof TerraformPlanAction>;
export type CloudFormationChangeSetAction = z.infer<typeof CloudFormationChangeSetAction>;
export type McpAction = z.infer<typeof McpAction>;
export type HttpAction = z.infer<typeof HttpAction>;

/**
 * The fields that make an Action's identity, per kind (everything else is commentary). Every field
 * that changes where or as whom it runs is one of them (placement.ts).
 */
export const IDENTITY_FIELDS: Record<ActionKind, readonly string[]> = {
  shell: ["command", "cwd", "env", "shell"],
  // functions and rules: what the upstream's catalog says will run (set by the PostgreSQL proxy), so an
  // approval is for what the approvers saw run: a trigger added since makes it a new action.
  sql: ["sql", "engine", "database", "host", "port", "user", "functions", "rules"],
  aws: ["action", "service", "operation", "region", "params", "profile", "account", "role", "endpoint"],
  k8s: ["verb", "resource", "name", "namespace", "kubeContext", "cluster", "user", "body"],
  "terraform-plan": ["plan", "workspace"],
  "cloudformation-changeset": ["changeSet", "region", "profile", "account", "role"],
  mcp: ["server", "tool", "arguments"],
  http: ["method", "url", "headers", "body"],
};
