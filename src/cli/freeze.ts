/** `airlock freeze`, `airlock unfreeze` and `airlock freezes`: thin calls to the admin API of `airlock serve`. */
import { call, type MonitorOptions } from "./monitor.js";

export interface FreezeOptions extends MonitorOptions {
  until?: string;
}

export async function runFreeze(opts: FreezeOptions): Promise<number> {
  if (!opts.env || !opts.until) {
    process.stderr.write(
      "airlock: freeze needs --env ENVIRONMENT and --until TIME (ISO-8601 with its offset, e.g. 2026-11-22T08:00Z)\n",
    );
    return 64;
  }
  const body = {
    env: opts.env,
    until: opts.until,
    ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
  };
  return call(opts, (c) => c.freeze(body));
}

export async function runUnfreeze(opts: FreezeOptions): Promise<number> {
  if (!opts.env) {
    process.stderr.write("airlock: unfreeze needs --env ENVIRONMENT\n");
    return 64;
  }
  const body = { env: opts.env, ...(opts.reason !== undefined ? { reason: opts.reason } : {}) };
  return call(opts, (c) => c.unfreeze(body));
}

export function runFreezes(opts: FreezeOptions): Promise<number> {
  return call(opts, (c) => c.freezes());
}
