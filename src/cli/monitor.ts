/** `airlock pause`, `airlock resume` and `airlock breakers`: thin calls to the admin API of `airlock serve`. */
import * as z from "zod/mini";
import { ScopeName, ScopeText } from "../policy/scope.js";
import type { AirlockClient, JsonResult, PauseScope } from "../sdk/client.js";
import { clientOf } from "./client.js";
import { ClientOptions, clientOptions, flagged, text, withOptions } from "./options.js";

const PauseOptions = z.object({
  ...clientOptions,
  agent: z.optional(ScopeName),
  onBehalfOf: z.optional(ScopeName),
  env: z.optional(ScopeName),
  all: flagged,
  reason: text,
});
type PauseOptions = z.infer<typeof PauseOptions>;

const ResetOptions = z.object({ ...clientOptions, scope: z.optional(ScopeText), reason: text });

/** Call one admin endpoint through the client and print its answer; the exit status. */
export async function call(
  opts: ClientOptions,
  send: (client: AirlockClient) => Promise<JsonResult>,
): Promise<number> {
  const client = clientOf(opts);
  if (!client) return 64;
  const result = await send(client);
  if (!result.ok) {
    const where = result.status === 0 ? `cannot reach ${opts.url ?? process.env.AIRLOCK_URL}: ` : "";
    process.stderr.write(`airlock: ${where}${result.error}\n`);
    return 1;
  }
  process.stdout.write(
    opts.json ? `${JSON.stringify(result.body, null, 2)}\n` : `${readable(result.body)}\n`,
  );
  return 0;
}

/** One line per pause or trip, for people; --json prints the API's answer as it is. */
function readable(json: unknown): string {
  const j = json as Record<string, unknown>;
  const line = (r: Record<string, unknown>) =>
    Object.entries(r)
      .filter(([, v]) => typeof v !== "object")
      .map(([k, v]) => `${k}=${String(v)}`)
      .join("  ");
  // A single record (`{pause: {...}}`, `{freeze: {...}}`) reads as a list of one.
  const lists = Object.values(j)
    .map((v) => (Array.isArray(v) ? v : typeof v === "object" && v !== null ? [v] : undefined))
    .filter((v) => v !== undefined) as Record<string, unknown>[][];
  if (lists.length === 0) return line(j);
  return lists.flatMap((l) => l.map(line)).join("\n") || "(none)";
}

function scopeBody(opts: PauseOptions): PauseScope | undefined {
  const named = [opts.agent, opts.onBehalfOf, opts.env, opts.all ? true : undefined].filter(
    (v) => v !== undefined,
  );
  if (named.length !== 1) return undefined;
  return {
    ...(opts.agent !== undefined ? { agent: opts.agent } : {}),
    ...(opts.onBehalfOf !== undefined ? { onBehalfOf: opts.onBehalfOf } : {}),
    ...(opts.env !== undefined ? { env: opts.env } : {}),
    ...(opts.all ? { all: true } : {}),
    ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
  };
}

export function runPause(verb: "pause" | "resume", values: unknown): Promise<number> {
  return withOptions(verb, PauseOptions, values, async (opts) => {
    const body = scopeBody(opts);
    if (!body) {
      process.stderr.write(`airlock: ${verb} needs exactly one of --agent, --on-behalf-of, --env, --all\n`);
      return 64;
    }
    return call(opts, (c) => (verb === "pause" ? c.pause(body) : c.resume(body)));
  });
}

export function runPauses(values: unknown): Promise<number> {
  return withOptions("pauses", ClientOptions, values, (opts) => call(opts, (c) => c.pauses()));
}

export function runBreakers(values: unknown): Promise<number> {
  return withOptions("breakers", ClientOptions, values, (opts) => call(opts, (c) => c.breakers()));
}

export function runBreakerReset(name: string, values: unknown): Promise<number> {
  return withOptions("breakers reset", ResetOptions, values, (opts) =>
    call(opts, (c) =>
      c.resetBreaker(name, {
        ...(opts.scope !== undefined ? { scope: opts.scope } : {}),
        ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
      }),
    ),
  );
}
