import * as z from "zod/mini";
import { AUDIT_TAMPERED_EXIT, AuditTampered } from "../audit/anchoring.js";
import { ConfigError, type ConfigOverrides, loadServerConfig, logFormatOf } from "../ingress/http/config.js";
import { createLog, type Log } from "../ingress/http/logger.js";
import { startServer } from "../ingress/http/server.js";
import { flagged, serverOptions, text } from "./options.js";

/** `airlock serve`'s flags as commander gives them. */
export const ServeFlags = z.object({
  ...serverOptions,
  listen: text,
  pgListen: text,
  awsListen: text,
  policy: text,
  logFormat: text,
  logRequests: flagged,
});

/** `airlock serve`: runs until SIGINT or SIGTERM, then signs a last checkpoint and stops. */
export async function runServe(overrides: ConfigOverrides): Promise<number> {
  let config: ReturnType<typeof loadServerConfig>;
  // Until the file is read, the format the flags or environment ask for (a bad one is itself a config error).
  let log: Log = createLog("text");
  try {
    log = createLog(logFormatOf(overrides) ?? "text");
    config = loadServerConfig(overrides);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    log(`airlock serve: invalid configuration:\n${err.message}`, { level: "error", code: "invalid_config" });
    return 78;
  }
  log = createLog(config.logging.format);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    const { mountPages } = await import("../ui/pages.js");
    server = await startServer(config, { log, extend: mountPages });
  } catch (err) {
    if (err instanceof AuditTampered) {
      log(`airlock serve: refusing to start [${err.code}]: ${err.message}`, {
        level: "error",
        code: err.code,
      });
      return AUDIT_TAMPERED_EXIT;
    }
    log(`airlock serve: cannot start: ${(err as Error).message}`, { level: "error" });
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
