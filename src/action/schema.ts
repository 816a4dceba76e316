import { z } from "zod";

/**
 * The Action contract (v1), as in shared/contract/ACTIONS.md.
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
  id: z.string().optional(),
  session: z.string().optional(),
  onBehalfOf: z.string().optional(),
});

export const ActionContext = z.looseObject({
  environment: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

const common = {
  id: z.string().optional(),
  agent: Agent.optional(),
  intent: z.string().optional(),
  context: ActionContext.optional(),
};

export const ShellAction = z.looseObject({
  ...common,
  kind: z.literal("shell"),
  command: z.string(),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});

export const SqlAction = z.looseObject({
  ...common,
  kind: z.literal("sql"),
  sql: z.string(),
  engine: z.enum(["postgres", "mysql", "sqlite"]).optional(),
  database: z.string().optional(),
});

export const AwsAction = z
  .looseObject({
    ...common,
    kind: z.literal("aws"),
    action: z
      .string()
      .regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, "must be service:Operation in IAM spelling")
      .optional(),
    service: z.string().optional(),
    operation: z.string().optional(),
    region: z.string().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((a) => a.action !== undefined || (a.service !== undefined && a.operation !== undefined), {
    message: "an aws Action needs `action` (service:Operation) or both `service` and `operation`",
    path: ["action"],
  });

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
  resource: z.string().min(1),
  name: z.string().optional(),
  namespace: z.string().optional(),
  kubeContext: z.string().optional(),
  body: z.unknown().optional(),
});

export const TerraformPlanAction = z.looseObject({
  ...common,
  kind: z.literal("terraform-plan"),
  plan: z.record(z.string(), z.unknown()),
});

/** An extension of the contract: the output of CloudFormation's DescribeChangeSet. */
export const CloudFormationChangeSetAction = z.looseObject({
  ...common,
  kind: z.literal("cloudformation-changeset"),
  changeSet: z.record(z.string(), z.unknown()),
});

export const McpAnnotations = z.looseObject({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});

export const McpAction = z.looseObject({
  ...common,
  kind: z.literal("mcp"),
  server: z.string().min(1),
  tool: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).optional(),
  annotations: McpAnnotations.optional(),
});

export const HttpAction = z.looseObject({
  ...common,
  kind: z.literal("http"),
  method: z.string().min(1),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
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

/** The fields that make an Action's identity, per kind (everything else is commentary). */
export const IDENTITY_FIELDS: Record<ActionKind, readonly string[]> = {
  shell: ["command", "cwd", "env"],
  sql: ["sql", "engine", "database"],
  aws: ["action", "service", "operation", "region", "params"],
  k8s: ["verb", "resource", "name", "namespace", "kubeContext", "body"],
  "terraform-plan": ["plan"],
  "cloudformation-changeset": ["changeSet"],
  mcp: ["server", "tool", "arguments"],
  http: ["method", "url", "headers", "body"],
};
