import type { ServerResponse } from "node:http";
import { type Body, FINAL_TEXT, json, names, type ScriptedPick, sse } from "./model-server.js";

/** Anthropic Messages (`POST /v1/messages`, streamed as SSE or not), as Claude Code calls it. */
export function anthropic(path: string, body: Body, res: ServerResponse, pick: () => ScriptedPick): boolean {
  if (!path.startsWith("/v1/messages")) return false;
  if (path.startsWith("/v1/messages/count_tokens")) {
    json(res, 200, { input_tokens: 10 });
    return true;
  }
  const call = pick().decide(names(body.tools, (t) => t.name));
  const model = typeof body.model === "string" ? body.model : "claude-scripted";
  const usage = { input_tokens: 10, output_tokens: 5 };
  const block = call
    ? { type: "tool_use", id: `toolu_scripted_${Date.now()}`, name: call.tool, input: call.args }
    : { type: "text", text: FINAL_TEXT };
  const stop = call ? "tool_use" : "end_turn";
  const message = { id: `msg_${Date.now()}`, type: "message", role: "assistant", model };
  if (body.stream !== true) {
    json(res, 200, { ...message, content: [block], stop_reason: stop, stop_sequence: null, usage });
    return true;
  }
  const start = call ? { ...block, input: {} } : { type: "text", text: "" };
  const delta = call
    ? { type: "input_json_delta", partial_json: JSON.stringify(call.args) }
    : { type: "text_delta", text: FINAL_TEXT };
  sse(res, [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage },
      },
    },
    { event: "content_block_start", data: { type: "content_block_start", index: 0, content_block: start } },
    { event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta } },
    { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
    {
      event: "message_delta",
      data: {
        type: "message_delta",
        delta: { stop_reason: stop, stop_sequence: null },
        usage: { output_tokens: 5 },
      },
    },
    { event: "message_stop", data: { type: "message_stop" } },
  ]);
  return true;
}
