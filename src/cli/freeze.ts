/** `airlock freeze`, `airlock unfreeze` and `airlock freezes`: thin calls to the admin API of `airlock serve`. */
import * as z from "zod/mini";
import { ScopeName } from "../policy/scope.js";
import { call } from "./monitor.js";
import { ClientOptions, clientOptions, text, withOptions } from "./options.js";

const FreezeOptions = z.object({ ...clientOptions, env: z.optional(ScopeName), until: text, reason: text });
type FreezeOptions = z.infer<typeof FreezeOptions>;

export function runFreeze(values: unknown): Promise<number> {
  return withOptions("freeze", FreezeOptions, values, freeze);
}

async function freeze(opts: FreezeOptions): Promise<number> {
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

export function runUnfreeze(values: unknown): Promise<number> {
  return withOptions("unfreeze", FreezeOptions, values, async (opts) => {
    if (!opts.env) {
      process.stderr.write("airlock: unfreeze needs --env ENVIRONMENT\n");
      return 64;
    }
    const body = { env: opts.env, ...(opts.reason !== undefined ? { reason: opts.reason } : {}) };
    return call(opts, (c) => c.unfreeze(body));
  });
}

export function runFreezes(values: unknown): Promise<number> {
  return withOptions("freezes", ClientOptions, values, (opts) => call(opts, (c) => c.freezes()));
}
