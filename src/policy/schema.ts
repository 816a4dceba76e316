import { BLAST_RADII, REVERSIBILITY, Verdict } from "../action/decision.js";
import "../action/zod.js";
import * as z from "zod/mini";
import { isTag, TAGS } from "../analyze/tags.js";
import { EFFECTS } from "../analyze/types.js";

/** A value or a list of values; a YAML author should not have to write `[x]` for one thing. */
function oneOrMany<T extends z.ZodMiniType>(item: T) {
  return z.pipe(
    z.union([item, z.array(item).check(z.minLength(1))]),
    z.transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]),
  );
}

const nonEmpty = () => z.string().check(z.minLength(1));

const unknownTagMessage = `not a tag any analyzer emits; the tags are: ${Object.keys(TAGS).join(", ")}`;

/** The tags a CEL condition tests with `"name" in op.tags`; each must be one analyzers emit. */
export function tagsTestedIn(condition: string): string[] {
  return [...condition.matchAll(/["']([^"'\\]{1,64})["']\s+in\s+op\.tags\b/g)].map((m) => m[1] ?? "");
}

export const RuleMatch = z._default(
  z.strictObject({
    /** Globs over the operation's kind or the Action's kind (an mcp Action's sql operation matches both). */
    kind: z.optional(oneOrMany(z.string())),
    /** Globs over the operation's name: "DROP *", "cloudformation:Delete*", "delete namespaces". */
    operation: z.optional(oneOrMany(z.string())),
    effect: z.optional(oneOrMany(z.enum(EFFECTS))),
    /** The operation's environment. `may-be-production` means production or unknown. */
    environment: z.optional(oneOrMany(z.string())),
    /** Matches when the operation carries any of these tags (one of TAGS: a misspelling fails at load). */
    tags: z.optional(oneOrMany(z.string().check(z.refine(isTag, { message: unknownTagMessage })))),
    /** Globs over "server/tool" of an mcp Action. */
    tool: z.optional(oneOrMany(z.string())),
    opaque: z.optional(z.boolean()),
    /** Matches operations at least this hard to undo: `recoverable` matches recoverable and irreversible. */
    reversibility: z.optional(z.enum(REVERSIBILITY)),
    /** Matches operations reaching at least this far: `environment` matches environment, account and host. */
    blastRadius: z.optional(z.enum(BLAST_RADII)),
  }),
  {},
);

/** After its wait ends, a request stays releasable at least this long: the agent's time to retry. */
export const RELEASE_WINDOW_SECONDS = 900;

export const ApprovalRequirement = z
  .strictObject({
    required: z._default(z.int().check(z.minimum(1), z.maximum(20)), 1),
    groups: z.optional(z.array(nonEmpty())),
    delaySeconds: z._default(z.int().check(z.minimum(0)), 0),
    expiresInSeconds: z._default(z.int().check(z.minimum(60)), 3600),
    /** Distinct denials that end the request; one, unless the policy tolerates a dissenting voice. */
    denials: z._default(z.int().check(z.minimum(1), z.maximum(20)), 1),
    /**
     * Whether a hook running without a server may ask the person at the keyboard instead of denying.
     * Only for low-risk holds: that person is usually the one the agent acts for.
     */
    localConfirm: z._default(z.boolean(), false),
  })
  .check(
    z.refine((a) => a.expiresInSeconds >= a.delaySeconds + RELEASE_WINDOW_SECONDS, {
      error: (issue) => {
        const a = issue.input as { delaySeconds: number; expiresInSeconds: number };
        return (
          `expiresInSeconds (${a.expiresInSeconds}) must be at least delaySeconds + ${RELEASE_WINDOW_SECONDS} ` +
          `(${a.delaySeconds + RELEASE_WINDOW_SECONDS}): the wait runs after the last approval, and the agent ` +
          "needs time to use the release before the request expires"
        );
      },
      path: ["expiresInSeconds"],
    }),
  );

/** An example is a full Action, or a string as shorthand for a shell command. */
const Example = z.union([z.string(), z.record(z.string(), z.unknown())]);

