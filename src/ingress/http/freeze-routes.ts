import type { Hono } from "hono";
import * as z from "zod/mini";
import "../../action/zod.js";
import { envScope, formatScope } from "../../policy/scope.js";
import type { AppEnv } from "./auth.js";
import { apiError } from "./errors.js";
import { bodyParser, type RouteDeps } from "./monitor-routes.js";

const text = z.string().check(z.minLength(1), z.maxLength(2000));
const env = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "env is an environment's name"));
const FreezeBody = z.strictObject({
  env,
  until: z
    .string()
    .check(
      z.regex(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
        "until is an ISO-8601 time with its offset, such as 2026-11-22T08:00Z",
      ),
    ),
  reason: z.optional(text),
});
const LiftBody = z.strictObject({ env, reason: z.optional(text) });

/** Declared freezes (admin) and the freeze calendar (the policy's windows with whether they are in force). */
export function freezeRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  const { service, role, jsonBody } = deps;
  const parse = bodyParser(jsonBody);
  const freezes = service.freezes;

  app.get("/freezes", role("admin", "approver"), async (c) => c.json(await freezes.state()));

  app.post("/freezes", role("admin"), async (c) => {
    const body = await parse(c, FreezeBody, true);
    if (body.response) return body.response;
    const { until, reason } = body.value;
    const declared = await freezes.declare(body.value.env, Date.parse(until), c.get("identity").name, reason);
    if (!declared.ok) return apiError(c, "invalid_body", declared.message);
    return c.json({ freeze: declared.freeze });
  });

  app.post("/freezes/lift", role("admin"), async (c) => {
    const body = await parse(c, LiftBody, true);
    if (body.response) return body.response;
    if (!(await freezes.lift(body.value.env, c.get("identity").name, body.value.reason)))
      return apiError(c, "not_found", `no declared freeze of ${body.value.env} is in force`);
    return c.json({ lifted: formatScope(envScope(body.value.env)) });
  });
}
