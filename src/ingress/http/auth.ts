import type { MiddlewareHandler } from "hono";
import type { Identity, Role } from "../../approvals/identity.js";
import { resolveToken } from "../../approvals/tokens.js";
import type { Store } from "../../store/port.js";
import { apiError, rateLimited } from "./errors.js";

export type AppEnv = { Variables: { identity: Identity } };

/**
 * Every API call needs a bearer token for one of `roles`. The role is checked before anything about
 * the request is looked up, so a caller with the wrong token learns nothing about which ids exist.
 */
export function requireRole(
  store: Store,
  declared: ReadonlyMap<string, Identity>,
  /** Records the refusal; false when the caller is over its budget of refusals (answer rate_limited). */
  onRefused: (reason: string, identity?: Identity) => Promise<boolean>,
  ...roles: Role[]
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const identity = match?.[1] ? await resolveToken(store, match[1], declared) : undefined;
    if (!identity) {
      const logged = await onRefused(
        header
          ? "unknown or revoked token, or an identity the configuration no longer declares"
          : "no bearer token",
      );
      if (!logged) return rateLimited(c);
      return apiError(
        c,
        "unauthorized",
        "a valid bearer token is required: Authorization: Bearer <token from `airlock token create`>",
      );
    }
    if (!roles.includes(identity.role)) {
      if (!(await onRefused(`role ${identity.role} may not ${c.req.method} ${c.req.path}`, identity)))
        return rateLimited(c);
      return apiError(
        c,
        "wrong_role",
        `${identity.name} is ${identity.role}; this needs ${roles.join(" or ")}`,
      );
    }
    c.set("identity", identity);
    await next();
  };
}
