import { generateText, stepCountIs, tool } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createGuard, guardAiTool, isAirlockRefusal, shellCommand } from "../../src/sdk/index.js";

const guard = createGuard();
const DELETE_PROD_STACK = "aws cloudformation delete-stack --stack-name cost-explorer-prod";
const options = { toolCallId: "call-1", messages: [] };

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};

describe("guardAiTool inside generateText", () => {
  it("hands the model the refusal as the tool result, and the tool never runs", async () => {
    const ran: string[] = [];
    const runCommand = guardAiTool(
      tool({
        description: "Run a shell command",
        inputSchema: z.object({ command: z.string() }),
        execute: async ({ command }) => {
          ran.push(command);
          return "done";
        },
      }),
      shellCommand(),
      guard,
    );
    const model = new MockLanguageModelV3({
      doGenerate: [
        {
          content: [
            {
              type: "tool-call",
              toolCallId: "call-1",
              toolName: "run_command",
              input: JSON.stringify({ command: DELETE_PROD_STACK }),
            },
          ],
          finishReason: { unified: "tool-calls", raw: undefined },
          usage,
          warnings: [],
        },
        {
          content: [{ type: "text", text: "I asked for approval." }],
          finishReason: { unified: "stop", raw: undefined },
          usage,
          warnings: [],
        },
      ],
    });
    const result = await generateText({
      model,
      tools: { run_command: runCommand },
      prompt: "Recreate the cost explorer stack",
      stopWhen: stepCountIs(2),
    });
    expect(ran).toEqual([]);
    const output = result.steps[0]?.toolResults[0]?.output;
    expect(isAirlockRefusal(output) && output.airlock.decision).toBe("hold");
    // What the model reads on its next turn.
    expect(JSON.stringify(model.doGenerateCalls[1]?.prompt)).toContain("airlock is holding this call");
  });
});

describe("guardAiTool", () => {
  it("keeps a streaming tool streaming when allowed, and yields only the refusal when not", async () => {
    const ran: string[] = [];
    const streaming = guardAiTool(
      tool({
        inputSchema: z.object({ command: z.string() }),
        async *execute({ command }) {
          ran.push(command);
          yield "started";
          yield "finished";
        },
      }),
      shellCommand(),
      guard,
    );
    const collect = async (command: string) => {
      const out: unknown[] = [];
      const stream = streaming.execute?.({ command }, options) as AsyncIterable<unknown>;
      for await (const item of stream) out.push(item);
      return out;
    };
    expect(await collect("ls")).toEqual(["started", "finished"]);
    const refused = await collect("rm -rf /");
    expect(refused).toHaveLength(1);
    expect(isAirlockRefusal(refused[0])).toBe(true);
    expect(ran).toEqual(["ls"]);
  });

  it("sends a refusal to the model as JSON even when the tool converts its own output", async () => {
    const guarded = guardAiTool(
      tool({
        inputSchema: z.object({ command: z.string() }),
        execute: async () => 42,
        toModelOutput: ({ output }) => ({ type: "text", value: `exit ${output.toFixed(0)}` }),
      }),
      shellCommand(),
      guard,
    );
    const convert = (output: unknown) =>
      guarded.toModelOutput?.({ toolCallId: "c", input: { command: "x" }, output: output as number });
    expect(await convert(await guarded.execute?.({ command: "ls" }, options))).toEqual({
      type: "text",
      value: "exit 42",
    });
    const refusal = await guarded.execute?.({ command: "rm -rf /" }, options);
    expect(await convert(refusal)).toEqual({ type: "json", value: refusal });
  });

  it("refuses to guard a tool without execute, which runs where airlock cannot see it", () => {
    const clientSide = tool({ inputSchema: z.object({ command: z.string() }), outputSchema: z.string() });
    expect(() => guardAiTool(clientSide, "client_tool", guard)).toThrow(TypeError);
  });
});
