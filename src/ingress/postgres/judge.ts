import type { Decision } from "../../action/decision.js";
import type { Identity } from "../../approvals/identity.js";
import type { ReadRecords } from "../../approvals/read-records.js";
import { type ApprovalService, isReleasable } from "../../approvals/service.js";
import type { PreviewTolerance } from "../../policy/schema.js";
import type { FunctionCalls } from "./catalog.js";
import type { PostgresDatabase } from "./config.js";
import { movedBeyondTolerance, type Preview } from "./preview-compare.js";
import { mayChangeCatalog, namesAny, type Relations } from "./relations.js";
import { type ErrorFields, SQLSTATE } from "./replies.js";
import type { SnapshotPlan } from "./snapshot.js";

/** Who is asking, and where: fixed for a connection by its login, never by what it sends later. */
export interface JudgeContext {
  service: ApprovalService;
  agent: Identity;
  database: PostgresDatabase;
  /** How far a preview may move between approval and release (the policy's previewTolerance). */
  tolerance?: PreviewTolerance;
  /** Measures what a write would touch, for the approvers (see preview.ts); absent: no preview. */
  preview?: (sql: string) => Promise<Record<string, unknown> | undefined>;
  /**
   * What the upstream's catalog says of the functions a statement calls and of what its relations run
   * (see catalog.ts); told when a statement that may change the catalog is forwarded.
   */
  catalog?: {
    calls(names: readonly string[], relations?: Relations): Promise<FunctionCalls>;
    changed(): void;
  };
  /**
   * When the audit entries of plain reads are queued (see read-records.ts); absent: every statement
   * waits for its durable entry before it is forwarded.
   */
  reads?: ReadRecords;
  /** snapshotBeforeDelete, when the policy asks for it (see snapshot.ts). */
  snapshots?: {
    plan(preview: Preview, sql: string): SnapshotPlan | undefined;
    /** Undefined once the copy is made; otherwise what the client is told (nothing runs). */
    take(
      plan: Extract<SnapshotPlan, { copy: true }>,
      sql: string,
      requestId: string,
    ): Promise<ErrorFields | undefined>;
  };
}

export interface Judgement {
  decision: Decision;
  /** Set unless the decision is allow: what the client is told. */
  refusal?: ErrorFields;
  /**
   * For a plain read forwarded before its audit entry is durable: settles once it is, rejects when
   * it could not be written (the session must end). Absent: the entry was durable before the decision.
   */
  recorded?: Promise<void>;
  /** When that entry is queued: what is recorded of the statement afterwards is queued after it. */
  queued?: Promise<void>;
  /** Whether, once it ran, what the catalog says (catalog.ts) may have changed: DDL, or code out of sight. */
  catalogMayChange?: boolean;
  /**
   * Set when an approved request would release the statement (the decision is then that hold, and
   * nothing is spent or recorded yet): call it once everything sent with the statement may go. It
   * uses the approval and resolves to the final judgement, a refusal if the approval was used meanwhile.
   */
  spend?: () => Promise<Judgement>;
}

/** What judging needs of one statement: its text, and what the parser found in it (see statements.ts). */
export interface JudgedStatement {
  sql: string;
  /** Its syntax-tree node (`SelectStmt`, `DeleteStmt`…); undefined when it did not parse. */
  node?: string;
  /** The names of the functions it calls; undefined when it did not parse. */
  functions?: readonly string[];
  /** The relations it uses (see relations.ts); undefined when it did not parse. */
  relations?: Relations;
  /**
   * Something sent before it may have changed the catalog and is not committed (or not run) yet: what
   * the catalog says of its functions and relations may not be what runs, so they count as unknown.
   */
  unsettled?: boolean;
}

/** Statements a preview measures (see preview.ts): nothing else is sent upstream before the decision. */
const MEASURED = new Set(["DeleteStmt", "UpdateStmt", "DropStmt", "TruncateStmt", "AlterTableStmt"]);

