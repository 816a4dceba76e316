import type { Action, McpAction } from "../../action/schema.js";
import { quoteWord } from "../shell/quote.js";
import { fileChanges, httpRequest } from "./requests.js";
import { looksLikeSql } from "./sql-start.js";

/**
 * What an MCP tool call carries that another analyzer can read: SQL for a database server,
 * a command line for a shell runner, an AWS CLI line for the AWS API server's `call_aws`,
 * a Kubernetes request for a Kubernetes server. Found by argument name and content, not by trusting
 * the tool's name alone: a server can call its tool anything.
 */

/** Argument names (lower case, letters only) that hold SQL when their text starts like SQL. */
const SQL_KEYS = new Set([
  "sql",
  "query",
  "q",
  "statement",
  "statements",
  "sqlquery",
  "querystring",
  "input",
  "sqltext",
  "sqlstatement",
  "sqlstatements",
]);
const SHELL_KEYS = new Set(["command", "cmd", "script", "shellcommand", "commandline", "clicommand"]);
/** Where a command runner takes the rest of the command line: `{"command":"rm","args":["-rf","/"]}`. */
const ARGV_KEYS = ["args", "arguments", "argv", "params", "parameters"];

function keyWord(key: string): string {
  return key.toLowerCase().replace(/[^a-z]/g, "");
}

function isSqlKey(key: string): boolean {
  const k = keyWord(key);
  return SQL_KEYS.has(k) || k.includes("sql");
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string");
}
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

/** Nesting and size bounds on the walk: arguments are the agent's, and the walk must stay cheap. */
const MAX_DEPTH = 8;
const MAX_VALUES = 2000;

interface Walk {
  call: McpAction;
  found: Action[];
  values: number;
}

/** One string under `key`: SQL or a command line, by its key and content. */
function visitText(w: Walk, key: string, text: string, argv: string[] | undefined): void {
  const { call } = w;
  if (isSqlKey(key) && looksLikeSql(text)) {
    w.found.push({ kind: "sql", sql: text, engine: engineFor(call.server), context: call.context });
  } else if (SHELL_KEYS.has(keyWord(key)) && text.trim().length > 0) {
    const command = argv ? [text, ...argv.map(quoteWord)].join(" ") : text;
    w.found.push({ kind: "shell", command, context: call.context });
  }
}

/** Every key of an object, and of the objects and arrays inside it, down to MAX_DEPTH. */
function visitObject(w: Walk, object: Record<string, unknown>, depth: number): void {
  const http = httpRequest(object);
  if (http) w.found.push({ ...http, context: w.call.context });
  const argvKey = ARGV_KEYS.find((k) => isStrings(object[k]));
  const argv = argvKey === undefined ? undefined : (object[argvKey] as string[]);
  for (const [key, value] of Object.entries(object)) {
    if (++w.values > MAX_VALUES) return;
    // pods_exec-style tools pass the command as an argv array.
    if (SHELL_KEYS.has(keyWord(key)) && isStrings(value)) {
      w.found.push({ kind: "shell", command: value.map(quoteWord).join(" "), context: w.call.context });
    } else if (typeof value === "string") {
      visitText(w, key, value, argv);
    } else if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === "string") visitText(w, key, item, undefined);
        else if (item !== null && typeof item === "object" && depth < MAX_DEPTH)
          visitObject(w, item as Record<string, unknown>, depth + 1);
      }
    } else if (value !== null && typeof value === "object" && depth < MAX_DEPTH) {
      visitObject(w, value as Record<string, unknown>, depth + 1);
    }
  }
}

/** Child Actions found inside an MCP call's arguments, at any depth. */
export function embeddedActions(call: McpAction): Action[] {
  const args = call.arguments ?? {};
  const w: Walk = { call, found: [], values: 0 };
  visitObject(w, args, 0);
  w.found.push(...fileChanges(call));
  const k8s = k8sAction(call, args);
  if (k8s) w.found.push(k8s);
  return w.found;
}
