import { ToolMessage } from "@langchain/core/messages";
import { StructuredTool, tool } from "@langchain/core/tools";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createGuard, guardLangChainTool, isAirlockRefusal } from "../../src/sdk/index.js";

const guard = createGuard();
const schema = z.object({ command: z.string() });

function runCommandTool(ran: string[], responseFormat?: "content_and_artifact") {
  return tool(
    async ({ command }) => {
      ran.push(command);
      return responseFormat ? ([`ran ${command}`, { exitCode: 0 }] as const) : `ran ${command}`;
    },
    { name: "run_command", description: "Run a shell command", schema, responseFormat },
  );
}

const toolCall = (command: string) => ({
  id: "call-1",
  name: "run_command",
  args: { command },
  type: "tool_call" as const,
});

describe("guardLangChainTool", () => {
  it("is still the same kind of tool, with its name and schema", () => {
    const guarded = guardLangChainTool(runCommandTool([]), "run_command", guard);
    expect(guarded).toBeInstanceOf(StructuredTool);
    expect(guarded.name).toBe("run_command");
    expect(guarded.schema).toBe(schema);
  });

  it("answers a tool call with a ToolMessage the model reads, as an agent's ToolNode calls it", async () => {
    const ran: string[] = [];
    const guarded = guardLangChainTool(runCommandTool(ran), "run_command", guard);
    const allowed = await guarded.invoke(toolCall("ls"));
    expect(allowed).toBeInstanceOf(ToolMessage);
    expect((allowed as ToolMessage).content).toBe("ran ls");
    const refused = (await guarded.invoke(toolCall("rm -rf /"))) as ToolMessage;
    expect(refused.tool_call_id).toBe("call-1");
    const content = JSON.parse(String(refused.content));
    expect(isAirlockRefusal(content) && content.airlock.decision).toBe("deny");
    expect(ran).toEqual(["ls"]);
  });

  it("puts the message in the content and the refusal in the artifact for content_and_artifact tools", async () => {
    const ran: string[] = [];
    const guarded = guardLangChainTool(runCommandTool(ran, "content_and_artifact"), "run_command", guard);
    const refused = (await guarded.invoke(toolCall("rm -rf /"))) as ToolMessage;
    expect(refused.content).toContain("airlock denied this call");
    expect(isAirlockRefusal(refused.artifact)).toBe(true);
    expect(ran).toEqual([]);
  });

  it("guards a string-input tool through its own toAction", async () => {
    const ran: string[] = [];
    const shell = tool(
      async (command: string) => {
        ran.push(command);
        return "ok";
      },
      { name: "shell", description: "Run a command line" },
    );
    const guarded = guardLangChainTool(
      shell,
      (command) => ({ kind: "shell", command: String(command) }),
      guard,
    );
    expect(await guarded.invoke("ls")).toBe("ok");
    expect(isAirlockRefusal(await guarded.invoke("rm -rf /"))).toBe(true);
    expect(ran).toEqual(["ls"]);
  });
});