/**
 * One statement as a `sql` Action (engine postgres, the database and its environment from the
 * configuration, the agent from its login) through the approval service, which records it. A plain
 * read (it parsed, calls no user-defined or volatile function, and every operation the analysis finds
 * is a read) is forwarded without waiting for its entry's fsync; anything else waits for it.
 */
export async function judgeStatement(
  ctx: JudgeContext,
  statement: JudgedStatement,
  via: string,
): Promise<Judgement> {
  const calls =
    ctx.catalog && statement.functions
      ? await ctx.catalog.calls(statement.functions, statement.relations)
      : { userDefined: [], volatile: [], rules: [], inQuery: false };
  const unknown = statement.unsettled && uses(statement) ? [UNSETTLED] : [];
  const functions = [...calls.userDefined, ...unknown];
  // DDL, or code out of sight that could run DDL: the catalog's cached answers are dropped now and
  // once it ran (an INSERT into a table without triggers changes nothing there: they are kept).
  const mayChange = mayChangeCatalog(statement.node) || functions.length > 0 || calls.rules.length > 0;
  if (mayChange) ctx.catalog?.changed();
  const judged = await decide(ctx, statement, via, {
    ...calls,
    userDefined: functions,
    inQuery: calls.inQuery || unknown.length > 0,
  });
  const spend = judged.spend;
  return {
    ...judged,
    catalogMayChange: mayChange,
    ...(spend ? { spend: async () => ({ ...(await spend()), catalogMayChange: mayChange }) } : {}),
  };
}

async function decide(
  ctx: JudgeContext,
  statement: JudgedStatement,
  via: string,
  calls: FunctionCalls,
): Promise<Judgement> {
  const { sql } = statement;
  const functions = calls.userDefined;
  const inQuery = calls.inQuery;
  // A preview would run the user's function (or a view's, a policy's) before anyone approved it.
  const measured = statement.node === undefined || MEASURED.has(statement.node);
  const preview =
    ctx.preview && measured && !inQuery ? await ctx.preview(sql).catch(() => undefined) : undefined;
  const action = (extra: Record<string, unknown>) => ({
    kind: "sql",
    engine: "postgres",
    sql,
    database: ctx.database.name,
    context: { environment: ctx.database.environment },
    // Commentary, outside the digest: how it arrived, and what it would touch.
    via,
    ...(functions.length > 0 ? { functions } : {}),
    ...(calls.rules.length > 0 ? { rules: calls.rules } : {}),
    ...(preview ? { preview } : {}),
    ...extra,
  });
  const plan = preview && ctx.snapshots?.plan(preview, sql);
  if (preview && plan) preview.snapshot = plan;
  const plainRead =
    ctx.reads?.early &&
    statement.functions !== undefined &&
    functions.length === 0 &&
    calls.volatile.length === 0 &&
    calls.rules.length === 0 &&
    !preview;
  let decision: Decision;
  if (ctx.reads && plainRead) {
    // A release is looked at here and used only when the whole message or pipeline goes (spend).
    const early = await ctx.service.submitRead(action({}), ctx.agent, ctx.reads, { spend: false });
    if (early.decision.decision === "allow") return early;
    decision = early.decision;
  } else {
    // What may write is logged after the reads sent before it, and forwarded once its entry is durable.
    ctx.reads?.now();
    decision = await ctx.service.submitUnspent(action({}), ctx.agent);
    // submitRead keeps this account itself: an entry durable again lets reads go early again.
    if (decision.code !== "store_unavailable" && !isReleasable(decision)) ctx.reads?.written();
  }
  const releasable = isReleasable(decision);
  if (!releasable || !decision.request) {
    if (decision.decision !== "allow") return { decision, refusal: await refusalOf(ctx, decision) };
    return { decision };
  }
  const approved = (await ctx.service.get(decision.request.id))?.action.preview as Preview | undefined;
  // The approval was for what the approvers saw; if that moved, it does not apply: it is used, and
  // the statement is held anew under a request that supersedes it.
  const moved = approved && preview ? movedBeyondTolerance(approved, preview, ctx.tolerance) : undefined;
  if (!moved) return { decision, spend: () => release(ctx, action({}), sql, approved) };
  const used = await ctx.service.submit(action({}), ctx.agent);
  const supersedes = used.request?.id ?? decision.request.id;
  decision = await ctx.service.submit(
    action({ previewAtApproval: approved, previewChanged: moved, supersedes }),
    ctx.agent,
  );
  if (decision.decision === "allow") return { decision };
  const refusal = await refusalOf(ctx, decision);
  // Both figures, where psql shows them: why the approval given does not apply.
  const why = `the approval of ${supersedes} does not apply: ${moved}, beyond the policy's tolerance`;
  return { decision, refusal: { ...refusal, detail: [why, refusal.detail].filter(Boolean).join("\n") } };
}

