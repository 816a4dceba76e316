import type { Tool, ToolExecutionOptions } from "ai";
import type { Guard } from "./guard.js";
import { type AirlockRefusal, isAirlockRefusal } from "./refusal.js";
import { type ActionSource, resolveToAction } from "./tool-actions.js";

/**
 * Guard a Vercel AI SDK tool (`tool({ description, inputSchema, execute })` from "ai"): `execute`
 * runs only when airlock allows the call; otherwise the tool's result is an `AirlockRefusal`, or
 * `AirlockHeld`/`AirlockDenied` is thrown, as the guard is configured. Only types are imported from
 * "ai", so the SDK does not load it.
 */

type Execute<Input, Output> = (
  input: Input,
  options: ToolExecutionOptions,
) => AsyncIterable<Output> | PromiseLike<Output> | Output;

/** `async function*` tools stream preliminary results; they are wrapped as generators to keep doing so. */
function isAsyncGeneratorFunction(fn: unknown): boolean {
  return Object.prototype.toString.call(fn) === "[object AsyncGeneratorFunction]";
}

function guardedExecute<Input, Output>(
  execute: Execute<Input, Output>,
  admit: (input: Input) => Promise<AirlockRefusal | undefined>,
): Execute<Input, Output | AirlockRefusal> {
  if (isAsyncGeneratorFunction(execute))
    return async function* (input, options) {
      const refusal = await admit(input);
      if (refusal) {
        yield refusal;
        return;
      }
      yield* execute(input, options) as AsyncIterable<Output>;
    };
  return async (input, options) => (await admit(input)) ?? (await (execute(input, options) as Output));
}

/**
 * `toAction` maps the tool's validated input to an Action; a string is the tool's name (the key in
 * your `tools`), for `toolCall(name)`. A tool without `execute` runs on the client, out of reach:
 * guarding it is a mistake, reported here.
 */
export function guardAiTool<Input, Output>(
  tool: Tool<Input, Output>,
  toAction: ActionSource<Input>,
  guard: Guard,
): Tool<Input, Output | AirlockRefusal> {
  const execute = tool.execute as Execute<Input, Output> | undefined;
  if (typeof execute !== "function")
    throw new TypeError(
      "airlock: guardAiTool needs a tool with `execute`; airlock cannot guard client-side tools",
    );
  const describe = resolveToAction(toAction);
  const guarded: Record<string, unknown> = {
    ...tool,
    execute: guardedExecute(execute, (input) => guard.admit(() => describe(input))),
  };
  const toModelOutput = tool.toModelOutput;
  if (toModelOutput)
    // The tool's own conversion expects its own output; a refusal goes to the model as JSON.
    guarded.toModelOutput = (options: Parameters<typeof toModelOutput>[0]) =>
      isAirlockRefusal(options.output) ? { type: "json", value: options.output } : toModelOutput(options);
  return guarded as Tool<Input, Output | AirlockRefusal>;
}
