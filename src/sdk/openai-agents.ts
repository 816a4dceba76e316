import type { FunctionTool, ToolExecuteArgument, ToolInputParameters } from "@openai/agents";
import type { Guard } from "./guard.js";
import type { AirlockRefusal } from "./refusal.js";
import { type ActionSource, resolveToAction } from "./tool-actions.js";

/**
 * Guard an OpenAI Agents SDK function tool (`tool({ name, parameters, execute })` from
 * "@openai/agents"). The runner calls `invoke(runContext, argumentsJson, details)`; the guarded tool's
 * `invoke` asks airlock first and calls the original only on allow, so the tool's own parsing,
 * timeouts and error handling are untouched. Only types are imported from the package.
 */

/** The model's arguments: JSON when they parse, otherwise the raw text (the tool's own parser decides). */
function argumentsOf(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

/**
 * `toAction` gets the arguments as the model sent them, before the tool validates them: input the
 * tool would reject never runs either way, and a `toAction` that throws on it is a deny. A string
 * is the tool's name, for `toolCall(name)`. On a refusal, `invoke` returns the `AirlockRefusal`,
 * which the runner gives the model as JSON; thrown `AirlockHeld`/`AirlockDenied` end the run.
 */
export function guardOpenAiTool<Context, Parameters extends ToolInputParameters, Result>(
  tool: FunctionTool<Context, Parameters, Result>,
  toAction: ActionSource<ToolExecuteArgument<Parameters>>,
  guard: Guard,
): FunctionTool<Context, Parameters, Result | AirlockRefusal> {
  if (tool.type !== "function" || typeof tool.invoke !== "function")
    throw new TypeError(
      "airlock: guardOpenAiTool needs a function tool made with tool() from @openai/agents",
    );
  const describe = resolveToAction(toAction);
  const invoke: FunctionTool<Context, Parameters, Result | AirlockRefusal>["invoke"] = async (
    runContext,
    input,
    details,
  ) =>
    (await guard.admit(() => describe(argumentsOf(input) as ToolExecuteArgument<Parameters>))) ??
    (await tool.invoke(runContext, input, details));
  // A `customDataExtractor` of the tool may now see a refusal as the output, which its type cannot say.
  return { ...tool, invoke } as FunctionTool<Context, Parameters, Result | AirlockRefusal>;
}
