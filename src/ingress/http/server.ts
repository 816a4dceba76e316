import { hash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono, type MiddlewareHandler } from "hono";
import type { Identity } from "../../approvals/identity.js";
import type { ApprovalService } from "../../approvals/service.js";
import { Checkpointer } from "../../audit/checkpointer.js";
import { loadPolicyFile } from "../../local/policy-file.js";
import { checkpointEvent } from "../../notify/checkpoint-event.js";
import { describeWebhook } from "../../notify/config.js";
import { Notifier } from "../../notify/notifier.js";
import type { CompiledPolicy } from "../../policy/compile.js";
import { describeStore } from "../../store/open.js";
import { type Store, StoreUnavailable } from "../../store/port.js";
import { openSealedStore } from "../../store/sealed.js";
import { describePostgres, startPostgresFor } from "../postgres/start.js";
import { api } from "./api.js";
import type { AppEnv } from "./auth.js";
import type { ServerConfig } from "./config.js";
import { apiError } from "./errors.js";
import type { Log } from "./logger.js";
import { MeteredService } from "./metered-service.js";
import { Metrics } from "./metrics.js";
import { opsRoutes } from "./ops-routes.js";
import { Sweeper } from "./sweeper.js";

export interface RunningServer {
  url: string;
  /** The AWS endpoint's address, when it is on (docs/aws.md). */
  awsUrl?: string;
  verifierKey: string;
  /** Where the PostgreSQL proxy listens, when it does. */
  postgres?: { host: string; port: number };
  /** Stop taking requests, sign a last checkpoint, record the stop, close the store. */
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Mount more routes (the approvers' pages) on the same app. */
  extend?: (
    app: Hono<AppEnv>,
    deps: {
      service: ApprovalService;
      store: Store;
      verifierKey: string;
      identities: ReadonlyMap<string, Identity>;
    },
  ) => void;
  log?: Log;
}

const SWEEP_MS = 1000;

/**
 * One process: the HTTP API, the pages, health and metrics, and the background work (releases and
 * expiries every second, a signed checkpoint of the audit log at least every `checkpointSeconds`),
 * which one replica of a cluster runs at a time (sweeper.ts).
 */
export async function startServer(config: ServerConfig, options: ServerOptions = {}): Promise<RunningServer> {
  const log: Log = options.log ?? (() => undefined);
  // Read once: the hash recorded in config.loaded is of the very text that was compiled.
  const { policy, ...policyText } = await loadPolicyFile(config.policy);
  // Before anything is signed: the log must match every checkpoint signed before (AuditTampered if not).
  const sealed = await openSealedStore({ ...config, log });
  const { store, keys: signer, checkpointDir } = sealed;
  for (const warning of sealed.anchor.warnings)
    log(`airlock serve: audit log: ${warning}`, { level: "warn" });
  if (!config.checkpointDirNamed)
    log(
      `airlock serve: checkpoints are copied to ${checkpointDir.path}, inside the data directory; set ` +
        "checkpointDir in airlock.yaml to a directory the data directory's writers cannot change (docs/audit.md)",
      { level: "warn" },
    );
  const checkpointer = new Checkpointer(store, signer.signerKey, sealed.anchor.frontier);
  /** A periodic checkpoint: into the store's history, kept in the checkpoint directory, sent to the webhooks. */
  const publishCheckpoint = async (): Promise<void> => {
    const signed = await checkpointer.checkpoint();
    if (!signed) return;
    await checkpointDir.keep(signed);
    notifier?.publish(checkpointEvent(signed, new Date().toISOString()));
  };
  let publicUrl = config.publicUrl ?? "";
  // Webhooks hear of every committed change through the store the service writes with; see src/notify.
  const notifier: Notifier | undefined =
    config.webhooks.length > 0
      ? new Notifier({
          webhooks: config.webhooks,
          requestUrl: (id): string => service.requestUrl(id),
          log,
          record: (draft): Promise<void> => service.record(draft),
        })
      : undefined;
  const metrics: Metrics = new Metrics(async (): Promise<number> => {
    // A gauge read at scrape; when the store is down the scrape still answers (the error is counted).
    const pending = await observed.listRequests({ status: "pending", limit: 1000 }).catch(() => []);
    return pending.length;
  });
  const observed: Store = metrics.observe(store);
  const service: ApprovalService = new MeteredService(metrics, {
    store: notifier?.observe(observed) ?? observed,
    policy,
    publicUrl: () => publicUrl,
    ...(config.defaultContext ? { defaultContext: config.defaultContext } : {}),
    self: { paths: [config.dataDir, ...(config.file ? [config.file] : [])], pids: [process.pid] },
  });
  for (const w of config.webhooks.filter((w) => w.secretFrom === "file"))
    log(`airlock serve: webhook ${w.name} has its secret in the configuration file; prefer secretEnv`, {
      level: "warn",
    });

  const app = new Hono<AppEnv>();
  app.onError((err, c) => {
    if (err instanceof StoreUnavailable) {
      log(`store unavailable on ${c.req.method} ${c.req.path}: ${err.message}`, {
        level: "error",
        code: "store_unavailable",
      });
      return apiError(c, "store_unavailable", "airlock cannot reach its store; nothing was decided (deny)");
    }
    log(`internal error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`, { level: "error" });
    return c.json(
      { error: { code: "internal", message: "airlock failed on this request; nothing was decided" } },
      500,
    );
  });
  app.use(metrics.http());
  if (config.logging.requests) app.use(accessLog(log));
  let stopping = false;
  opsRoutes(app, { store, metrics, stopping: () => stopping });
  app.route("/v1", api({ service, store: observed, identities: config.identities }));
  options.extend?.(app, { service, store, verifierKey: signer.verifierKey, identities: config.identities });

  await service.record({
    type: "config.loaded",
    config: {
      file: config.file,
      listen: `${config.listen.host}:${config.listen.port}`,
      dataDir: config.dataDir,
      policy: { file: policyText.file, sha256: hash("sha256", policyText.text, "hex") },
      identities: [...config.identities.values()],
      ...(config.defaultContext ? { defaultContext: config.defaultContext } : {}),
      origin: config.origin,
      verifierKey: signer.verifierKey,
      ...(config.webhooks.length > 0 ? { notify: config.webhooks.map(describeWebhook) } : {}),
      ...(config.postgres ? { postgres: describePostgres(config.postgres) } : {}),
      ...(config.aws
        ? {
            aws: {
              listen: `${config.aws.listen.host}:${config.aws.listen.port}`,
              endpoint: config.aws.endpoint,
            },
          }
        : {}),
    },
  });

  const server = serve({ fetch: app.fetch, hostname: config.listen.host, port: config.listen.port });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  const aws = config.aws
    ? await (await import("../aws/server.js")).startAwsEndpoint({
        config: config.aws,
        service,
        store,
        identities: config.identities,
        dataDir: config.dataDir,
        log,
        ...awsRecovery(policy),
      })
    : undefined;
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  publicUrl ||= url;
  await service.record({ type: "server.started", pid: process.pid, url, publicUrl });
  const sweeper = new Sweeper({
    store,
    everyReplica: () => service.recordThrottled(),
    sweep: () => service.sweep(),
    checkpoint: publishCheckpoint,
    sweepMs: SWEEP_MS,
    checkpointMs: config.checkpointSeconds * 1000,
    log,
    onLease: (held) => metrics.leaseHeld(held),
  });
  await sweeper.start();
  log(
    `airlock serve: listening on ${url} (data in ${config.dataDir}${config.store.kind === "postgres" ? `; store: ${describeStore(config.store)}` : ""})`,
    { url, pid: process.pid },
  );
  const postgres = await startPostgresFor(config, { service, store, log, policy }).catch(
    async (err: Error) => {
      await sweeper.stop();
      await sweeper.release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      throw err;
    },
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stopping = true;
      const leader = await sweeper.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await postgres?.close();
      await aws?.close();
      await service.recordThrottled(true);
      await service.record({ type: "server.stopped", pid: process.pid });
      // The lease holder signs the last checkpoint; other replicas' entries are in the next one it signs.
      if (leader) await publishCheckpoint();
      await sweeper.release();
      notifier?.close();
      await store.close();
      await checkpointDir.flush();
      log(
        leader
          ? "airlock serve: stopped; last checkpoint signed"
          : "airlock serve: stopped; the replica holding the sweep lease signs the next checkpoint",
      );
    })();
    return closing;
  };
  return {
    url,
    verifierKey: signer.verifierKey,
    close,
    ...(postgres ? { postgres: postgres.address } : {}),
    ...(aws ? { awsUrl: aws.url } : {}),
  };
}

/** The policy's snapshotBeforeDelete as the AWS endpoint takes it: on unless `aws.enabled` is false. */
function awsRecovery(policy: CompiledPolicy): { recovery?: { skipFinalSnapshot: "rewrite" | "refuse" } } {
  const aws = policy.document.settings.snapshotBeforeDelete?.aws;
  return aws?.enabled ? { recovery: { skipFinalSnapshot: aws.skipFinalSnapshot } } : {};
}

/** One line per HTTP request: method, route, status, time, and the caller's name; never a body or a token. */
function accessLog(log: Log): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const caller = c.get("identity")?.name;
    log(`${c.req.method} ${c.req.path} ${c.res.status} ${ms} ms${caller ? ` ${caller}` : ""}`, {
      event: "http",
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms,
      ...(caller ? { caller } : {}),
    });
  };
}
