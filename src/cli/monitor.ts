/** `airlock pause`, `airlock resume` and `airlock breakers`: thin calls to the admin API of `airlock serve`. */
import { AirlockClient, type JsonResult, type PauseScope } from "../sdk/client.js";

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

/** The client for the server these options name, or undefined (and a usage message) without one. */
function clientOf(opts: MonitorOptions): AirlockClient | undefined {
  const url = opts.url ?? process.env.AIRLOCK_URL;
  const token = opts.token ?? process.env.AIRLOCK_TOKEN;
  if (url && token) return new AirlockClient({ url, token, timeoutMs: 15_000 });
  process.stderr.write(
    "airlock: set AIRLOCK_URL and AIRLOCK_TOKEN (or --url and --token) to reach `airlock serve`\n",
  );
  return undefined;
}

/** Call one admin endpoint through the client and print its answer; the exit status. */
export async function call(
  opts: MonitorOptions,
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

function scopeBody(opts: MonitorOptions): PauseScope | undefined {
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
  return call(opts, (c) => (verb === "pause" ? c.pause(body) : c.resume(body)));
}

export function runPauses(opts: MonitorOptions): Promise<number> {
  return call(opts, (c) => c.pauses());
}

export function runBreakers(opts: MonitorOptions): Promise<number> {
  return call(opts, (c) => c.breakers());
}

export function runBreakerReset(name: string, opts: MonitorOptions): Promise<number> {
  return call(opts, (c) =>
    c.resetBreaker(name, {
      ...(opts.scope !== undefined ? { scope: opts.scope } : {}),
      ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
    }),
  );
}
