import { readFileSync } from "node:fs";
import * as z from "zod/mini";
import { createDecider, deciderOptionsFromEnv } from "../ingress/decider.js";
import { nameFromCommand, parseProxyConfig, type UpstreamSpec } from "../ingress/mcp/config.js";
import { deniedToolFilter } from "../ingress/mcp/hide-denied.js";
import type { ProxyOptions } from "../ingress/mcp/session.js";
import { AirlockClient } from "../sdk/client.js";
import { flagged, text } from "./options.js";

/** `airlock mcp`'s flags as commander gives them (`--wait` is checked with its own message). */
export const McpFlags = z.object({
  name: text,
  upstream: text,
  config: text,
  listen: text,
  stdio: flagged,
  env: text,
  policy: text,
  wait: text,
  hideDenied: flagged,
});

export interface McpOptions {
  name?: string;
  upstream?: string;
  config?: string;
  listen?: string;
  stdio?: boolean;
  env?: string;
  policy?: string;
  wait?: string;
  hideDenied?: boolean;
}

const DEFAULT_LISTEN = "127.0.0.1:7071";

class UsageError extends Error {}

async function upstreamsOf(
  command: string[],
  opts: McpOptions,
): Promise<{ specs: UpstreamSpec[]; prefix?: "auto" | "always" }> {
  const sources = [command.length > 0, opts.upstream !== undefined, opts.config !== undefined].filter(
    Boolean,
  );
  if (sources.length !== 1)
    throw new UsageError(
      "name exactly one upstream: `-- COMMAND ARGS…`, `--upstream URL` or `--config FILE`",
    );
  if (opts.config !== undefined) {
    const config = await parseProxyConfig(readFileSync(opts.config, "utf8"), opts.config);
    return { specs: config.upstreams, prefix: config.prefix };
  }
  if (opts.upstream !== undefined) {
    let url: URL;
    try {
      url = new URL(opts.upstream);
    } catch {
      throw new UsageError(`--upstream must be a URL, not "${opts.upstream}"`);
    }
    return { specs: [{ name: opts.name ?? url.hostname, url: url.href }] };
  }
  const [cmd = "", ...args] = command;
  return { specs: [{ name: opts.name ?? nameFromCommand(cmd, args), command: { command: cmd, args } }] };
}

function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || !(port >= 0 && port < 65536)) throw new UsageError(`--listen must be HOST:PORT, not "${text}"`);
  return { host: m[1] ?? (m[2] || "127.0.0.1"), port };
}

/** The gate's side of the proxy: who decides, whether held calls wait, and the tools/list filter. */
function proxyOptions(opts: McpOptions): ProxyOptions {
  const fromEnv = deciderOptionsFromEnv();
  const policyPath = opts.policy ?? fromEnv.policyPath;
  const local = policyPath !== undefined ? { policyPath } : {};
  // waitSeconds 0: the proxy waits itself, so that it can send progress and notice a cancellation.
  const decider = createDecider({ ...fromEnv, ...local, waitSeconds: 0 });
  const options: ProxyOptions = { decider };
  // How long one call may take to decide (default 30 s); past it the call is refused, the analysis stopped.
  const timeoutMs = Number(process.env.AIRLOCK_MCP_TIMEOUT_MS);
  if (process.env.AIRLOCK_MCP_TIMEOUT_MS !== undefined) {
    if (!(timeoutMs > 0))
      throw new UsageError(
        `AIRLOCK_MCP_TIMEOUT_MS must be a number of milliseconds above 0, not "${process.env.AIRLOCK_MCP_TIMEOUT_MS}"`,
      );
    options.decideTimeoutMs = timeoutMs;
  }
  const wait = opts.wait !== undefined ? Number(opts.wait) : (fromEnv.waitSeconds ?? 0);
  if (!Number.isFinite(wait) || wait < 0)
    throw new UsageError(
      `--wait (or AIRLOCK_WAIT_SECONDS) must be seconds, 0 or more, not "${opts.wait ?? fromEnv.waitSeconds}"`,
    );
  if (wait > 0 && decider.mode === "remote" && fromEnv.url && fromEnv.token) {
    options.hold = {
      watcher: new AirlockClient({ url: fromEnv.url, token: fromEnv.token }),
      waitMs: wait * 1000,
    };
  } else if (wait > 0) {
    process.stderr.write(
      "airlock mcp: waiting for approval needs AIRLOCK_URL and AIRLOCK_TOKEN; held calls are answered at once.\n",
    );
  }
  // Always the local policy: asking the server would open an approval request for every held tool.
  if (opts.hideDenied) options.toolFilter = deniedToolFilter(createDecider(local));
  return options;
}

/** `airlock mcp`: run the proxy until the client goes away (stdio) or a signal stops it (HTTP). */
export async function runMcp(command: string[], opts: McpOptions): Promise<number> {
  let specs: UpstreamSpec[];
  let options: ProxyOptions;
  let listen: { host: string; port: number } | undefined;
  try {
    const upstreams = await upstreamsOf(command, opts);
    specs = upstreams.specs.map((s) =>
      (s.environment ?? opts.env) ? { ...s, environment: s.environment ?? opts.env } : s,
    );
    options = { ...proxyOptions(opts), ...(upstreams.prefix ? { prefix: upstreams.prefix } : {}) };
    const http = opts.listen !== undefined || (opts.upstream !== undefined && !opts.stdio);
    listen = http ? parseListen(opts.listen ?? DEFAULT_LISTEN) : undefined;
  } catch (err) {
    process.stderr.write(`airlock mcp: ${(err as Error).message}\n`);
    return 2;
  }
  if (listen === undefined) return (await import("../ingress/mcp/stdio-serve.js")).serveStdio(specs, options);
  const { serveHttp } = await import("../ingress/mcp/http-serve.js");
  let server: Awaited<ReturnType<typeof serveHttp>>;
  try {
    server = await serveHttp(specs, listen, options);
  } catch (err) {
    process.stderr.write(
      `airlock mcp: cannot listen on ${opts.listen ?? DEFAULT_LISTEN}: ${(err as Error).message}\n`,
    );
    return 1;
  }
  process.stderr.write(`airlock mcp: serving MCP (Streamable HTTP) at ${server.url}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  return 0;
}
