import { createServer, type Server, type Socket } from "node:net";
import type { SecureContext } from "node:tls";
import type { Identity } from "../../approvals/identity.js";
import { ReadRecords } from "../../approvals/read-records.js";
import type { ApprovalService } from "../../approvals/service.js";
import type { PreviewTolerance } from "../../policy/schema.js";
import type { Store } from "../../store/port.js";
import { CancelKeys } from "./cancel.js";
import { Catalogs } from "./catalogs.js";
import type { PostgresConfig } from "./config.js";
import { login } from "./login.js";
import { measure } from "./preview.js";
import { Relay } from "./relay.js";
import {
  authentication,
  backendKeyData,
  type ErrorFields,
  errorResponse,
  readyForQuery,
  SQLSTATE,
} from "./replies.js";
import type { SnapshotSettings } from "./snapshot.js";
import { snapshotsFor } from "./snapshots.js";
import { negotiate } from "./startup.js";
import { checkStartupParams } from "./startup-params.js";
import { connectUpstream, MAX_UPSTREAM_MESSAGE, UpstreamError } from "./upstream.js";
import { MessageReader, ProtocolError } from "./wire.js";

/** The largest message a client may send (a Query, a Bind with its values, a CopyData chunk). */
export const MAX_CLIENT_MESSAGE = 64 * 1024 * 1024;
/** A connection must log in within this time. */
const LOGIN_TIMEOUT_MS = 60_000;

export interface PostgresProxyDeps {
  config: PostgresConfig;
  secure: SecureContext;
  service: ApprovalService;
  store: Store;
  identities: ReadonlyMap<string, Identity>;
  log: (line: string) => void;
  /** The policy's snapshotBeforeDelete, when set. */
  snapshot?: SnapshotSettings;
  /** The policy's previewTolerance, when set (otherwise the default: see preview-compare.ts). */
  previewTolerance?: PreviewTolerance;
}

export interface RunningProxy {
  address: { host: string; port: number };
  close(): Promise<void>;
}

/** The PostgreSQL listener of `airlock serve`: one Relay per logged-in connection. */
export async function startPostgresProxy(deps: PostgresProxyDeps): Promise<RunningProxy> {
  const keys = new CancelKeys();
  const catalogs = new Catalogs();
  const reads = deps.config.readEntryDelayMs > 0 ? new ReadRecords(deps.config.readEntryDelayMs) : undefined;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.setNoDelay(true);
    accept(deps, { keys, catalogs, reads }, socket).catch((err: Error) => {
      deps.log(`postgres proxy: connection failed: ${err.message}`);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(deps.config.listen.port, deps.config.listen.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : deps.config.listen.port;
  deps.log(`airlock serve: postgres proxy on ${deps.config.listen.host}:${port}`);
  return {
    address: { host: deps.config.listen.host, port },
    close: async () => {
      for (const s of sockets) s.destroy();
      catalogs.close();
      reads?.now();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What the connections of one listener share. */
interface Shared {
  keys: CancelKeys;
  catalogs: Catalogs;
  /** Absent: every statement waits for its durable entry (postgres.readEntryDelayMs: 0). */
  reads: ReadRecords | undefined;
}

async function accept(deps: PostgresProxyDeps, shared: Shared, socket: Socket): Promise<void> {
  const { keys, catalogs, reads } = shared;
  const timer = setTimeout(() => socket.destroy(), LOGIN_TIMEOUT_MS);
  let startup: Awaited<ReturnType<typeof negotiate>>;
  const current = { socket };
  try {
    startup = await negotiate(socket, deps.secure, current);
  } catch (err) {
    clearTimeout(timer);
    const text = err instanceof ProtocolError ? err.message : "the connection failed during negotiation";
    current.socket.end(errorResponse({ code: SQLSTATE.protocolViolation, message: text, severity: "FATAL" }));
    return;
  }
  if (startup.kind === "cancel") {
    clearTimeout(timer);
    socket.destroy();
    await keys.cancel(startup.pid, startup.secret).catch(() => false);
    return;
  }
  const { pull } = startup;
  const refuse = async (error: ErrorFields, audit: string, by?: string) => {
    clearTimeout(timer);
    pull.socket.end(errorResponse(error));
    await deps.service
      .record({
        type: "request.rejected",
        by: by ?? "unknown",
        code: "postgres_login",
        message: `postgres proxy: ${audit}`,
      })
      .catch(() => undefined);
  };
  const params = checkStartupParams(startup.params);
  if (!params.ok) return refuse(params.error, params.error.message, startup.params.get("user"));
  const result = await login(
    { store: deps.store, identities: deps.identities, databases: deps.config.databases },
    pull,
    { tls: startup.tls, user: params.user, database: params.database },
  );
  if (!result.ok) return refuse(result.error, result.audit, params.user);
  let upstream: Awaited<ReturnType<typeof connectUpstream>>;
  try {
    upstream = await connectUpstream(result.database.upstream, params.passed);
  } catch (err) {
    const fields = err instanceof UpstreamError ? err.fields : undefined;
    const why = fields?.get("M") ?? (err as Error).message;
    return refuse(
      {
        code: SQLSTATE.cannotConnect,
        message: `airlock cannot open the upstream database ${result.database.name}: ${why}`,
        severity: "FATAL",
      },
      `upstream ${result.database.name} unavailable: ${why}`,
      params.user,
    );
  }
  clearTimeout(timer);
  const key = keys.issue({ target: result.database.upstream, pid: upstream.pid, secret: upstream.secret });
  const client = pull.socket;
  client.write(
    Buffer.concat([
      authentication(0),
      ...upstream.parameterStatus,
      backendKeyData(key.pid, key.secret),
      readyForQuery(upstream.status),
    ]),
  );
  const clientReader = new MessageReader(MAX_CLIENT_MESSAGE);
  clientReader.push(pull.release());
  const upstreamReader = new MessageReader(MAX_UPSTREAM_MESSAGE);
  upstreamReader.push(upstream.pull.release());
  const relay = new Relay({
    client,
    clientReader,
    upstream: upstream.pull.socket,
    upstreamReader,
    judge: {
      service: deps.service,
      agent: result.agent,
      database: result.database,
      catalog: catalogs.of(result.database),
      ...(reads ? { reads } : {}),
      snapshots: snapshotsFor(deps.snapshot, result.database, deps.service, result.agent),
      preview: (sql) => measure(result.database, sql, deps.config.previewTimeoutMs),
      ...(deps.previewTolerance ? { tolerance: deps.previewTolerance } : {}),
    },
    log: deps.log,
  });
  client.once("close", () => {
    keys.forget(key.pid, key.secret);
    relay.close();
  });
}
