import type { StructuredToolInterface } from "@langchain/core/tools";
import type { Guard } from "./guard.js";
import { type ActionSource, resolveToAction } from "./tool-actions.js";

/**
 * Guard a LangChain.js tool (`tool(fn, { name, schema })`, a `DynamicStructuredTool` or any
 * `StructuredTool` from "@langchain/core/tools"). The guarded tool is the same tool seen through a
 * new object whose `_call` asks airlock first: the schema validation, callbacks and `ToolMessage`
 * wrapping of `invoke` stay LangChain's own, and `instanceof` still holds. Only types are imported.
 */

/** The tool's input after its schema (zod 4 schemas carry their output type); otherwise unknown. */
export type LangChainToolInput<T> = T extends { schema: { _zod: { output: infer Output } } }
  ? Output
  : unknown;

/** The protected method every StructuredTool runs its work in, after `invoke` validated the input. */
interface Runs {
  _call(arg: unknown, runManager?: unknown, parentConfig?: unknown): unknown;
  responseFormat?: string;
}

/**
 * On a refusal, `invoke` answers the `AirlockRefusal` (inside a `ToolMessage`, as JSON, when it was
 * called with a tool call); a tool whose `responseFormat` is "content_and_artifact" gets the message
 * as content and the refusal as artifact. `toAction` maps the validated input to an Action; a
 * string is the tool's name, for `toolCall(name)`.
 */
export function guardLangChainTool<T extends StructuredToolInterface>(
  tool: T,
  toAction: ActionSource<LangChainToolInput<T>>,
  guard: Guard,
): T {
  const original = (tool as unknown as Runs)._call;
  if (typeof original !== "function")
    throw new TypeError("airlock: guardLangChainTool needs a LangChain StructuredTool (one with `_call`)");
  const describe = resolveToAction(toAction);
  const guarded = Object.create(tool) as T & Runs;
  guarded._call = async function (this: Runs, arg: unknown, runManager?: unknown, parentConfig?: unknown) {
    const refusal = await guard.admit(() => describe(arg as LangChainToolInput<T>));
    if (!refusal) return original.call(this, arg, runManager, parentConfig);
    return this.responseFormat === "content_and_artifact" ? [refusal.message, refusal] : refusal;
  };
  return guarded;
}
