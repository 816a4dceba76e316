import { hash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Identity } from "../../approvals/identity.js";
import { ApprovalService } from "../../approvals/service.js";
import { Checkpointer } from "../../audit/checkpointer.js";
import { loadPolicyFile } from "../../local/policy-file.js";
import { checkpointEvent } from "../../notify/checkpoint-event.js";
import { describeWebhook } from "../../notify/config.js";
import { Notifier } from "../../notify/notifier.js";
import type { CompiledPolicy } from "../../policy/compile.js";
import { describeStore } from "../../store/open.js";
import type { Store } from "../../store/port.js";
import { openSealedStore } from "../../store/sealed.js";
import { describePostgres, startPostgresFor } from "../postgres/start.js";
import { api } from "./api.js";
import type { AppEnv } from "./auth.js";
import type { ServerConfig } from "./config.js";

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
  log?: (line: string) => void;
}

const SWEEP_MS = 1000;

/**
 * One process: the HTTP API, the pages, and the background work (releases and expiries every second,
 * a signed checkpoint of the audit log at least every `checkpointSeconds`).
 */
export async function startServer(config: ServerConfig, options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  // Read once: the hash recorded in config.loaded is of the very text that was compiled.
  const { policy, ...policyText } = await loadPolicyFile(config.policy);
  // Before anything is signed: the log must match every checkpoint signed before (AuditTampered if not).
  const sealed = await openSealedStore({ ...config, log });
  const { store, keys: signer, checkpointDir } = sealed;
  for (const warning of sealed.anchor.warnings) log(`airlock serve: audit log: ${warning}`);
  if (!config.checkpointDirNamed)
    log(
      `airlock serve: checkpoints are copied to ${checkpointDir.path}, inside the data directory; set ` +
        "checkpointDir in airlock.yaml to a directory the data directory's writers cannot change (docs/audit.md)",
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
  const service: ApprovalService = new ApprovalService({
    store: notifier?.observe(store) ?? store,
    policy,
    publicUrl: () => publicUrl,
    ...(config.defaultContext ? { defaultContext: config.defaultContext } : {}),
    self: { paths: [config.dataDir, ...(config.file ? [config.file] : [])], pids: [process.pid] },
  });
  for (const w of config.webhooks.filter((w) => w.secretFrom === "file"))
    log(`airlock serve: webhook ${w.name} has its secret in the configuration file; prefer secretEnv`);

  const app = new Hono<AppEnv>();
  app.onError((err, c) => {
    log(`internal error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return c.json(
      { error: { code: "internal", message: "airlock failed on this request; nothing was decided" } },
      500,
    );
  });
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.route("/v1", api({ service, store, identities: config.identities }));
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
  await publishCheckpoint();
  log(
    `airlock serve: listening on ${url} (data in ${config.dataDir}${config.store.kind === "postgres" ? `; store: ${describeStore(config.store)}` : ""})`,
  );
  const postgres = await startPostgresFor(config, { service, store, log, policy }).catch(
    async (err: Error) => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      throw err;
    },
  );

  const sweep = setInterval(() => {
    service.sweep().catch((err: Error) => log(`sweep failed: ${err.message}`));
  }, SWEEP_MS);
  const sign = setInterval(() => {
    publishCheckpoint().catch((err: Error) => log(`checkpoint failed: ${err.message}`));
  }, config.checkpointSeconds * 1000);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(sweep);
      clearInterval(sign);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await postgres?.close();
      await aws?.close();
      await service.recordThrottled(true);
      await service.record({ type: "server.stopped", pid: process.pid });
      await publishCheckpoint();
      notifier?.close();
      await store.close();
      await checkpointDir.flush();
      log("airlock serve: stopped; last checkpoint signed");
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