export const Rule = z
  .strictObject({
    id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, "rule ids are lower-case words joined by hyphens")),
    reason: nonEmpty(),
    match: RuleMatch,
    when: z.optional(nonEmpty()),
    decision: Verdict,
    /** `shadow`: the rule's verdict is recorded (would_hold, would_deny) but not enforced. */
    mode: z.optional(z.enum(["enforce", "shadow"])),
    approvals: z.optional(ApprovalRequirement),
    examples: z.optional(
      z.strictObject({
        allow: z.optional(z.array(Example)),
        hold: z.optional(z.array(Example)),
        deny: z.optional(z.array(Example)),
      }),
    ),
  })
  .check(
    z.refine((r) => r.decision === "hold" || r.approvals === undefined, {
      message: "only a rule whose decision is hold takes approvals",
      path: ["approvals"],
    }),
    z.refine((r) => tagsTestedIn(r.when ?? "").every(isTag), {
      message: `\`when\` tests a tag with \`in op.tags\` that no analyzer emits (${unknownTagMessage})`,
      path: ["when"],
    }),
  );

export const BREAKER_KINDS = ["rate", "blast", "repetition", "cost", "errors"] as const;
export const BREAKER_SCOPES = ["agent", "onBehalfOf", "environment", "global"] as const;

/** A circuit breaker: what it counts, per what, over how long, and what happens when it trips. */
export const Breaker = z.strictObject({
  name: z
    .string()
    .check(z.regex(/^[a-z0-9][a-z0-9-]*$/, "breaker names are lower-case words joined by hyphens")),
  /** rate: matching actions; blast: targets deleted; repetition: the same action up to ids; cost: `cost` summed; errors: failures reported. */
  kind: z.enum(BREAKER_KINDS),
  scope: z.enum(BREAKER_SCOPES),
  match: RuleMatch,
  /** The most a window may hold; the action that would go past it trips the breaker instead. */
  limit: z.number().check(z.positive()),
  windowSeconds: z.int().check(z.minimum(1)),
  // biome-ignore lint/suspicious/noThenProperty: the policy's word for what a trip does; a string, never awaited.
  then: z._default(z.enum(["hold-all-but-reads", "deny-all-but-reads"]), "deny-all-but-reads"),
  reset: z._default(
    z.string().check(z.regex(/^(admin|after [1-9][0-9]*)$/, 'reset is "admin" or "after SECONDS"')),
    "admin",
  ),
  /** Also pause the scope when it trips (an agent or person scope pauses the agent that tripped it). */
  pause: z._default(z.boolean(), false),
  reason: z.optional(nonEmpty()),
});

/** A recurring freeze: from the first point to the second, in local time of an IANA zone. */
export const FreezeWindow = z.strictObject({
  name: z
    .string()
    .check(z.regex(/^[a-z0-9][a-z0-9-]*$/, "freeze names are lower-case words joined by hyphens")),
  /** `[fri 16:00, mon 08:00]` every week, or `[22:00, 06:00]` every day. */
  every: z.tuple([nonEmpty(), nonEmpty()]),
  /** An IANA zone such as Europe/Paris; the window follows its daylight-saving time. */
  timeZone: nonEmpty(),
  /** The environments it freezes; by default those of the `freezes:` block. */
  environments: z.optional(oneOrMany(z.string())),
  emergency: z.optional(ApprovalRequirement),
  reason: z.optional(nonEmpty()),
});

/** Freeze calendars: during a freeze, changes to the frozen environments need an emergency approval. */
export const Freezes = z.strictObject({
  environments: z._default(oneOrMany(z.string()), ["production"]),
  /** What a change needs during any freeze (a window may ask for more); raised, never lowered. */
  emergency: z.optional(ApprovalRequirement),
  windows: z._default(z.array(FreezeWindow), []),
});

/** How far a measured figure may move: by `count`, or by `percent` of the approved figure, whichever is more. */
export const FigureTolerance = z.strictObject({
  count: z._default(z.int().check(z.minimum(0)), 0),
  percent: z._default(z.number().check(z.minimum(0), z.maximum(10_000)), 0),
});

