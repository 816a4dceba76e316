import type { Action, McpAction } from "../../action/schema.js";
import { quoteWord } from "../shell/quote.js";
import { looksLikeSql } from "./sql-start.js";

/**
 * What an MCP tool call carries that another analyzer can read: SQL for a database server,
 * a command line for a shell runner, an AWS CLI line for the AWS API server's `call_aws`,
 * a Kubernetes request for a Kubernetes server. Found by argument name and content, not by trusting
 * the tool's name alone: a server can call its tool anything.
 */

const SQL_KEYS = new Set(["sql", "query", "statement", "statements", "sql_query", "querystring"]);
const SHELL_KEYS = new Set([
  "command",
  "cmd",
  "script",
  "shell_command",
  "commandline",
  "command_line",
  "cli_command",
]);
function engineFor(server: string): "mysql" | "postgres" | "sqlite" {
  const s = server.toLowerCase();
  if (s.includes("mysql") || s.includes("maria") || s.includes("planetscale") || s.includes("tidb"))
    return "mysql";
  if (s.includes("sqlite") || s.includes("d1")) return "sqlite";
  return "postgres";
}

const K8S_VERB_WORDS: Record<string, "get" | "list" | "delete" | "create" | "patch" | "update"> = {
  get: "get",
  describe: "get",
  list: "list",
  delete: "delete",
  remove: "delete",
  create: "create",
  apply: "patch",
  patch: "patch",
  update: "update",
  scale: "patch",
};

function k8sAction(call: McpAction, args: Record<string, unknown>): Action | undefined {
  const server = call.server.toLowerCase();
  if (!/k8s|kube|kubernetes/.test(server) && !/^kubectl_|^resources_|^pods_|^namespaces_/.test(call.tool))
    return undefined;
  const words = call.tool.toLowerCase().split(/[^a-z]+/);
  const verb = words.map((w) => K8S_VERB_WORDS[w]).find((v) => v !== undefined);
  const kindArg =
    args.resourceType ?? args.resource ?? args.kind ?? (words.includes("pods") ? "pods" : undefined);
  const resource =
    typeof kindArg === "string" ? kindArg : words.includes("namespaces") ? "namespaces" : undefined;
  if (!verb || !resource) return undefined;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const replicas = typeof args.replicas === "number" ? args.replicas : undefined;
  return {
    kind: "k8s",
    verb,
    resource: resource.toLowerCase(),
    name: str(args.name),
    namespace: str(args.namespace),
    kubeContext: str(args.context),
    body: replicas !== undefined ? { spec: { replicas } } : undefined,
    context: call.context,
  };
}

/** Child Actions found inside an MCP call's arguments. */
export function embeddedActions(call: McpAction): Action[] {
  const args = call.arguments ?? {};
  const found: Action[] = [];
  for (const [key, value] of Object.entries(args)) {
    const k = key.toLowerCase();
    // pods_exec-style tools pass the command as an argv array.
    if (
      SHELL_KEYS.has(k) &&
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((v) => typeof v === "string")
    ) {
      found.push({
        kind: "shell",
        command: (value as string[]).map(quoteWord).join(" "),
        context: call.context,
      });
      continue;
    }
    const texts =
      typeof value === "string"
        ? [value]
        : Array.isArray(value)
          ? value.filter((v) => typeof v === "string")
          : [];
    for (const text of texts) {
      if (SQL_KEYS.has(k) && looksLikeSql(text)) {
        found.push({ kind: "sql", sql: text, engine: engineFor(call.server), context: call.context });
      } else if (SHELL_KEYS.has(k) && text.trim().length > 0) {
        found.push({ kind: "shell", command: text, context: call.context });
      }
    }
  }
  const k8s = k8sAction(call, args);
  if (k8s) found.push(k8s);
  return found;
}
