import type { McpAction } from "../../action/schema.js";
import { isRecord } from "../aws/params.js";
import { finding, type Shape } from "../finding.js";
import type { Operation, Target } from "../types.js";

/**
 * The agent CLIs' own tools that read, search or keep the agent's own state. Their hooks send them
 * as MCP calls on a server named after the CLI (`claude-code/Read`), so they are judged, explained
 * and audited like any other call, and a policy can hold or deny them (by `operation`, tag or
 * target). Only these names on these servers are known; any other tool of a CLI stays unknown.
 */

type Known = readonly [Shape, string];

const READ: Shape = "read reversible none";
/** The agent's own bookkeeping (a to-do list, a memory note, a background shell it started). */
const OWN_STATE: Shape = "write reversible resource";

const FILES: Known = [READ, "reads files"];
const SEARCH: Known = [READ, "searches files"];
const LIST: Known = [READ, "lists a directory"];
const FETCH: Known = [READ, "fetches a web page"];
const WEB_SEARCH: Known = [READ, "searches the web"];
const TODO: Known = [OWN_STATE, "updates the agent's own to-do list"];
const SUBAGENT: Known = [READ, "starts a subagent, whose own tool calls come through this hook"];
const ASK: Known = [READ, "asks the person at the keyboard a question"];
const PLAN: Known = [READ, "enters or leaves plan mode (it only restricts what follows)"];
const SKILL: Known = [READ, "loads a skill's or command's instructions"];
const SHELL_OUTPUT: Known = [READ, "reads the output of a shell the agent started"];
const SHELL_STOP: Known = [OWN_STATE, "stops a shell the agent started"];
const MCP_RESOURCES: Known = [READ, "reads an MCP server's resources"];

const TOOLS: Readonly<Record<string, Readonly<Record<string, Known>>>> = {
  "claude-code": {
    Read: FILES,
    Glob: SEARCH,
    Grep: SEARCH,
    LS: LIST,
    WebFetch: FETCH,
    WebSearch: WEB_SEARCH,
    TodoWrite: TODO,
    Task: SUBAGENT,
    Agent: SUBAGENT,
    BashOutput: SHELL_OUTPUT,
    KillShell: SHELL_STOP,
    ExitPlanMode: PLAN,
    AskUserQuestion: ASK,
    SlashCommand: SKILL,
    Skill: SKILL,
    ListMcpResourcesTool: MCP_RESOURCES,
    ReadMcpResourceTool: MCP_RESOURCES,
  },
  gemini: {
    read_file: FILES,
    read_many_files: FILES,
    list_directory: LIST,
    glob: SEARCH,
    search_file_content: SEARCH,
    grep_search: SEARCH,
    web_fetch: FETCH,
    google_web_search: WEB_SEARCH,
    save_memory: [OWN_STATE, "saves a note to the agent's own memory (GEMINI.md)"],
    write_todos: TODO,
    invoke_agent: SUBAGENT,
    activate_skill: SKILL,
    enter_plan_mode: PLAN,
    exit_plan_mode: PLAN,
  },
  copilot: {
    view: FILES,
    glob: SEARCH,
    grep: SEARCH,
    web_fetch: FETCH,
    task: SUBAGENT,
    ask_user: ASK,
    report_intent: [READ, "tells the person what the agent is doing"],
    update_todo: TODO,
    think: [READ, "writes down the agent's reasoning"],
    read_bash: SHELL_OUTPUT,
    list_bash: SHELL_OUTPUT,
    stop_bash: SHELL_STOP,
    fetch_copilot_cli_documentation: [READ, "reads Copilot CLI's own documentation"],
  },
  cursor: {
    Read: FILES,
    Grep: SEARCH,
    Glob: SEARCH,
    LS: LIST,
    SemanticSearch: SEARCH,
    WebSearch: WEB_SEARCH,
    WebFetch: FETCH,
    TodoWrite: TODO,
    Task: SUBAGENT,
  },
  kiro: {
    fs_read: FILES,
    read: FILES,
    glob: SEARCH,
    grep: SEARCH,
    introspect: [READ, "reads Kiro's own documentation"],
    knowledge: SEARCH,
    todo_list: TODO,
    thinking: [READ, "writes down the agent's reasoning"],
    report_issue: [READ, "opens an issue report form"],
    web_search: WEB_SEARCH,
    web_fetch: FETCH,
  },
};

/** Argument names that name what a built-in tool reads: a file, a directory or a URL. */
const TARGET_KEYS: Readonly<Record<string, string>> = {
  file_path: "path",
  absolute_path: "path",
  notebook_path: "path",
  path: "path",
  dir_path: "path",
  directory: "path",
  url: "url",
};

function targetsOf(call: McpAction): Target[] {
  const targets: Target[] = [];
  for (const [key, value] of Object.entries(call.arguments ?? {})) {
    const type = TARGET_KEYS[key];
    if (type && typeof value === "string" && value !== "") targets.push({ type, name: value });
    // A list of paths (read_many_files), or of operations that each name one (Kiro's fs_read).
    if ((key === "paths" || key === "operations") && Array.isArray(value))
      for (const item of value) {
        const path = typeof item === "string" ? item : isRecord(item) ? item.path : undefined;
        if (typeof path === "string" && path !== "") targets.push({ type: "path", name: path });
      }
  }
  return targets;
}

/** The tools the CLI named by `server` has of its own, by name. */
export function agentToolNames(server: string): string[] {
  return Object.keys(TOOLS[server] ?? {});
}

/** The operation of a CLI's own known tool, or undefined for any other call. */
export function agentToolOperation(call: McpAction): Operation | undefined {
  const known = Object.hasOwn(TOOLS, call.server) ? TOOLS[call.server] : undefined;
  const entry = known && Object.hasOwn(known, call.tool) ? known[call.tool] : undefined;
  if (!entry) return undefined;
  const name = `${call.server}/${call.tool}`;
  const targets = targetsOf(call);
  const what = targets.length > 0 ? `: ${targets.map((t) => t.name).join(", ")}` : "";
  const f = finding(entry[0], `${name}: the agent's own tool ${entry[1]}${what}`, ["agent-tool"]);
  return { kind: "mcp", name, ...f, targets: [{ type: "mcp-tool", name }, ...targets] };
}
