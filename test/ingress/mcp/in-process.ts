import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import * as z from "zod";
import type { Decision } from "../../../src/action/decision.js";
import { type ProxyOptions, ProxySession } from "../../../src/ingress/mcp/session.js";
import { UpstreamLink } from "../../../src/ingress/mcp/upstream.js";

export { textOf } from "./harness.js";

/** A Decision as a decider would return it, with only what a test cares about filled in. */
export function decision(verdict: Decision["decision"], extra: Partial<Decision> = {}): Decision {
  return {
    version: 1,
    decision: verdict,
    risk: { reversibility: "irreversible", blastRadius: "service", environment: "production" },
    operations: [],
    reasons: [`test says ${verdict}`],
    rules: [`test-${verdict}`],
    ...extra,
  };
}

/** An upstream server whose tools count how often they really ran. */
export function probeServer() {
  const ran = { delete_records: 0, read_notes: 0 };
  const server = new McpServer({ name: "probe", version: "1.0.0" });
  server.registerTool(
    "delete_records",
    { inputSchema: { table: z.string() }, annotations: { destructiveHint: true, readOnlyHint: false } },
    async ({ table }) => {
      ran.delete_records++;
      return { content: [{ type: "text", text: `deleted ${table}` }] };
    },
  );
  server.registerTool("read_notes", { annotations: { readOnlyHint: true } }, async () => {
    ran.read_notes++;
    return { content: [{ type: "text", text: "notes" }] };
  });
  return { server, ran };
}

/** A client connected through a ProxySession to `server`, all in this process. */
export async function throughProxy(
  server: McpServer,
  options: ProxyOptions,
  name = "probe",
  environment?: string,
) {
  const [upstreamSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const [clientSide, proxySide] = InMemoryTransport.createLinkedPair();
  const session = new ProxySession(proxySide, [new UpstreamLink(name, upstreamSide, environment)], options);
  await session.start();
  const client = new Client({ name: "test-client", version: "1.0.0" });
  await client.connect(clientSide);
  return { client, session };
}
