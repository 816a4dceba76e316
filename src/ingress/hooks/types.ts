import type { Action } from "../../action/schema.js";

export const CLI_NAMES = ["claude-code", "gemini", "cursor", "kiro", "codex", "copilot"] as const;
export type CliName = (typeof CLI_NAMES)[number];

export function isCliName(name: string): name is CliName {
  return (CLI_NAMES as readonly string[]).includes(name);
}

/** What a hook made of one pre-tool-use event. */
export type ToolCall =
  /** An action for the gate. `confirm`: a person must agree even when the policy allows it. */
  | { kind: "act"; action: Action; confirm?: string }
  /** Nothing for the gate: a read, a write inside the project, a call another hook event judges. */
  | { kind: "pass"; why: string }
  /** Input airlock cannot read as a tool call: denied, with what was wrong. */
  | { kind: "refuse"; reason: string };

/** The hook's answer before it is put in the CLI's words. */
export type Verdict =
  | { kind: "allow" }
  /** Let the person at the keyboard decide (only where the CLI can ask). */
  | { kind: "ask"; reason: string }
  | { kind: "deny"; reason: string };

/** What the hook process prints and how it exits. */
export interface HookAnswer {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Where the call happens, as the CLI reports it, with the environment the hook runs in. */
export interface CallContext {
  cli: CliName;
  /** The CLI's own name for the tool. */
  tool: string;
  /** The session's working directory. */
  cwd: string;
  /** The project (workspace) the agent works in; writes outside it need a person. */
  project: string;
  /** The CLI's id for this tool call, kept as the Action's `id`. */
  callId?: string;
  env: NodeJS.ProcessEnv;
}

export type Json = Record<string, unknown>;
export type Scope = "user" | "project";

/** How `airlock install` writes the hook into one CLI's settings (pure: JSON in, JSON out). */
export interface SettingsFormat {
  /** The settings file(s) of a scope. Kiro has one per agent; the rest have one. */
  files(scope: Scope, home: string, project: string, env: NodeJS.ProcessEnv): string[];
  /**
   * The settings with airlock's hook in it (the CLI may run it `seconds`), replacing an older airlock
   * entry; idempotent. `env`: airlock's variables at install time, for a CLI that strips them from
   * its hooks' environment (Gemini CLI), to carry in the entry itself.
   */
  add(settings: Json, command: string, seconds: number, env?: Record<string, string>): Json;
  /** The settings without any airlock entry; empty containers airlock would have created are dropped. */
  remove(settings: Json): Json;
  /** The airlock hook commands these settings hold. */
  commands(settings: Json): string[];
  /** A settings file to create when the scope has none Kiro can use (its agents). */
  fresh?: (file: string) => Json;
}

/** One agent CLI: how to read its hook input, how to answer, and where its settings live. */
export interface CliHook {
  readonly name: CliName;
  readonly title: string;
  /** Whether this CLI has a documented "ask the user" answer for this input, and someone to answer it. */
  canAsk(input: unknown, env: NodeJS.ProcessEnv): boolean;
  read(input: unknown, env: NodeJS.ProcessEnv): ToolCall;
  answer(verdict: Verdict, input: unknown): HookAnswer;
  /** Whether the CLI reads this answer as "do not run the tool" (used by `airlock doctor`). */
  blocks(answer: HookAnswer): boolean;
  /** The CLI's input for a shell command, for `airlock doctor` and the benchmark. */
  sample(command: string, cwd: string): unknown;
  readonly settings: SettingsFormat;
}
