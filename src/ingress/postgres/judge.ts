import type { Decision } from "../../action/decision.js";
import type { SqlAction } from "../../action/schema.js";
import type { Identity } from "../../approvals/identity.js";
import type { ApprovalService } from "../../approvals/service.js";
import type { PostgresDatabase } from "./config.js";
import { movedBeyondTolerance, type Preview } from "./preview-compare.js";
import { type ErrorFields, SQLSTATE } from "./replies.js";
import type { SnapshotPlan } from "./snapshot.js";

/** Who is asking, and where: fixed for a connection by its login, never by what it sends later. */
export interface JudgeContext {
  service: ApprovalService;
  agent: Identity;
  database: PostgresDatabase;
  /** Measures what a write would touch, for the approvers (see preview.ts); absent: no preview. */
  preview?: (sql: string) => Promise<Record<string, unknown> | undefined>;
  /** The user-defined functions the SQL calls, from the upstream's catalog (see catalog.ts). */
  functions?: (sql: string) => Promise<NonNullable<SqlAction["functions"]>>;
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
}

/**
 * One statement as a `sql` Action (engine postgres, the database and its environment from the
 * configuration, the agent from its login) through the approval service, which records it.
 */
export async function judgeStatement(ctx: JudgeContext, sql: string, via: string): Promise<Judgement> {
  const functions = ctx.functions ? await ctx.functions(sql) : [];
  // A preview would run the user's function before anyone approved it.
  const preview =
    ctx.preview && functions.length === 0 ? await ctx.preview(sql).catch(() => undefined) : undefined;
  const action = (extra: Record<string, unknown>) => ({
    kind: "sql",
    engine: "postgres",
    sql,
    database: ctx.database.name,
    context: { environment: ctx.database.environment },
    // Commentary, outside the digest: how it arrived, and what it would touch.
    via,
    ...(functions.length > 0 ? { functions } : {}),
    ...(preview ? { preview } : {}),
    ...extra,
  });
  const plan = preview && ctx.snapshots?.plan(preview, sql);
  if (preview && plan) preview.snapshot = plan;
  let decision = await ctx.service.submit(action({}), ctx.agent);
  let approved: Preview | undefined;
  if (decision.code === "released" && decision.request) {
    approved = (await ctx.service.get(decision.request.id))?.action.preview as Preview | undefined;
    // The approval was for what the approvers saw; if that moved, it does not apply.
    const moved = approved && preview ? movedBeyondTolerance(approved, preview) : undefined;
    if (moved) {
      decision = await ctx.service.submit(
        action({ previewAtApproval: approved, previewChanged: moved, supersedes: decision.request.id }),
        ctx.agent,
      );
    }
  }
  if (decision.decision !== "allow") return { decision, refusal: await refusalOf(ctx, decision) };
  // The copy the approvers were promised is made before the statement runs, or it does not run.
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
