import { z } from "zod";
import { Verdict } from "../action/decision.js";
import { EFFECTS } from "../analyze/types.js";

/** A value or a list of values; a YAML author should not have to write `[x]` for one thing. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);

export const RuleMatch = z
  .strictObject({
    /** Globs over the operation's kind or the Action's kind (an mcp Action's sql operation matches both). */
    kind: oneOrMany(z.string()).optional(),
    /** Globs over the operation's name: "DROP *", "cloudformation:Delete*", "delete namespaces". */
    operation: oneOrMany(z.string()).optional(),
    effect: oneOrMany(z.enum(EFFECTS)).optional(),
    /** The operation's environment. `may-be-production` means production or unknown. */
    environment: oneOrMany(z.string()).optional(),
    /** Matches when the operation carries any of these tags. */
    tags: oneOrMany(z.string()).optional(),
    /** Globs over "server/tool" of an mcp Action. */
    tool: oneOrMany(z.string()).optional(),
    opaque: z.boolean().optional(),
  })
  .default({});

export const ApprovalRequirement = z.strictObject({
  required: z.number().int().min(1).max(20).default(1),
  groups: z.array(z.string().min(1)).optional(),
  delaySeconds: z.number().int().min(0).default(0),
  expiresInSeconds: z.number().int().min(60).default(3600),
});

/** An example is a full Action, or a string as shorthand for a shell command. */
const Example = z.union([z.string(), z.record(z.string(), z.unknown())]);

export const Rule = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "rule ids are lower-case words joined by hyphens"),
    reason: z.string().min(1),
    match: RuleMatch,
    when: z.string().min(1).optional(),
    decision: Verdict,
    approvals: ApprovalRequirement.optional(),
    examples: z
      .strictObject({
        allow: z.array(Example).optional(),
        hold: z.array(Example).optional(),
        deny: z.array(Example).optional(),
      })
      .optional(),
  })
  .refine((r) => r.decision === "hold" || r.approvals === undefined, {
    message: "only a rule whose decision is hold takes approvals",
    path: ["approvals"],
  });

export const PolicyDocument = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  description: z.string().optional(),
  settings: z
    .strictObject({
      /** MCP servers whose readOnlyHint annotations are believed. */
      trustedMcpServers: z.array(z.string()).default([]),
      /** Approval requirement for a hold that names none. */
      defaultApprovals: ApprovalRequirement.optional(),
    })
    .default({ trustedMcpServers: [] }),
  rules: z.array(Rule).min(1),
});

export type RuleMatch = z.infer<typeof RuleMatch>;
export type Rule = z.infer<typeof Rule>;
export type PolicyDocument = z.infer<typeof PolicyDocument>;
export type ApprovalRequirement = z.infer<typeof ApprovalRequirement>;
