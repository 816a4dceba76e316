import { hash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Identity } from "../../approvals/identity.js";
import { ApprovalService } from "../../approvals/service.js";
import { Checkpointer } from "../../audit/checkpointer.js";
import { loadOrCreateSigner } from "../../audit/keys.js";
import { loadPolicy, readPolicyFile } from "../../gate/policy-loader.js";
import { describeWebhook } from "../../notify/config.js";
import { Notifier } from "../../notify/notifier.js";
import { SqliteStore } from "../../store/sqlite/store.js";
import { api } from "./api.js";
import type { AppEnv } from "./auth.js";
import type { ServerConfig } from "./config.js";

export interface RunningServer {
  url: string;
  /** The AWS endpoint's address, when it is on (docs/aws.md). */
  awsUrl?: string;
  verifierKey: string;
  /** Stop taking requests, sign a last checkpoint, record the stop, close the store. */
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Mount more routes (the approvers' pages) on the same app. */
  extend?: (
    app: Hono<AppEnv>,
    deps: {
      service: ApprovalService;
      store: SqliteStore;
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
  const policy = await loadPolicy(config.policy);
  const policyText = readPolicyFile(config.policy);
  const store = SqliteStore.open(config.dataDir);
  const signer = loadOrCreateSigner(config.dataDir, config.origin);
  const checkpointer = new Checkpointer(store, signer.signerKey);
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
      origin: config.origin,
      verifierKey: signer.verifierKey,
      ...(config.webhooks.length > 0 ? { notify: config.webhooks.map(describeWebhook) } : {}),
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
      })
    : undefined;
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  publicUrl ||= url;
  await service.record({ type: "server.started", pid: process.pid, url, publicUrl });
  await checkpointer.checkpoint();
  log(`airlock serve: listening on ${url} (data in ${config.dataDir})`);

  const sweep = setInterval(() => {
    service.sweep().catch((err: Error) => log(`sweep failed: ${err.message}`));
  }, SWEEP_MS);
  const sign = setInterval(() => {
    checkpointer.checkpoint().catch((err: Error) => log(`checkpoint failed: ${err.message}`));
  }, config.checkpointSeconds * 1000);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(sweep);
      clearInterval(sign);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await aws?.close();
      notifier?.close();
      await service.record({ type: "server.stopped", pid: process.pid });
      await checkpointer.checkpoint();
      await store.close();
      log("airlock serve: stopped; last checkpoint signed");
    })();
    return closing;
  };
  return { url, ...(aws ? { awsUrl: aws.url } : {}), verifierKey: signer.verifierKey, close };
}
