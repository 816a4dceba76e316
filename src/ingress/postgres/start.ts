import { loadSql } from "../../analyze/sql/index.js";
import type { Identity } from "../../approvals/identity.js";
import type { ApprovalService } from "../../approvals/service.js";
import type { CompiledPolicy } from "../../policy/compile.js";
import type { Store } from "../../store/port.js";
import type { PostgresConfig } from "./config.js";
import { type RunningProxy, startPostgresProxy } from "./listener.js";
import { proxySecureContext } from "./tls.js";

/** Start the PostgreSQL proxy beside the HTTP server when the configuration asks for it. */
export async function startPostgresFor(
  config: { postgres?: PostgresConfig; dataDir: string; identities: ReadonlyMap<string, Identity> },
  deps: { service: ApprovalService; store: Store; log: (line: string) => void; policy: CompiledPolicy },
): Promise<RunningProxy | undefined> {
  if (!config.postgres) return undefined;
  await loadSql(["postgres"]);
  const { snapshotBeforeDelete: snapshot, previewTolerance } = deps.policy.document.settings;
  return startPostgresProxy({
    config: config.postgres,
    secure: proxySecureContext(config.dataDir, config.postgres.tls),
    service: deps.service,
    store: deps.store,
    identities: config.identities,
    log: deps.log,
    ...(snapshot ? { snapshot } : {}),
    ...(previewTolerance ? { previewTolerance } : {}),
  });
}

/** The proxy's configuration for the audit log: listener, databases and upstreams, never a password. */
export function describePostgres(config: PostgresConfig): Record<string, unknown> {
  return {
    listen: `${config.listen.host}:${config.listen.port}`,
    databases: [...config.databases.values()].map((d) => ({
      name: d.name,
      environment: d.environment,
      upstream: `${d.upstream.user}@${d.upstream.host}:${d.upstream.port}/${d.upstream.database}`,
      sslmode: d.upstream.sslmode,
      password: d.upstream.password === undefined ? "none" : "configured",
    })),
  };
}
