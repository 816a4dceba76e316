import type { Params } from "../params.js";
import { type RecoveryKind, recoveryName } from "./registry.js";

/**
 * RDS DeleteDBInstance / DeleteDBCluster: the deletion itself takes the final snapshot. A call that
 * names one keeps it; one with SkipFinalSnapshot=true is rewritten to take `airlock-<request>` (or
 * refused, as the policy says). The snapshot exists once AWS has deleted the database.
 */
export function finalSnapshot(what: "instance" | "cluster"): RecoveryKind {
  const idParam = what === "instance" ? "DBInstanceIdentifier" : "DBClusterIdentifier";
  const restore = (db: string, snapshot: string) =>
    what === "instance"
      ? `aws rds restore-db-instance-from-db-snapshot --db-instance-identifier ${db} --db-snapshot-identifier ${snapshot}`
      : `aws rds restore-db-cluster-from-snapshot --db-cluster-identifier ${db} --snapshot-identifier ${snapshot} --engine ENGINE`;
  const named = (params: Params) =>
    params.SkipFinalSnapshot !== true && typeof params.FinalDBSnapshotIdentifier === "string"
      ? params.FinalDBSnapshotIdentifier
      : undefined;
  return {
    plan(params, settings) {
      const given = named(params);
      if (given) return { plan: `the deletion keeps its final snapshot ${given}, which airlock records` };
      if (settings.skipFinalSnapshot === "refuse")
        return {
          refuse: `the policy (snapshotBeforeDelete) requires a final snapshot: call again with --final-db-snapshot-identifier NAME and without --skip-final-snapshot`,
        };
      return {
        plan: "airlock rewrites the call to take a final snapshot airlock-<request id> (SkipFinalSnapshot=false)",
      };
    },
    async take(params, ctx) {
      const db = String(params[idParam] ?? "");
      const given = named(params);
      const snapshot = given ?? recoveryName(ctx.requestId);
      return {
        points: [
          {
            kind: what === "instance" ? "RDS final DB snapshot" : "RDS final DB cluster snapshot",
            id: snapshot,
            of: db,
            restore: restore(db, snapshot),
          },
        ],
        ...(given ? {} : { rewrite: { SkipFinalSnapshot: "false", FinalDBSnapshotIdentifier: snapshot } }),
      };
    },
  };
}
