import type { ServerResponse } from "node:http";
import { type Body, FINAL_TEXT, json, names, type ScriptedPick, sse } from "./model-server.js";

/**
 * The tools a request declares, by the name a call gives them: a plain function by its name, a function
 * in a namespace (Codex declares each MCP server's tools as `{ type: "namespace", name: "mcp__postgres",
 * tools: [{ name: "query" }] }`) as `mcp__postgres__query`, the name Codex's hooks see too.
 */
function declaredTools(tools: unknown): Map<string, { name: string; namespace?: string }> {
  const out = new Map<string, { name: string; namespace?: string }>();
  for (const name of names(tools, (t) => (t.type === "namespace" ? undefined : t.name)))
    out.set(name, { name });
  const spaces = Array.isArray(tools)
    ? tools.filter((t): t is Body => isBody(t) && t.type === "namespace")
    : [];
  for (const space of spaces) {
    const namespace = String(space.name);
    for (const name of names(space.tools, (t) => t.name))
      out.set(`${namespace}__${name}`, { name, namespace });
  }
  return out;
}

const isBody = (value: unknown): value is Body => typeof value === "object" && value !== null;

/** OpenAI Responses (`POST /v1/responses`, streamed), as Codex calls a `[model_providers.*]` entry. */
export function openaiResponses(
  path: string,
  body: Body,
  res: ServerResponse,
  pick: () => ScriptedPick,
): boolean {
  if (path.startsWith("/v1/models")) {
    json(res, 200, { object: "list", data: [], models: [] });
    return true;
  }
  if (!path.startsWith("/v1/responses")) return false;
  const tools = declaredTools(body.tools);
  const call = pick().decide([...tools.keys()]);
  const id = `resp_${Date.now()}`;
  const item = call
    ? {
        type: "function_call",
        id: `fc_${Date.now()}`,
        call_id: `call_${Date.now()}`,
        // A namespaced function is called by its own name, with its namespace beside it.
        ...(tools.get(call.tool) ?? { name: call.tool }),
        arguments: JSON.stringify(call.args),
        status: "completed",
      }
    : {
        type: "message",
        id: `msg_${Date.now()}`,
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: FINAL_TEXT, annotations: [] }],
      };
  const usage = {
    input_tokens: 10,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 5,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 15,
  };
  sse(res, [
    {
      event: "response.created",
      data: { type: "response.created", response: { id, status: "in_progress" } },
    },
    {
      event: "response.output_item.added",
      data: { type: "response.output_item.added", output_index: 0, item },
    },
    {
      event: "response.output_item.done",
      data: { type: "response.output_item.done", output_index: 0, item },
    },
    {
      event: "response.completed",
      data: { type: "response.completed", response: { id, status: "completed", output: [item], usage } },
    },
  ]);
  return true;
}
