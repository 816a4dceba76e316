import {
  Agent,
  type AgentOutputItem,
  type Model,
  type ModelRequest,
  RunContext,
  Runner,
  setTracingDisabled,
  tool,
  Usage,
} from "@openai/agents";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createGuard, guardOpenAiTool, isAirlockRefusal } from "../../src/sdk/index.js";

setTracingDisabled(true);
const guard = createGuard();
const DELETE_PROD_STACK = "aws cloudformation delete-stack --stack-name cost-explorer-prod";

function runCommandTool(ran: string[]) {
  return tool({
    name: "run_command",
    description: "Run a shell command",
    parameters: z.object({ command: z.string() }),
    execute: async ({ command }) => {
      ran.push(command);
      return `ran ${command}`;
    },
  });
}

/** A scripted model: first it calls the tool, then it answers; it records what it was sent. */
function scriptedModel(command: string): Model & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  const turns: AgentOutputItem[][] = [
    [
      {
        type: "function_call",
        callId: "call-1",
        name: "run_command",
        arguments: JSON.stringify({ command }),
      },
    ],
    [
      {
        type: "message",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: "done" }],
      },
    ],
  ];
  return {
    requests,
    async getResponse(request) {
      requests.push(request);
      return { usage: new Usage(), output: turns[requests.length - 1] ?? [] };
    },
    getStreamedResponse() {
      throw new Error("not used");
    },
  };
}

describe("guardOpenAiTool", () => {
  it("inside a real Runner, gives the model the refusal as the tool's output and never runs the tool", async () => {
    const ran: string[] = [];
    const model = scriptedModel(DELETE_PROD_STACK);
    const agent = new Agent({
      name: "ops",
      instructions: "Fix the cost report",
      model,
      tools: [guardOpenAiTool(runCommandTool(ran), "run_command", guard)],
    });
    const result = await new Runner().run(agent, "Recreate the cost explorer stack");
    expect(result.finalOutput).toBe("done");
    expect(ran).toEqual([]);
    expect(JSON.stringify(model.requests[1]?.input)).toContain("airlock is holding this call");
  });

  it("runs the tool through the runner when the call is allowed", async () => {
    const ran: string[] = [];
    const agent = new Agent({
      name: "ops",
      model: scriptedModel("ls -la"),
      tools: [guardOpenAiTool(runCommandTool(ran), "run_command", guard)],
    });
    await new Runner().run(agent, "List the files");
    expect(ran).toEqual(["ls -la"]);
  });

  it("keeps the tool's definition and refuses arguments that are not JSON without running it", async () => {
    const ran: string[] = [];
    const original = runCommandTool(ran);
    const guarded = guardOpenAiTool(original, (input) => ({ kind: "shell", command: input.command }), guard);
    expect({ ...guarded, invoke: undefined }).toEqual({ ...original, invoke: undefined });
    const output = await guarded.invoke(new RunContext(), "rm -rf / (not JSON)");
    expect(isAirlockRefusal(output) && output.airlock.code).toBe("invalid_action");
    expect(ran).toEqual([]);
  });
});
