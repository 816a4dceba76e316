import type * as z from "zod/mini";
import { ActionContext } from "../action/schema.js";
import { environmentOfName, severityRank } from "../analyze/environment.js";
import type { TrustedContext } from "../store/records/identity.js";

export { TrustedContext } from "../store/records/identity.js";

/** The identity's own context over the default: its environment if it names one, labels merged. */
export function mergeTrustedContext(
  own: TrustedContext | undefined,
  fallback: TrustedContext | undefined,
): TrustedContext {
  const environment = own?.environment ?? fallback?.environment;
  const labels = { ...fallback?.labels, ...own?.labels };
  return {
    ...(environment !== undefined ? { environment } : {}),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
  };
}

/** How dangerous a stated environment is: `prod` reads as production, a name we do not know as unknown. */
function rank(environment: string): number {
  return severityRank(
    environment === "loopback" ? "loopback" : (environmentOfName(environment) ?? environment),
  );
}

/**
 * The environment the server trusts: the configured one, unless the agent claims a more dangerous one.
 * With nothing configured, a claim counts only when it is at least as dangerous as "unknown" (what
 * silence means): an agent cannot talk its way to development or staging.
 */
export function trustedEnvironment(
  configured: string | undefined,
  claimed: string | undefined,
): string | undefined {
  if (claimed === undefined) return configured;
  const floor = configured === undefined ? rank("unknown") : rank(configured);
  const raises = configured === undefined ? rank(claimed) <= floor : rank(claimed) < floor;
  return raises ? claimed : configured;
}

/**
 * The Action with the context the server trusts. The agent's own `context` moves to
 * `context.claimed` (recorded, part of the digest, readable by a policy that chooses to). Input whose
 * context is malformed is left as it is, so that validation refuses it with its own message.
 */
export function bindContext(input: unknown, trusted: TrustedContext): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const given = (input as { context?: unknown }).context;
  if (given !== undefined && !ActionContext.safeParse(given).success) return input;
  const claimed = (given ?? {}) as z.infer<typeof ActionContext>;
  const environment = trustedEnvironment(trusted.environment, claimed.environment);
  const context = {
    ...(environment !== undefined ? { environment } : {}),
    ...(trusted.labels !== undefined ? { labels: trusted.labels } : {}),
    ...(Object.keys(claimed).length > 0 ? { claimed } : {}),
  };
  const { context: _dropped, ...rest } = input as Record<string, unknown>;
  return Object.keys(context).length > 0 ? { ...rest, context } : rest;
}
