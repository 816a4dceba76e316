import type { Identity } from "../../approvals/identity.js";
import type { ApprovalService } from "../../approvals/service.js";
import type { PostgresDatabase } from "./config.js";
import type { JudgeContext } from "./judge.js";
import { type ErrorFields, SQLSTATE } from "./replies.js";
import { planSnapshot, type SnapshotSettings, takeSnapshot } from "./snapshot.js";

/** snapshotBeforeDelete for one connection: plans shown with the preview, copies made and recorded. */
export function snapshotsFor(
  settings: SnapshotSettings | undefined,
  db: PostgresDatabase,
  service: ApprovalService,
  agent: Identity,
): JudgeContext["snapshots"] {
  if (!settings) return undefined;
  return {
    plan: (preview, sql) => planSnapshot(settings, preview, sql),
    take: async (plan, sql, requestId): Promise<ErrorFields | undefined> => {
      try {
        const rows = await takeSnapshot(db, plan, sql);
        await service.record({
          type: "snapshot.taken",
          requestId,
          agent: agent.name,
          database: db.name,
          table: plan.table,
          into: plan.into,
          rows,
          sql,
        });
        return undefined;
      } catch (err) {
        const message = (err as Error).message;
        await service
          .record({
            type: "snapshot.taken",
            requestId,
            agent: agent.name,
            database: db.name,
            table: plan.table,
            failed: message,
            sql,
          })
          .catch(() => undefined);
        return {
          code: SQLSTATE.insufficientPrivilege,
          message: `airlock could not copy ${plan.table} into ${plan.into} before this statement (${message}); the statement was not run, and its approval (request ${requestId}) is spent`,
        };
      }
    },
  };
}
