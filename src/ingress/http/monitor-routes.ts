import type { Context, Hono, MiddlewareHandler } from "hono";
import * as z from "zod/mini";
import "../../action/zod.js";
import type { Identity } from "../../approvals/identity.js";
import type { ApprovalService } from "../../approvals/service.js";
import {
  ALL,
  agentScope,
  envScope,
  formatScope,
  personScope,
  type Scope,
  ScopeName,
  ScopeText,
} from "../../policy/scope.js";
import type { AppEnv } from "./auth.js";
import { apiError } from "./errors.js";

type Middleware = MiddlewareHandler<AppEnv>;
export type Body = (
  c: Context<AppEnv>,
  required: boolean,
) => Promise<{ ok: true; value: unknown } | { ok: false; response: Response }>;

const text = z.optional(z.string().check(z.minLength(1), z.maxLength(2000)));
const scopeName = z.optional(ScopeName);
const PauseBody = z.strictObject({
  agent: scopeName,
  onBehalfOf: scopeName,
  env: scopeName,
  all: z.optional(z.literal(true)),
  reason: text,
});
const ResetBody = z.strictObject({ scope: z.optional(ScopeText), reason: text });
const OutcomeBody = z.strictObject({
  ok: z.boolean(),
  digest: z.optional(
    z.string().check(z.regex(/^[0-9a-f]{64}$/, "digest is the 64-hex-digit digest of the action")),
  ),
  id: text,
  environment: text,
  message: text,
});

/** The pause scope a body names: exactly one of agent, onBehalfOf, env, all. */
function scopeOf(b: z.infer<typeof PauseBody>): Scope | undefined {
  const named = [
    b.agent !== undefined ? agentScope(b.agent) : undefined,
    b.onBehalfOf !== undefined ? personScope(b.onBehalfOf) : undefined,
    b.env !== undefined ? envScope(b.env) : undefined,
    b.all ? ALL : undefined,
  ].filter((s) => s !== undefined);
  return named.length === 1 ? named[0] : undefined;
}

export interface RouteDeps {
  service: ApprovalService;
  role: (...roles: Identity["role"][]) => Middleware;
  jsonBody: Body;
}

/** A JSON body checked against a schema: its value, or the error response to send. */
export function bodyParser(jsonBody: Body) {
  return async <T>(c: Context<AppEnv>, schema: z.ZodMiniType<T>, required: boolean) => {
    const body = await jsonBody(c, required);
    if (!body.ok) return { response: body.response };
    const parsed = schema.safeParse(body.value);
    if (parsed.success) return { value: parsed.data };
    const message = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    return { response: apiError(c, "invalid_body", message) };
  };
}

/** The kill switch, the breakers' state and resets, and integrations' outcome reports. */
export function monitorRoutes(app: Hono<AppEnv>, deps: RouteDeps): void {
  const { service, role, jsonBody } = deps;
  const monitor = service.monitor;
  const parse = bodyParser(jsonBody);
  const pauseScope = async (
    c: Context<AppEnv>,
  ): Promise<{ ok: false; response: Response } | { ok: true; scope: string; reason?: string }> => {
    const body = await parse(c, PauseBody, true);
    if (body.response) return { ok: false, response: body.response };
    const scope = body.value ? scopeOf(body.value) : undefined;
    if (scope === undefined)
      return {
        ok: false,
        response: apiError(c, "invalid_body", "name exactly one of agent, onBehalfOf, env or all: true"),
      };
    return {
      ok: true,
      scope: formatScope(scope),
      ...(body.value?.reason ? { reason: body.value.reason } : {}),
    };
  };

  app.get("/pauses", role("admin", "approver"), async (c) => c.json({ pauses: await monitor.pauses() }));

  app.post("/pauses", role("admin"), async (c) => {
    const p = await pauseScope(c);
    if (!p.ok) return p.response;
    return c.json({ pause: await monitor.pause(p.scope, c.get("identity").name, p.reason) });
  });

  app.post("/pauses/resume", role("admin"), async (c) => {
    const p = await pauseScope(c);
    if (!p.ok) return p.response;
    if (!(await monitor.resume(p.scope, c.get("identity").name, p.reason)))
      return apiError(c, "not_found", `${p.scope} is not paused`);
    return c.json({ resumed: p.scope });
  });

  app.get("/breakers", role("admin", "approver"), async (c) => c.json(await monitor.state()));

  app.post("/breakers/:name/reset", role("admin"), async (c) => {
    const body = await parse(c, ResetBody, false);
    if (body.response) return body.response;
    const name = c.req.param("name") ?? "";
    const reset = await monitor.reset(name, body.value.scope, c.get("identity").name, body.value.reason);
    if (reset.length === 0)
      return apiError(
        c,
        "not_found",
        `breaker ${name} has no open trip${body.value.scope ? ` for ${body.value.scope}` : ""}`,
      );
    return c.json({ reset });
  });

  app.post("/outcomes", role("agent"), async (c) => {
    const body = await parse(c, OutcomeBody, true);
    if (body.response) return body.response;
    if (body.value.digest === undefined && body.value.id === undefined)
      return apiError(c, "invalid_body", "name the action by digest or id");
    return c.json(await monitor.outcome(body.value, c.get("identity")));
  });
}
