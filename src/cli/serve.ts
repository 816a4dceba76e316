import * as z from "zod/mini";
import { AUDIT_TAMPERED_EXIT, AuditTampered } from "../audit/anchoring.js";
import { ConfigError, type ConfigOverrides, loadServerConfig } from "../ingress/http/config.js";
import { startServer } from "../ingress/http/server.js";
import { serverOptions, text } from "./options.js";

/** `airlock serve`'s flags as commander gives them. */
export const ServeFlags = z.object({
  ...serverOptions,
  listen: text,
  pgListen: text,
  awsListen: text,
  policy: text,
});

/** `airlock serve`: runs until SIGINT or SIGTERM, then signs a last checkpoint and stops. */
export async function runServe(overrides: ConfigOverrides): Promise<number> {
  let config: ReturnType<typeof loadServerConfig>;
  try {
    config = loadServerConfig(overrides);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`airlock serve: invalid configuration:\n${err.message}\n`);
    return 78;
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    const { mountPages } = await import("../ui/pages.js");
    server = await startServer(config, {
      log: (line) => process.stderr.write(`${line}\n`),
      extend: mountPages,
    });
  } catch (err) {
    if (err instanceof AuditTampered) {
      process.stderr.write(`airlock serve: refusing to start [${err.code}]: ${err.message}\n`);
      return AUDIT_TAMPERED_EXIT;
    }
    process.stderr.write(`airlock serve: cannot start: ${(err as Error).message}\n`);
    return 1;
  }
  // Listen for the signals before saying where we are: whoever reads that line may stop us at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  process.stdout.write(`${server.url}\naudit log verifier key: ${server.verifierKey}\n`);
  if (server.postgres)
    process.stdout.write(`postgres proxy: ${server.postgres.host}:${server.postgres.port}\n`);
  if (server.awsUrl) process.stdout.write(`AWS endpoint: ${server.awsUrl}\n`);
  await stopped;
  await server.close();
  return 0;
}
