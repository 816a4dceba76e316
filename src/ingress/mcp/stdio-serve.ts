import { ClientStdioTransport } from "./client-stdio.js";
import type { UpstreamSpec } from "./config.js";
import { createLink, describeUpstream } from "./links.js";
import { type ProxyOptions, ProxySession } from "./session.js";

/**
 * Serve one client on standard input and output. Resolves with the exit status when the session
 * ends: 0 when the client went away, 1 when an upstream server died (its pending requests have been
 * answered with JSON-RPC errors by then, and standard error says which server and how).
 */
export async function serveStdio(upstreams: readonly UpstreamSpec[], options: ProxyOptions): Promise<number> {
  const links = upstreams.map(createLink);
  const session = new ProxySession(new ClientStdioTransport(), links, options);
  const ended = new Promise<number>((resolve) => {
    session.onEnd = (crash) => {
      if (crash !== undefined)
        process.stderr.write(
          `airlock mcp: ${crash}; its pending calls were answered with errors and the proxy is stopping. Restart the MCP server (your agent's MCP reconnect) to go on.\n`,
        );
      resolve(crash === undefined ? 0 : 1);
    };
  });
  // The SDK's stdio transport does not notice the client closing its end; the session must end then.
  process.stdin.once("end", () => void session.close());
  try {
    await session.start();
  } catch (err) {
    const which = upstreams.map((u) => `${u.name} (${describeUpstream(u)})`).join(", ");
    process.stderr.write(`airlock mcp: could not start ${which}: ${(err as Error).message}\n`);
    await session.close();
    return 1;
  }
  return ended;
}
