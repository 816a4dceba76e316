import { userInfo } from "node:os";
import { loadSql } from "../analyze/sql/index.js";
import { type ConfigOverrides, loadServerConfig } from "../ingress/http/config.js";
import { restoreSnapshot, type SnapshotPlan } from "../ingress/postgres/snapshot.js";
import { openStore } from "../store/open.js";

/** The operating-system user, for the audit log; a host without a user database still restores. */
function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? `uid ${process.getuid?.() ?? "unknown"}`;
  }
}

/**
 * `airlock restore REQUEST_ID`: put back what the PostgreSQL proxy copied into airlock_backup before
 * the request's statement ran (a dropped table recreated with its rows; truncated or deleted rows
 * inserted again), and record it in the audit log. Run where the server's configuration and data are.
 */
export async function runRestore(id: string, overrides: ConfigOverrides): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`airlock restore: ${message}\n`);
    return 1;
  };
  const config = loadServerConfig(overrides);
  const store = await openStore(config.store);
  try {
    const request = await store.getRequest(id);
    if (!request) return fail(`there is no request ${id}`);
    const action = request.action as {
      database?: string;
      sql?: string;
      preview?: { snapshot?: SnapshotPlan };
    };
    const plan = action.preview?.snapshot;
    if (!plan?.copy || !action.sql)
      return fail(`request ${id} has no snapshot${plan && !plan.copy ? `: ${plan.reason}` : ""}`);
    if (request.status !== "used")
      return fail(`request ${id} is ${request.status}: its statement has not run`);
    const db = config.postgres?.databases.get(action.database ?? "");
    if (!db) return fail(`database ${action.database} is not in the configuration's postgres.databases`);
    await loadSql(["postgres"]);
    let rows: number;
    try {
      rows = await restoreSnapshot(db, plan, action.sql);
    } catch (err) {
      return fail(`cannot restore ${plan.table} from ${plan.into}: ${(err as Error).message}`);
    }
    await store.commit({
      audit: [
        {
          type: "snapshot.restored",
          time: new Date().toISOString(),
          by: `local:${localUser()}`,
          requestId: id,
          database: db.name,
          table: plan.table,
          from: plan.into,
          rows,
        },
      ],
    });
    process.stdout.write(
      `restored ${rows} rows of ${plan.table} on ${db.name} from ${plan.into} (request ${id})\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
