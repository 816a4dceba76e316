import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Identity } from "../../approvals/identity.js";
import { ReadRecords } from "../../approvals/read-records.js";
import type { ApprovalService } from "../../approvals/service.js";
import type { Store } from "../../store/port.js";
import { accountLookup } from "./account.js";
import type { AwsEndpointConfig } from "./config.js";
import { CredentialResolver, loadOrCreateCredentialsKey } from "./credentials.js";
import { awsError, renderError, sendError } from "./errors.js";
import { endpointHandler } from "./handler.js";
import type { RecoverySettings } from "./recovery/registry.js";
import { type CredentialSource, standardChain } from "./upstream.js";
import { upstreamIdentities } from "./upstream-identity.js";

export interface AwsEndpointOptions {
  config: AwsEndpointConfig;
  service: ApprovalService;
  store: Store;
  identities: ReadonlyMap<string, Identity>;
  dataDir: string;
  log: (line: string) => void;
  /** airlock's own credentials; the standard AWS chain of this process by default. */
  credentials?: CredentialSource;
  /** The policy's snapshotBeforeDelete for AWS: recovery points before released destructions. */
  recovery?: RecoverySettings;
}

export interface RunningAwsEndpoint {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/** The AWS endpoint's own listener, beside the API's, served by the same process and service. */
export async function startAwsEndpoint(options: AwsEndpointOptions): Promise<RunningAwsEndpoint> {
  const { config, service, log } = options;
  const key = loadOrCreateCredentialsKey(options.dataDir);
  const resolver = new CredentialResolver(options.store, key, options.identities);
  const credentials = options.credentials ?? (await standardChain(config.profile));
  const hosts = new Set<string>();
  const current = new Map<Socket, { req: IncomingMessage; res: ServerResponse }>();
  const served = new WeakSet<Socket>();
  const timeoutMs = config.ownCallTimeoutSeconds * 1000;
  const reads = config.readEntryDelayMs > 0 ? new ReadRecords(config.readEntryDelayMs) : undefined;
  const own = { credentials, account: accountLookup(credentials, config.endpoint, timeoutMs) };
  const handler = endpointHandler({
    service,
    resolver,
    config,
    hosts,
    upstreamFor: await upstreamIdentities(config.accounts, own, config.endpoint, timeoutMs),
    ...(options.recovery ? { recovery: options.recovery } : {}),
    ...(reads ? { reads } : {}),
    log,
    now: Date.now,
  });
  const idleMs = config.idleSeconds * 1000;
  const server = http.createServer(
    { requestTimeout: 0, headersTimeout: idleMs, keepAliveTimeout: 5000 },
    (req, res) => {
      current.set(req.socket, { req, res });
      served.add(req.socket);
      res.on("close", () => current.delete(req.socket));
      handler(req, res);
    },
  );
  // A client that goes quiet (sent nothing, or fewer body bytes than its Content-Length) is told so;
  // a quiet socket while airlock waits on the gate or upstream is not the client's fault.
  server.setTimeout(idleMs, (socket: Socket) => {
    const open = current.get(socket);
    if (open?.req.complete) return;
    // An idle keep-alive connection after a finished exchange: close it quietly; an unasked-for
    // answer on it would be read as the answer to the client's next request.
    if (!open && served.has(socket)) {
      socket.destroy();
      return;
    }
    const refusal = awsError(
      "RequestTimeout",
      `the client sent nothing for ${config.idleSeconds} s; nothing was forwarded`,
    );
    const id = `airlock-${randomUUID()}`;
    void record(service, id, refusal.code, refusal.message);
    if (open && !open.res.headersSent) {
      sendError(open.res, refusal, "rest-xml", id, "GET");
      open.res.on("finish", () => socket.destroy());
    } else answerOnSocket(socket, refusal, id);
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    const id = `airlock-${randomUUID()}`;
    const timeout = err.code === "ERR_HTTP_REQUEST_TIMEOUT" || err.code === "ERR_HTTP_HEADERS_TIMEOUT";
    const refusal = timeout
      ? awsError(
          "RequestTimeout",
          `the client sent no complete request within ${config.idleSeconds} s; nothing was forwarded`,
        )
      : err.code === "HPE_INVALID_EOF_STATE"
        ? awsError(
            "IncompleteBody",
            "the connection ended before the body's Content-Length bytes arrived; nothing was forwarded",
          )
        : awsError("InvalidRequest", `not a valid HTTP request (${err.code ?? err.message})`);
    void record(service, id, refusal.code, refusal.message);
    answerOnSocket(socket, refusal, id);
  });
  server.listen(config.listen.port, config.listen.host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  const port = address.port;
  const names = LOOPBACK.has(config.listen.host) ? [...LOOPBACK] : [config.listen.host];
  for (const name of names) hosts.add(`${name.includes(":") ? `[${name}]` : name}:${port}`);
  for (const h of config.hosts) hosts.add(h.toLowerCase());
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${port}`;
  log(`airlock serve: AWS endpoint on ${url}${config.endpoint ? ` (upstream ${config.endpoint})` : ""}`);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        reads?.now();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An error written straight to a socket that has no request object (nothing, or no valid HTTP, came). */
function answerOnSocket(socket: Socket, refusal: ReturnType<typeof awsError>, id: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const r = renderError(refusal, "rest-xml", id);
  const head = Object.entries({
    ...r.headers,
    "content-length": String(Buffer.byteLength(r.body)),
    connection: "close",
  })
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n");
  socket.end(`HTTP/1.1 ${r.status} ${http.STATUS_CODES[r.status]}\r\n${head}\r\n\r\n${r.body}`);
}

function record(service: ApprovalService, requestId: string, code: string, message: string): Promise<void> {
  return service
    .record({ type: "request.rejected", ingress: "aws", requestId, code, message })
    .catch(() => undefined);
}
