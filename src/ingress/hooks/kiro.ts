import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Action } from "../../action/schema.js";
import { fileCall, mcpCall, ownToolCall, shellCall } from "./calls.js";
import { argumentsOf, openEvent, refuse, text } from "./event.js";
import { isV3File, kiroV3, usesKiroV3, v3File } from "./kiro-v3.js";
import { flatFormat } from "./settings.js";
import type { CallContext, CliHook, Json, SettingsFormat, ToolCall } from "./types.js";

/**
 * Kiro CLI, agent hooks (https://kiro.dev/docs/cli/hooks). A `preToolUse` hook gets
 * `{ hook_event_name, cwd, tool_name, tool_input }`; it blocks the tool by exiting 2, and its
 * standard error goes to the model. Exit 0 lets the tool run. There is no "ask the user" answer.
 * Built-in tools have two spellings (`execute_bash`/`shell`, `fs_write`/`write`, `use_aws`/`aws`);
 * MCP tools are `@server/tool`.
 */

/** `use_aws` names the call as the AWS CLI does: `cloudformation` + `delete-stack`. */
function awsCall(ctx: CallContext, input: Json): ToolCall {
  const service = text(input.service_name);
  const operation = text(input.operation_name);
  if (!service || !operation) return refuse(ctx, "it names no service_name and operation_name");
  const params = argumentsOf(input.parameters);
  if (!params) return refuse(ctx, "its parameters are not an object");
  const environment = text(ctx.env.AIRLOCK_ENVIRONMENT);
  const action: Action = {
    kind: "aws",
    service,
    operation,
    params,
    ...(text(input.region) ? { region: String(input.region) } : {}),
    ...(text(input.profile_name) ? { profile: String(input.profile_name) } : {}),
    agent: { id: "kiro" },
    intent: text(input.label) ?? `kiro use_aws ${service} ${operation}`,
    ...(environment ? { context: { environment } } : {}),
  };
  return { kind: "act", action };
}

function readTool(ctx: CallContext, input: Json): ToolCall {
  switch (ctx.tool) {
    case "execute_bash":
    case "execute_cmd":
    case "shell":
      return shellCall(ctx, input.command);
    case "fs_write":
    case "write":
    case "str_replace":
      return fileCall(ctx, [input.path ?? input.file_path], "writes");
    case "use_aws":
    case "aws":
      return awsCall(ctx, input);
  }
  const mcp = /^@([^/]+)\/(.+)$/.exec(ctx.tool);
  if (mcp?.[1] && mcp[2]) return mcpCall(ctx, mcp[1], mcp[2], input);
  return ownToolCall(ctx, input);
}

/** Kiro 2.x: hooks inside each agent's configuration. */
const agents = {
  ...flatFormat(
    {
      cli: "kiro",
      events: ["preToolUse"],
      field: "command",
      entry: (command, seconds): Json => ({ command, matcher: "*", timeout_ms: seconds * 1000 }),
    },
    (scope, home, project) => {
      // Hooks live in agent configurations: every agent of the scope gets one.
      const dir = join(scope === "user" ? home : project, ".kiro", "agents");
      const agents = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
      return agents.length > 0 ? agents.map((f) => join(dir, f)) : [join(dir, "airlock.json")];
    },
  ),
  fresh: (_file: string): Json => ({
    name: "airlock",
    description: "Kiro's tools, with every tool call checked by airlock first",
    tools: ["*"],
    includeMcpJson: true,
  }),
} satisfies SettingsFormat & { fresh: (file: string) => Json };

export const kiro: CliHook = {
  name: "kiro",
  title: "Kiro CLI",
  canAsk: () => false,
  read(input, env) {
    // Kiro 2.x names the event preToolUse, 3.x PreToolUse.
    const opened = openEvent(input, env, { cli: "kiro" });
    if ("kind" in opened) return opened;
    const { ctx, event } = opened;
    if (
      event.hook_event_name !== undefined &&
      !["preToolUse", "PreToolUse"].includes(String(event.hook_event_name))
    )
      return refuse(ctx, `it is a ${String(event.hook_event_name)} event, not PreToolUse`);
    const toolInput = argumentsOf(event.tool_input);
    if (!toolInput) return refuse(ctx, "its tool_input is not an object");
    return readTool(ctx, toolInput);
  },
  answer: (verdict) =>
    verdict.kind === "allow"
      ? { exitCode: 0, stdout: "", stderr: "" }
      : { exitCode: 2, stdout: "", stderr: `${verdict.reason}\n` },
  blocks: (answer) => answer.exitCode === 2,
  sample: (command, cwd) => ({
    hook_event_name: "preToolUse",
    cwd,
    tool_name: "execute_bash",
    tool_input: { command, summary: "airlock doctor sample" },
  }),
  settings: {
    files: (scope, home, project, env) =>
      usesKiroV3(scope === "user" ? home : project, env)
        ? [v3File(scope, home, project)]
        : agents.files(scope, home, project, env),
    add: (settings, command, seconds) =>
      kiroV3.holds(settings)
        ? kiroV3.add(settings, command, seconds)
        : agents.add(settings, command, seconds),
    remove: (settings) => (kiroV3.holds(settings) ? kiroV3.remove(settings) : agents.remove(settings)),
    commands: (settings) => (kiroV3.holds(settings) ? kiroV3.commands(settings) : agents.commands(settings)),
    fresh: (file) => (isV3File(file) ? kiroV3.fresh() : agents.fresh(file)),
  },
};
