import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import * as z from "zod/mini";
import "../../action/zod.js";
import { RequestStatus } from "../../action/decision.js";
import type { Identity } from "../../approvals/identity.js";
import type { ApprovalRequest } from "../../approvals/request.js";
import type { ApprovalService, Outcome } from "../../approvals/service.js";
import type { Store } from "../../store/port.js";
import { type AppEnv, requireRole } from "./auth.js";
import { type ApiErrorCode, apiError, rateLimited, sourceOf } from "./errors.js";
import { freezeRoutes } from "./freeze-routes.js";
import { monitorRoutes } from "./monitor-routes.js";

/** An Action larger than this is refused before it is parsed (a Terraform plan of a large estate fits). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

const Vote = z.strictObject({
  digest: z
    .string()
    .check(z.regex(/^[0-9a-f]{64}$/, "digest is the 64-hex-digit digest of the request you reviewed")),
  comment: z.optional(z.string().check(z.maxLength(2000))),
});
const Cancel = z.strictObject({ comment: z.optional(z.string().check(z.maxLength(2000))) });

export interface ApiDeps {
  service: ApprovalService;
  store: Store;
  identities: ReadonlyMap<string, Identity>;
}

/** The JSON shape of a request in the API: the stored request, its page, and what it still needs. */
export function requestView(service: ApprovalService, r: ApprovalRequest) {
  return {
    ...r,
    url: service.requestUrl(r.id),
    approvalsNeeded: Math.max(0, r.requirement.required - r.approvals.length),
  };
}

export function api(deps: ApiDeps): Hono<AppEnv> {
  const { service, store, identities } = deps;
  const app = new Hono<AppEnv>();

  /** Record a refused call, within its caller's budget; false when over it (answer rate_limited). */
  const refused = (c: Context<AppEnv>, code: ApiErrorCode, reason: string, identity?: Identity) => {
    const by = identity?.name ?? c.get("identity")?.name;
    const source = sourceOf(c);
    return service
      .recordRefusal(by !== undefined ? `identity:${by}` : `source:${source}`, {
        type: "request.rejected",
        method: c.req.method,
        path: c.req.path,
        by,
        source,
        code,
        message: reason,
      })
      .catch(() => true);
  };
  const onAuthRefused = (c: Context<AppEnv>) => (reason: string, identity?: Identity) =>
    refused(c, identity ? "wrong_role" : "unauthorized", reason, identity);
  const role =
    (...roles: Identity["role"][]) =>
    (c: Context<AppEnv>, next: () => Promise<void>) =>
      requireRole(store, identities, onAuthRefused(c), ...roles)(c, next);

  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: async (c) => {
      if (!(await refused(c as Context<AppEnv>, "body_too_large", `body over ${MAX_BODY_BYTES} bytes`)))
        return rateLimited(c);
      return apiError(
        c,
        "body_too_large",
        `the body is larger than ${MAX_BODY_BYTES} bytes; nothing was recorded but this refusal`,
      );
    },
  });

  /** The JSON body, or an error response (recorded in the audit log) for anything else. */
  async function jsonBody(
    c: Context<AppEnv>,
    required: boolean,
  ): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
    const text = await c.req.text();
    if (text.trim() === "" && !required) return { ok: true, value: {} };
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/json\b/i.test(type)) {
      if (!(await refused(c, "unsupported_media_type", `content-type ${type || "(none)"}`)))
        return { ok: false, response: rateLimited(c) };
      return {
        ok: false,
        response: apiError(
          c,
          "unsupported_media_type",
          "send the body as JSON with Content-Type: application/json",
        ),
      };
    }
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (err) {
      if (!(await refused(c, "invalid_json", (err as Error).message)))
        return { ok: false, response: rateLimited(c) };
      return {
        ok: false,
        response: apiError(c, "invalid_json", `the body is not valid JSON: ${(err as Error).message}`),
      };
    }
  }

  const outcome = (c: Context<AppEnv>, o: Outcome) =>
    o.ok ? c.json(requestView(service, o.request)) : apiError(c, o.code, o.message);

  app.post("/actions", limit, role("agent"), async (c) => {
    const body = await jsonBody(c, true);
    if (!body.ok) return body.response;
    // Previews are read upstream by the AWS endpoint itself; an agent cannot supply one.
    const value = body.value;
    const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
    const { airlockPreview: _, ...action } = isObject ? (value as Record<string, unknown>) : {};
    return c.json(await service.submit(isObject ? action : value, c.get("identity")));
  });

  app.get("/requests", role("approver", "admin", "agent"), async (c) => {
    const status = c.req.query("status");
    const parsed = status === undefined ? undefined : RequestStatus.safeParse(status);
    if (parsed && !parsed.success) {
      return apiError(c, "invalid_body", `status must be one of ${RequestStatus.options.join(", ")}`);
    }
    const limit = Number(c.req.query("limit") ?? 100);
    const identity = c.get("identity");
    const requests = await service.list({
      ...(parsed?.data ? { status: parsed.data } : {}),
      limit: Number.isFinite(limit) ? limit : 100,
    });
    // An agent sees its own requests only.
    const visible = identity.role === "agent" ? requests.filter((r) => r.agent === identity.name) : requests;
    return c.json({ requests: visible.map((r) => requestView(service, r)) });
  });

  app.get("/requests/:id", role("approver", "admin", "agent"), async (c) => {
    const r = await service.get(c.req.param("id") ?? "");
    const identity = c.get("identity");
    if (!r || (identity.role === "agent" && r.agent !== identity.name)) {
      return apiError(c, "not_found", `there is no request ${c.req.param("id")} you can see`);
    }
    return c.json(requestView(service, r));
  });

  for (const verdict of ["approve", "deny"] as const) {
    app.post(`/requests/:id/${verdict}`, limit, role("approver"), async (c) => {
      const body = await jsonBody(c, true);
      if (!body.ok) return body.response;
      const vote = Vote.safeParse(body.value);
      if (!vote.success) {
        const message = vote.error.issues
          .map((i) => `${i.path.join(".") || "body"}: ${i.message}`)
          .join("; ");
        if (!(await refused(c, "invalid_body", message))) return rateLimited(c);
        return apiError(c, "invalid_body", message);
      }
      const { digest, comment } = vote.data;
      return outcome(c, await service.vote(c.req.param("id"), c.get("identity"), verdict, digest, comment));
    });
  }

  app.post("/requests/:id/cancel", limit, role("admin"), async (c) => {
    const body = await jsonBody(c, false);
    if (!body.ok) return body.response;
    const parsed = Cancel.safeParse(body.value);
    if (!parsed.success) return apiError(c, "invalid_body", "the body may only carry a comment");
    return outcome(c, await service.cancel(c.req.param("id"), c.get("identity"), parsed.data.comment));
  });

  monitorRoutes(app, { service, role, jsonBody });
  freezeRoutes(app, { service, role, jsonBody });

  app.get("/audit/checkpoint", role("approver", "admin", "agent"), async (c) => {
    const all = await store.checkpoints();
    const latest = all.at(-1);
    if (!latest) return apiError(c, "not_found", "no checkpoint has been signed yet");
    return c.text(latest.note);
  });

  return app;
}
