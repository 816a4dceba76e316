import { AirlockClient } from "../sdk/client.js";
import type { ClientOptions } from "./options.js";

/** The client for the server these options name, or undefined (and a usage message) without one. */
export function clientOf(opts: ClientOptions): AirlockClient | undefined {
  const url = opts.url ?? process.env.AIRLOCK_URL;
  const token = opts.token ?? process.env.AIRLOCK_TOKEN;
  if (url && token) return new AirlockClient({ url, token, timeoutMs: 15_000 });
  process.stderr.write(
    "airlock: set AIRLOCK_URL and AIRLOCK_TOKEN (or --url and --token) to reach `airlock serve`\n",
  );
  return undefined;
}
