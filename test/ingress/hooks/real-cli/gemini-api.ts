import type { ServerResponse } from "node:http";
import { type Body, FINAL_TEXT, json, names, type ScriptedPick, sse } from "./model-server.js";

/** Gemini API (`POST /v1beta/models/M:generateContent` or `:streamGenerateContent?alt=sse`), as Gemini CLI calls it. */
export function geminiApi(path: string, body: Body, res: ServerResponse, pick: () => ScriptedPick): boolean {
  const m = /^\/v1(beta|alpha)?\/models\/[^:]+:(\w+)/.exec(path);
  if (!m) return false;
  if (m[2] === "countTokens") {
    json(res, 200, { totalTokens: 10 });
    return true;
  }
  const declared = Array.isArray(body.tools)
    ? body.tools.flatMap((t) => names((t as Body).functionDeclarations, (d) => d.name))
    : [];
  const call = pick().decide(declared);
  const part = call ? { functionCall: { name: call.tool, args: call.args } } : { text: FINAL_TEXT };
  const chunk = {
    candidates: [{ content: { role: "model", parts: [part] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
    modelVersion: "gemini-scripted",
  };
  if (m[2] === "streamGenerateContent") sse(res, [{ data: chunk }]);
  else json(res, 200, chunk);
  return true;
}
