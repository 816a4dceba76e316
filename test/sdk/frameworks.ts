import { tool as langChainTool } from "@langchain/core/tools";
import { invokeFunctionTool, tool as openAiTool, RunContext } from "@openai/agents";
import { tool as aiTool } from "ai";
import { z } from "zod";
import {
  type ActionSource,
  type Guard,
  guardAiTool,
  guardLangChainTool,
  guardOpenAiTool,
} from "../../src/sdk/index.js";

/**
 * One real tool per framework, defined with the framework's own `tool()`, guarded, and called the way
 * the framework calls it (no model). Each records the commands it really ran: a refused call must
 * leave `ran` empty.
 */
export interface GuardedTool {
  call(input: { command: string }): Promise<unknown>;
  ran: string[];
}

export interface Framework {
  name: string;
  make(guard: Guard, toAction?: ActionSource<{ command: string }>): GuardedTool;
}

const description = "Run a shell command on the deployment host";
const inputSchema = z.object({ command: z.string() });

export const ai: Framework = {
  name: "Vercel AI SDK",
  make(guard, toAction = "run_command") {
    const ran: string[] = [];
    const runCommand = aiTool({
      description,
      inputSchema,
      execute: async ({ command }) => {
        ran.push(command);
        return { exitCode: 0, stdout: `ran ${command}` };
      },
    });
    const guarded = guardAiTool(runCommand, toAction, guard);
    return {
      ran,
      call: async (input) => {
        if (!guarded.execute) throw new Error("the guarded tool lost execute");
        return guarded.execute(input, { toolCallId: "call-1", messages: [] });
      },
    };
  },
};

export const langChain: Framework = {
  name: "LangChain.js",
  make(guard, toAction = "run_command") {
    const ran: string[] = [];
    const runCommand = langChainTool(
      async ({ command }) => {
        ran.push(command);
        return `ran ${command}`;
      },
      { name: "run_command", description, schema: inputSchema },
    );
    const guarded = guardLangChainTool(runCommand, toAction, guard);
    return { ran, call: (input) => guarded.invoke(input) };
  },
};

export const openAiAgents: Framework = {
  name: "OpenAI Agents SDK",
  make(guard, toAction = "run_command") {
    const ran: string[] = [];
    const runCommand = openAiTool({
      name: "run_command",
      description,
      parameters: inputSchema,
      execute: async ({ command }) => {
        ran.push(command);
        return `ran ${command}`;
      },
    });
    const guarded = guardOpenAiTool(runCommand, toAction, guard);
    return {
      ran,
      // The runner's own path: invokeFunctionTool applies the tool's timeout and calls `invoke`.
      call: (input) =>
        invokeFunctionTool({ tool: guarded, runContext: new RunContext(), input: JSON.stringify(input) }),
    };
  },
};

export const FRAMEWORKS: readonly Framework[] = [ai, langChain, openAiAgents];
