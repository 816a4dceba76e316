import type { McpAction } from "../../action/schema.js";
import { environmentOfName } from "../environment.js";
import type { Analysis, Effect, Operation } from "../types.js";
import { agentToolOperation } from "./agent-tools.js";

/**
 * The MCP call itself, judged by its tool's name and declared annotations. Annotations come from
 * the server, which airlock does not trust: `destructiveHint` can only raise the risk, and
 * `readOnlyHint` lowers it only for servers the policy names as trusted.
 */

const VERBS: ReadonlyArray<readonly [Effect, RegExp]> = [
  [
    "delete",
    /^(delete|remove|drop|destroy|purge|terminate|truncate|erase|wipe|kill|uninstall|revoke|rm|del)$/,
  ],
  ["privilege", /^(grant|permit|authorize|invite|share|chmod|chown)$/],
  ["execute", /^(exec|execute|run|eval|invoke|call|shell|bash|spawn|deploy|apply|trigger)$/],
  [
    "write",
    /^(create|update|write|put|set|insert|add|edit|modify|patch|upload|send|post|move|rename|merge|push|commit|publish|restart|stop|start|scale|enable|disable|close|cancel|archive|replace|upsert|save|assign|label|comment|reply|fork|copy|transfer|reset)$/,
  ],
  [
    "read",
    /^(get|list|read|search|describe|fetch|show|find|query|lookup|view|inspect|count|status|check|explain|browse|download|resolve|diff|log|logs|watch|head|cat|ls|tail|grep|info|whoami|ping|health|suggest|validate)$/,
  ],
];

const ENV_KEYS =
  /^(database|db|dbname|cluster|context|kubecontext|namespace|stack|stackname|bucket|environment|env|profile|project|projectid|host|hostname|url|region_alias|account|workspace|branch)$/i;

function toolWords(tool: string): string[] {
  return tool
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** The effect a tool's name speaks for: the most serious verb it contains. */
export function effectOfToolName(tool: string): Effect | undefined {
  const words = toolWords(tool);
  for (const [effect, pattern] of VERBS) if (words.some((w) => pattern.test(w))) return effect;
  return undefined;
}

/**
 * The server's name may say production (`postgres-prod`), never development: an agent's MCP
 * configuration names its servers, and `desktop-commander` or `local-shell` runs on the host.
 */
function envHintsOf(call: McpAction): string[] {
  const named = environmentOfName(call.server);
  const hints = named === "production" || named === "staging" ? [call.server] : [];
  for (const [key, value] of Object.entries(call.arguments ?? {})) {
    if (typeof value === "string" && ENV_KEYS.test(key.toLowerCase().replace(/[^a-z]/g, "")))
      hints.push(value);
  }
  return hints;
}

/**
 * Analyse the call as a tool invocation. `carriesContent` says the gate found SQL, a command line
 * or a Kubernetes request inside it, which other analyzers judge; then the call adds an operation
 * of its own only when the server declares it destructive.
 */
export function analyzeMcpCall(
  call: McpAction,
  trustedServers: ReadonlySet<string>,
  carriesContent: boolean,
): Analysis {
  const name = `${call.server}/${call.tool}`;
  const target = { type: "mcp-tool", name };
  const hints = envHintsOf(call);
  const annotations = call.annotations ?? {};
  const trusted = trustedServers.has(call.server);
  const byName = effectOfToolName(call.tool);
  const notes = [`MCP server "${call.server}" (${trusted ? "trusted" : "not trusted"}), tool "${call.tool}"`];

  if (carriesContent && annotations.destructiveHint !== true)
    return { status: "complete", operations: [], envHints: hints, notes };
  // An agent CLI's own read or bookkeeping tool, as its hook names it (agent-tools.ts).
  const own = annotations.destructiveHint === true ? undefined : agentToolOperation(call);
  if (own) return { status: "complete", operations: [{ ...own, envHints: hints }], envHints: hints, notes };

  let effect: Effect | undefined = byName;
  let summary: string;
  if (annotations.destructiveHint === true) {
    effect = "delete";
    summary = `${name}: the server declares this tool destructive`;
  } else if (annotations.readOnlyHint === true && trusted) {
    effect = "read";
    summary = `${name}: read-only, as its trusted server declares`;
  } else if (effect !== undefined) {
    summary = `${name}: ${effect} (judged from the tool's name${annotations.readOnlyHint ? "; its readOnlyHint is not trusted for this server" : ""})`;
  } else {
    summary = `${name}: unknown tool; what it does cannot be seen from its name or arguments`;
  }
  const op: Operation = {
    kind: "mcp",
    name,
    effect: effect ?? "execute",
    summary,
    reversibility: effect === "read" ? "reversible" : effect === "delete" ? "irreversible" : "recoverable",
    blastRadius: effect === "read" ? "none" : effect === "delete" ? "service" : "resource",
    targets: [target],
    ...(effect === undefined ? { opaque: true } : {}),
    envHints: hints,
  };
  return { status: effect === undefined ? "opaque" : "complete", operations: [op], envHints: hints, notes };
}
