import type { Hono } from "hono";
import type { OperableStore } from "../../store/operations.js";
import type { AppEnv } from "./auth.js";
import type { Metrics } from "./metrics.js";

/**
 * What a load balancer and Prometheus ask, without a token: `/healthz` (the process answers),
 * `/readyz` (it can serve: the store is reachable, its schema is the one this binary runs, and it is
 * not stopping), `/metrics` (counts and latencies, no request's content). docs/deploy.md.
 */
export function opsRoutes(
  app: Hono<AppEnv>,
  deps: { store: OperableStore; metrics: Metrics; stopping: () => boolean },
): void {
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", async (c) => {
    if (deps.stopping())
      return c.json({ ok: false, code: "stopping", message: "this replica is shutting down" }, 503);
    const health = await deps.store.health();
    return c.json(health, health.ok ? 200 : 503);
  });
  app.get("/metrics", async (c) => {
    const { body, contentType } = await deps.metrics.text();
    return c.body(body, 200, { "content-type": contentType });
  });
}
