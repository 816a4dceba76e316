import { mcpAction } from "../action/mcp-call.js";
import type { Action } from "../action/schema.js";

/**
 * How a guarded tool describes one call of itself to airlock: its input in, an Action out. What it
 * returns is validated by the gate, so a wrong Action is a deny, never a pass.
 */
export type ToAction<Input> = (input: Input) => Action | Promise<Action>;

/** A tool's input as the `arguments` of a call: objects as they are, none as none, anything else under `input`. */
function argumentsOf(input: unknown): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  return typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : { input };
}

/**
 * The default: the call as an `mcp` Action of the server "sdk". airlock judges it by the tool's name
 * and looks inside its arguments (a `command`, a `sql` or `query`); a tool whose name says nothing is
 * opaque, which is never allowed where it may touch production.
 */
export function toolCall(name: string): ToAction<unknown> {
  return (input) => {
    const built = mcpAction({ server: "sdk", tool: name, arguments: argumentsOf(input) });
    if (!built.ok) throw new TypeError(`the call of tool "${name}" is not an airlock action: ${built.error}`);
    return built.action;
  };
}

function field(input: unknown, name: string): string {
  const value = argumentsOf(input)[name];
  if (typeof value !== "string") throw new TypeError(`the tool input has no string field "${name}"`);
  return value;
}

/** For a tool that runs a command line: `{ [field]: "…" }` is a `shell` Action, in `cwd` when given. */
export function shellCommand(options: { field?: string; cwd?: string } = {}): ToAction<unknown> {
  return (input) => ({
    kind: "shell",
    command: field(input, options.field ?? "command"),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  });
}

/** For a tool that runs SQL: `{ [field]: "…" }` is a `sql` Action on the named engine and database. */
export function sqlStatement(
  options: { field?: string; engine?: "postgres" | "mysql" | "sqlite"; database?: string } = {},
): ToAction<unknown> {
  return (input) => ({
    kind: "sql",
    sql: field(input, options.field ?? "sql"),
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.database !== undefined ? { database: options.database } : {}),
  });
}

/** A ToAction, or a tool's name standing for `toolCall(name)`. */
export type ActionSource<Input> = ToAction<Input> | string;

export function resolveToAction<Input>(source: ActionSource<Input>): ToAction<Input> {
  return typeof source === "string" ? toolCall(source) : source;
}