/**
 * How far the PostgreSQL proxy's preview of a held statement may move between approval and release
 * before the approval no longer applies and the statement is held anew (docs/postgres.md, "Previews").
 */
export const PreviewTolerance = z.strictObject({
  /** DELETE and UPDATE: the rows the WHERE matches. Default: any change. */
  rows: z._default(FigureTolerance, { count: 0, percent: 0 }),
  /** ALTER TABLE … DROP COLUMN: the rows holding data in each dropped column. Default: any change. */
  columns: z._default(FigureTolerance, { count: 0, percent: 0 }),
  /**
   * DROP TABLE and TRUNCATE: each table's row estimate (which autovacuum moves; default 1 row or
   * 20 %), and the factor its size may grow by (default 2).
   */
  tables: z._default(
    z.strictObject({
      count: z._default(z.int().check(z.minimum(0)), 1),
      percent: z._default(z.number().check(z.minimum(0), z.maximum(10_000)), 20),
      growth: z._default(z.number().check(z.minimum(1), z.maximum(1_000_000)), 2),
    }),
    { count: 1, percent: 20, growth: 2 },
  ),
});
export type PreviewTolerance = z.infer<typeof PreviewTolerance>;

/** The tolerance of a policy that sets none. */
export const DEFAULT_PREVIEW_TOLERANCE: PreviewTolerance = {
  rows: { count: 0, percent: 0 },
  columns: { count: 0, percent: 0 },
  tables: { count: 1, percent: 20, growth: 2 },
};

export const PolicyDocument = z.strictObject({
  version: z.literal(1),
  name: nonEmpty(),
  description: z.optional(z.string()),
  settings: z._default(
    z.strictObject({
      /** MCP servers whose readOnlyHint annotations are believed. */
      trustedMcpServers: z._default(z.array(z.string()), []),
      /** Approval requirement for a hold that names none. */
      defaultApprovals: z.optional(ApprovalRequirement),
      /** `shadow`: every rule's verdict is recorded but not enforced (built-in guards still are). */
      mode: z.optional(z.enum(["enforce", "shadow"])),
      /**
       * The PostgreSQL proxy copies what a released DROP TABLE, TRUNCATE, or a DELETE/UPDATE of more
       * than `rowsOver` rows will lose into the schema airlock_backup first, when it is at most
       * `maxBytes` (docs/postgres.md).
       */
      snapshotBeforeDelete: z.optional(
        z.strictObject({
          rowsOver: z._default(z.int().check(z.minimum(0)), 1000),
          maxBytes: z._default(z.int().check(z.minimum(0)), 1024 * 1024 * 1024),
          /**
           * The AWS endpoint takes a recovery point before it forwards a released destruction (a final
           * RDS snapshot, a DynamoDB backup, EBS snapshots, an S3 versioning check; docs/aws.md). An
           * RDS deletion with SkipFinalSnapshot=true is rewritten to take one, or refused.
           */
          aws: z._default(
            z.strictObject({
              enabled: z._default(z.boolean(), true),
              skipFinalSnapshot: z._default(z.enum(["rewrite", "refuse"]), "rewrite"),
            }),
            { enabled: true, skipFinalSnapshot: "rewrite" },
          ),
        }),
      ),
      /** How far a held statement's preview may move before its approval no longer applies. */
      previewTolerance: z.optional(PreviewTolerance),
    }),
    { trustedMcpServers: [] },
  ),
  rules: z.array(Rule).check(z.minLength(1)),
  breakers: z.optional(z.array(Breaker)),
  freezes: z.optional(Freezes),
});

export type RuleMatch = z.infer<typeof RuleMatch>;
export type Breaker = z.infer<typeof Breaker>;
export type Rule = z.infer<typeof Rule>;
export type FreezeWindow = z.infer<typeof FreezeWindow>;
export type Freezes = z.infer<typeof Freezes>;
export type PolicyDocument = z.infer<typeof PolicyDocument>;
export type ApprovalRequirement = z.infer<typeof ApprovalRequirement>;
