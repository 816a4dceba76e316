import type { ServerResponse } from "node:http";
import { type Body, FINAL_TEXT, json, names, type ScriptedPick, sse } from "./model-server.js";

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
  const call = pick().decide(names(body.tools, (t) => t.name));
  const id = `resp_${Date.now()}`;
  const item = call
    ? {
        type: "function_call",
        id: `fc_${Date.now()}`,
        call_id: `call_${Date.now()}`,
        name: call.tool,
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
