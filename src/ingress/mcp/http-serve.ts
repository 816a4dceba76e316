import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { UpstreamSpec } from "./config.js";
import { createLink } from "./links.js";
import { type ProxyOptions, ProxySession } from "./session.js";

export interface Listening {
  /** The MCP endpoint clients connect to, e.g. `http://127.0.0.1:7071/mcp`. */
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);
export const MCP_PATH = "/mcp";

function reject(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32000, message } }));
}

/**
 * A proxy bound to loopback answers only requests addressed to loopback: a web page the agent's user
 * opens cannot reach it through a DNS name that resolves to 127.0.0.1 (DNS rebinding).
 */
function hostAllowed(req: IncomingMessage, listenHost: string): boolean {
  if (!LOOPBACK.has(listenHost)) return true;
  const host = req.headers.host ?? "";
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0];
  return LOOPBACK.has(name ?? "");
}

/**
 * Serve Streamable HTTP at `/mcp`. Each client session gets its own connections to the upstream
 * servers (an HTTP upstream session, or a started process), and ends with them.
 */
export async function serveHttp(
  upstreams: readonly UpstreamSpec[],
  listen: { host: string; port: number },
  options: ProxyOptions,
): Promise<Listening> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req, listen.host))
      return reject(res, 403, "Forbidden: this proxy answers loopback hosts only");
    if (new URL(req.url ?? "/", "http://proxy").pathname !== MCP_PATH)
      return reject(res, 404, `Not found: use ${MCP_PATH}`);
    const sessionId = req.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const transport = sessions.get(sessionId);
      if (!transport) return reject(res, 404, "Session not found: initialize a new session");
      return transport.handleRequest(req, res);
    }
    if (req.method !== "POST") return reject(res, 400, "Bad Request: no session; send initialize first");
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
    });
    const session = new ProxySession(transport, upstreams.map(createLink), options);
    session.onEnd = (crash) => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      if (crash)
        process.stderr.write(`airlock mcp: ${crash}; the client's session ${transport.sessionId} ended.\n`);
    };
    try {
      await session.start();
    } catch (err) {
      await session.close();
      return reject(res, 502, `airlock could not start the upstream MCP server: ${(err as Error).message}`);
    }
    await transport.handleRequest(req, res);
    // Not an initialize request: no session was made, so nothing keeps these upstream connections.
    if (!transport.sessionId) await session.close();
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) reject(res, 500, `airlock mcp: ${err.message}`);
      else res.end();
    });
  });
  await new Promise<void>((resolve, rejectListen) => {
    server.once("error", rejectListen);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host.includes(":") ? `[${listen.host}]` : listen.host;
  return {
    url: `http://${host}:${port}${MCP_PATH}`,
    close: async () => {
      await Promise.allSettled([...sessions.values()].map((t) => t.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