/** Stands for what the catalog cannot tell yet (see JudgedStatement.unsettled): opaque. */
const UNSETTLED = {
  name: "(not looked up)",
  volatility:
    "unknown: a statement sent before it in this session may change the catalog and is not committed yet",
  via: "what the session created or changed before it",
};

const uses = (s: JudgedStatement): boolean =>
  (s.functions?.length ?? 0) > 0 || (s.relations !== undefined && namesAny(s.relations));

/**
 * Use the approval of a releasable statement, now that everything sent with it may go: submitted
 * again, which spends the request (another session may have used it meanwhile: then this is held or
 * refused anew). The copy the approvers were promised is made before the statement runs, or it does
 * not run.
 */
async function release(
  ctx: JudgeContext,
  action: Record<string, unknown>,
  sql: string,
  approved: Preview | undefined,
): Promise<Judgement> {
  ctx.reads?.now();
  const decision = await ctx.service.submit(action, ctx.agent);
  if (decision.code !== "store_unavailable") ctx.reads?.written();
  if (decision.decision !== "allow") return { decision, refusal: await refusalOf(ctx, decision) };
  const promised =
    decision.code === "released" ? (approved?.snapshot as SnapshotPlan | undefined) : undefined;
  if (promised?.copy && ctx.snapshots && decision.request) {
    const failed = await ctx.snapshots.take(promised, sql, decision.request.id);
    if (failed) return { decision, refusal: failed };
  }
  return { decision };
}

async function refusalOf(ctx: JudgeContext, d: Decision): Promise<ErrorFields> {
  const reasons = d.reasons.join("; ");
  if (d.decision === "deny")
    return {
      code: SQLSTATE.insufficientPrivilege,
      message: `airlock denied this statement${d.code ? ` (${d.code})` : ""}: ${reasons}`,
    };
  const ref = d.request;
  if (!ref)
    return { code: SQLSTATE.insufficientPrivilege, message: `airlock held this statement: ${reasons}` };
  const request = await ctx.service.get(ref.id).catch(() => undefined);
  const required = d.approvals?.required ?? 1;
  const given = request?.approvals.length ?? 0;
  const wait = d.approvals?.delaySeconds ?? 0;
  const needs = [
    given < required ? `${required - given} more approval(s) (${given}/${required})` : "no more approvals",
    wait > 0 ? `then a wait of ${formatSeconds(wait)}` : "",
    ref.releasableAt ? `releasable at ${ref.releasableAt}` : "",
  ].filter(Boolean);
  return {
    code: SQLSTATE.insufficientPrivilege,
    message: `airlock held this statement for approval: request ${ref.id} (${ref.url}); needs ${needs.join(", ")}`,
    detail: reasons,
    hint: `After the request is approved and released, send the identical statement again on database ${ctx.database.name}; it is allowed once.`,
  };
}

function formatSeconds(s: number): string {
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}
