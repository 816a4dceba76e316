import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A scripted model endpoint for the real agent CLIs: it speaks just enough of each vendor's API
 * (Anthropic Messages, Gemini generateContent, OpenAI Responses and Chat Completions) to answer a
 * conversation's first turn with one tool call and every later turn (once a tool result is in the
 * request) with a final text. Whatever the CLI does with the tool call is then seen in the file
 * system, not here.
 */

/** The one tool call to make: the tool's name as the CLI declared it, and its arguments. */
export interface ScriptedCall {
  /** Picks the tool from the names the request declares (undefined: answer with text). */
  tool: (declared: string[]) => string | undefined;
  args: (tool: string) => Record<string, unknown>;
}

export interface ModelServer {
  url: string;
  /** Every request seen: path and body, for the test's messages when a CLI misbehaves. */
  log: { path: string; body: unknown }[];
  /** The tool calls answered. */
  calls: { tool: string; args: Record<string, unknown> }[];
  close(): Promise<void>;
}

type Body = Record<string, unknown>;
const FINAL_TEXT = "Done.";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => {
      text += d;
    });
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

/** Whether a tool result is anywhere in the request: then the scripted call was made. */
function hasToolResult(body: unknown): boolean {
  const text = JSON.stringify(body);
  return /"(tool_result|functionResponse|function_call_output)"|"role":"tool"/.test(text);
}

function names(list: unknown, pick: (tool: Body) => unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((t) => {
    const name = typeof t === "object" && t !== null ? pick(t as Body) : undefined;
    return typeof name === "string" ? [name] : [];
  });
}

function sse(res: ServerResponse, events: { event?: string; data: unknown }[]): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const e of events)
    res.write(`${e.event ? `event: ${e.event}\n` : ""}data: ${JSON.stringify(e.data)}\n\n`);
  res.end();
}

function json(res: ServerResponse, status: number, data: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(data));
}

export type { Body };
export { FINAL_TEXT, hasToolResult, json, names, readBody, sse };

/** Start the endpoint on a loopback port; `answer` handles one vendor's paths (see vendors.ts). */
export async function startModelServer(
  answer: (path: string, body: Body, res: ServerResponse, pick: () => ScriptedPick) => boolean,
  script: ScriptedCall,
): Promise<ModelServer> {
  const log: ModelServer["log"] = [];
  const calls: ModelServer["calls"] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      let body: Body = {};
      try {
        body = text ? (JSON.parse(text) as Body) : {};
      } catch {
        body = { raw: text };
      }
      const path = req.url ?? "/";
      log.push({ path: `${req.method} ${path}`, body });
      const pick = (): ScriptedPick => ({
        decide(declared) {
          if (hasToolResult(body)) return undefined;
          const tool = script.tool(declared);
          if (!tool) return undefined;
          const args = script.args(tool);
          calls.push({ tool, args });
          return { tool, args };
        },
      });
      if (!answer(path, body, res, pick))
        json(res, 404, { error: { message: `no scripted answer for ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ScriptedPick {
  /** The tool call for this request (undefined: the final text), given the tools it declares. */
  decide(declared: string[]): { tool: string; args: Record<string, unknown> } | undefined;
}
