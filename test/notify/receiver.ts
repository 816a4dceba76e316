import { mkdtempSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { ApprovalService } from "../../src/approvals/service.js";
import type { WebhookConfig } from "../../src/notify/config.js";
import type { DeliveryTiming } from "../../src/notify/delivery.js";
import { Notifier } from "../../src/notify/notifier.js";
import { SqliteStore } from "../../src/store/sqlite/store.js";
import { policyOf, RULES } from "../approvals/monitor-fixtures.js";
import { until } from "../ingress/http/harness.js";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver answers to its n-th request (0-based): a status, or never. */
export type Respond = (n: number) => number | "hang";

/** A real local webhook receiver on node:http that records every request it gets. */
export async function startReceiver(respond: Respond = () => 200) {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const answer = respond(received.length);
      received.push({ headers: req.headers, body });
      if (answer === "hang") hanging.push(res);
      else res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    hanging,
    /** Resolves once `n` requests have arrived (the test runner's timeout is the only limit). */
    waitFor: (n: number) => until(async () => (received.length >= n ? received : undefined), 20),
    json: (i: number) => JSON.parse(received[i]?.body ?? "null") as Record<string, unknown>,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

export const SECRET = "test-secret-0123456789abcdef";

export function webhook(url: string, over: Partial<WebhookConfig> = {}): WebhookConfig {
  return {
    name: "ops",
    url,
    format: "json",
    events: ["hold", "approved", "released", "denied", "tripped", "paused", "resumed", "freeze"],
    secret: SECRET,
    secretFrom: "env",
    timeoutSeconds: 5,
    attempts: 6,
    ...over,
  };
}

/** Retries after milliseconds, not minutes, and no jitter: a test sees all six attempts quickly. */
export const FAST: Partial<DeliveryTiming> = { baseDelayMs: 5, maxDelayMs: 50, random: () => 1 };

/** An approval service whose store's commits feed a notifier, as `airlock serve` wires them. */
export async function notifyingRig(webhooks: WebhookConfig[], timing: Partial<DeliveryTiming> = FAST) {
  const store = await SqliteStore.open(mkdtempSync(join(tmpdir(), "airlock-notify-")));
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const notifier: Notifier = new Notifier({
    webhooks,
    requestUrl: (id) => service.requestUrl(id),
    log,
    record: (draft) => service.record(draft),
    timing,
  });
  const service: ApprovalService = new ApprovalService({
    store: notifier.observe(store),
    policy: policyOf(RULES),
    publicUrl: () => "https://airlock.example.com",
  });
  return {
    store,
    service,
    notifier,
    lines,
    close: async () => {
      notifier.close();
      await store.close();
    },
  };
}

/** Receivers and rigs made through these are closed after each test of the calling file. */
export function closedAfterEach() {
  const open: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
  });
  return {
    receiver: async (respond?: Respond): Promise<Receiver> => {
      const r = await startReceiver(respond);
      open.push(r);
      return r;
    },
    // Rigs first: the notifier stops before its receivers go away.
    rig: async (...args: Parameters<typeof notifyingRig>) => {
      const r = await notifyingRig(...args);
      open.unshift(r);
      return r;
    },
  };
}
