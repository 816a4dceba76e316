import type { Params } from "../params.js";
import { all, textAt } from "../xml.js";
import { queryApiXml } from "./query.js";
import type { Preview, PreviewContext } from "./registry.js";

const RDS = { service: "rds", version: "2014-10-31" };

/** What the call itself says about a final snapshot. */
function finalSnapshot(params: Params): string {
  if (params.SkipFinalSnapshot === true) return "no final snapshot (SkipFinalSnapshot=true)";
  if (typeof params.FinalDBSnapshotIdentifier === "string")
    return `a final snapshot ${params.FinalDBSnapshotIdentifier}`;
  return "a final snapshot is asked for but not named (AWS refuses the call)";
}

/** RDS DeleteDBInstance: the instance, its class, engine and storage, and whether a final snapshot is taken. */
export async function deleteDbInstance(params: Params, ctx: PreviewContext): Promise<Preview> {
  const id = String(params.DBInstanceIdentifier ?? "");
  const xml = await queryApiXml(ctx, RDS)("DescribeDBInstances", { DBInstanceIdentifier: id });
  const db = all(xml, "DescribeDBInstancesResult", "DBInstances", "DBInstance")[0];
  if (!db) return { operation: "rds:DeleteDBInstance", summary: `no DB instance ${id} was found upstream` };
  const storage = Number(textAt(db, "AllocatedStorage") || 0);
  const automated =
    params.DeleteAutomatedBackups === false ? "kept" : "deleted with it (DeleteAutomatedBackups)";
  return {
    operation: "rds:DeleteDBInstance",
    summary: `deletes DB instance ${id} (${textAt(db, "Engine")} ${textAt(db, "EngineVersion")}, ${textAt(db, "DBInstanceClass")}, ${storage} GiB, ${textAt(db, "DBInstanceStatus")}); ${finalSnapshot(params)}; automated backups ${automated}`,
    resources: [
      {
        type: "AWS::RDS::DBInstance",
        id,
        engine: textAt(db, "Engine"),
        class: textAt(db, "DBInstanceClass"),
        storageGiB: storage,
        multiAZ: textAt(db, "MultiAZ") === "true",
        deletionProtection: textAt(db, "DeletionProtection") === "true",
        backupRetentionDays: Number(textAt(db, "BackupRetentionPeriod") || 0),
        finalSnapshot: params.SkipFinalSnapshot !== true,
      },
    ],
  };
}

/** RDS DeleteDBCluster: the cluster, its members and storage, and whether a final snapshot is taken. */
export async function deleteDbCluster(params: Params, ctx: PreviewContext): Promise<Preview> {
  const id = String(params.DBClusterIdentifier ?? "");
  const xml = await queryApiXml(ctx, RDS)("DescribeDBClusters", { DBClusterIdentifier: id });
  const c = all(xml, "DescribeDBClustersResult", "DBClusters", "DBCluster")[0];
  if (!c) return { operation: "rds:DeleteDBCluster", summary: `no DB cluster ${id} was found upstream` };
  const members = all(c, "DBClusterMembers", "DBClusterMember").map((m) => textAt(m, "DBInstanceIdentifier"));
  const storage = Number(textAt(c, "AllocatedStorage") || 0);
  return {
    operation: "rds:DeleteDBCluster",
    summary: `deletes DB cluster ${id} (${textAt(c, "Engine")} ${textAt(c, "EngineVersion")}, ${storage} GiB, ${members.length} member instance${members.length === 1 ? "" : "s"}, ${textAt(c, "Status")}); ${finalSnapshot(params)}`,
    resources: [
      {
        type: "AWS::RDS::DBCluster",
        id,
        engine: textAt(c, "Engine"),
        storageGiB: storage,
        members: members.join(", "),
        deletionProtection: textAt(c, "DeletionProtection") === "true",
        finalSnapshot: params.SkipFinalSnapshot !== true,
      },
    ],
  };
}
