import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { callAction, type Decider } from "./call-action.js";
import type { ToolFilter } from "./router.js";

/**
 * `--hide-denied`: leave out of tools/list the tools the policy denies whatever the arguments, judged
 * as a call with no arguments under the tool's declared annotations. Only what the agent is offered
 * changes: a call to a hidden tool is still decided like any other. The decider must be the local
 * policy; asking `airlock serve` would open an approval request for every tool that is held.
 */
export function deniedToolFilter(decider: Decider): ToolFilter {
  return async (link, tools) => {
    const verdicts = await Promise.all(
      tools.map(async (tool: Tool) => {
        const action = callAction(
          { server: link.name, tool: tool.name, arguments: undefined, annotations: tool.annotations },
          link.environment,
        );
        try {
          return (await decider.decide(action)).decision;
        } catch {
          return "hold"; // unknown: keep it listed; the call itself is still gated
        }
      }),
    );
    return tools.filter((_, i) => verdicts[i] !== "deny");
  };
}
