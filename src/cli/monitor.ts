/** `airlock pause`, `airlock resume` and `airlock breakers`: thin calls to the admin API of `airlock serve`. */

import { withoutTrailing } from "../action/text.js";

export interface MonitorOptions {
  url?: string;
  token?: string;
  json?: boolean;
  agent?: string;
  onBehalfOf?: string;
  env?: string;
  all?: boolean;
  reason?: string;
  scope?: string;
}

export async function call(
  opts: MonitorOptions,
  method: string,
  path: string,
  body?: unknown,
): Promise<number> {
  const url = opts.url ?? process.env.AIRLOCK_URL;
  const token = opts.token ?? process.env.AIRLOCK_TOKEN;
  if (!url || !token) {
    process.stderr.write(
      "airlock: set AIRLOCK_URL and AIRLOCK_TOKEN (or --url and --token) to reach `airlock serve`\n",
    );
    return 64;
  }
  let response: Response;
  try {
    response = await fetch(`${withoutTrailing(url, "/")}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    process.stderr.write(`airlock: cannot reach ${url}: ${(err as Error).message}\n`);
    return 1;
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  if (!response.ok) {
    const message = (json as { error?: { message?: string } }).error?.message ?? text.slice(0, 300);
    process.stderr.write(`airlock: ${message}\n`);
    return 1;
  }
  process.stdout.write(opts.json ? `${JSON.stringify(json, null, 2)}\n` : `${readable(json)}\n`);
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

function scopeBody(opts: MonitorOptions): Record<string, unknown> | undefined {
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

export async function runPause(verb: "pause" | "resume", opts: MonitorOptions): Promise<number> {
  const body = scopeBody(opts);
  if (!body) {
    process.stderr.write(`airlock: ${verb} needs exactly one of --agent, --on-behalf-of, --env, --all\n`);
    return 64;
  }
  return call(opts, "POST", verb === "pause" ? "/v1/pauses" : "/v1/pauses/resume", body);
}

export function runPauses(opts: MonitorOptions): Promise<number> {
  return call(opts, "GET", "/v1/pauses");
}

export function runBreakers(opts: MonitorOptions): Promise<number> {
  return call(opts, "GET", "/v1/breakers");
}

export function runBreakerReset(name: string, opts: MonitorOptions): Promise<number> {
  return call(opts, "POST", `/v1/breakers/${encodeURIComponent(name)}/reset`, {
    ...(opts.scope !== undefined ? { scope: opts.scope } : {}),
    ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
  });
}
