import type { DecisionCode } from "../action/decision.js";
import type { Action } from "../action/schema.js";
import { protectedPath } from "../analyze/protected-paths.js";
import type { PlacedOperation } from "../policy/evaluate.js";

/**
 * airlock protects itself. Whatever the policy says, an agent may not switch airlock off: change the
 * agent CLIs' hook and settings files, change airlock's own files, run the airlock commands that vote
 * or lift a control, or stop airlock's processes. Each is denied with its own code and a reason that
 * sends the agent to its user.
 */

export interface SelfProtection {
  /** Absolute paths this airlock runs from: its policy file, data directory, configuration. */
  paths?: readonly string[];
  /** Process ids of this airlock (the server): `kill PID` of one is stopping airlock. */
  pids?: readonly number[];
}

export interface SelfGuard {
  code: DecisionCode;
  ruleId: string;
  reason: string;
}

const ASK =
  "An agent may not do this, even when told to; if it is needed, ask your user to do it themselves.";

const GUARDS = {
  settings: {
    code: "protected_settings",
    ruleId: "builtin:protect-agent-settings",
    reason: `airlock protects itself: this changes an agent CLI's hook, settings or MCP configuration, which would switch airlock off. ${ASK}`,
  },
  airlock: {
    code: "protected_airlock_files",
    ruleId: "builtin:protect-airlock-files",
    reason: `airlock protects itself: this changes airlock's own files (its data, audit log, keys, configuration, policy or programs). ${ASK}`,
  },
  control: {
    code: "airlock_control",
    ruleId: "builtin:no-agent-control",
    reason: `airlock protects itself: an agent never votes on its own requests, lifts a pause, freeze or breaker, mints tokens or uninstalls airlock, even with a token it found. ${ASK}`,
  },
  process: {
    code: "airlock_process",
    ruleId: "builtin:protect-airlock-process",
    reason: `airlock protects itself: this would stop airlock's own processes. ${ASK}`,
  },
} as const satisfies Record<string, SelfGuard>;

/** The API routes (and approvers' pages) that vote or lift a control. */
const CONTROL_ROUTE =
  /\/(v1\/)?(requests\/[^/?#]+\/(approve|deny|cancel)|pauses\/resume|breakers\/[^/?#]+\/reset|freezes\/lift)\/?([?#]|$)/i;

/** Argument names under which MCP filesystem tools take the files they write. */
const PATH_KEY =
  /^(path|paths|file|files|filepath|file_path|filename|destination|dest|target|target_file|source|new_path|old_path)$/i;

function mcpPaths(action: Action): string[] {
  if (action.kind !== "mcp") return [];
  const out: string[] = [];
  const visit = (value: unknown, key: string, depth: number): void => {
    if (depth > 4) return;
    if (typeof value === "string" && PATH_KEY.test(key)) out.push(value);
    else if (Array.isArray(value)) for (const v of value) visit(v, key, depth + 1);
    else if (typeof value === "object" && value !== null)
      for (const [k, v] of Object.entries(value)) visit(v, k, depth + 1);
  };
  visit(action.arguments ?? {}, "", 0);
  return out;
}

/** The built-in guard this operation trips, if any. */
export function selfGuard(
  op: PlacedOperation,
  action: Action,
  self: SelfProtection = {},
): SelfGuard | undefined {
  if (op.tags?.includes("airlock-control")) return GUARDS.control;
  if (op.tags?.includes("airlock-process")) return GUARDS.process;
  if (op.effect === "read") return undefined;
  const paths = op.targets.filter((t) => t.type === "path" || t.type === "file").map((t) => t.name);
  paths.push(...mcpPaths(action));
  for (const path of paths) {
    const kind = protectedPath(path, self.paths);
    if (kind) return GUARDS[kind];
  }
  if (op.targets.some((t) => CONTROL_ROUTE.test(t.name))) return GUARDS.control;
  if (op.name.startsWith("kill") && self.pids?.length) {
    const pids = new Set(self.pids.map(String));
    if (op.targets.some((t) => pids.has(t.name)) || op.summary.split(/\s+/).some((w) => pids.has(w)))
      return GUARDS.process;
  }
  return undefined;
}
