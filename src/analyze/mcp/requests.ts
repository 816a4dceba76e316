import type { Action, McpAction } from "../../action/schema.js";
import { quoteWord } from "../shell/quote.js";
import { effectOfToolName } from "./index.js";

/**
 * What a generic MCP tool does to the world, read from its arguments rather than its name: a fetch
 * tool's HTTP method (`fetch` with `method: DELETE` is a deletion, not a read), and the files a
 * filesystem tool writes or deletes, judged as the shell command with the same effect.
 */

const HTTP_METHODS = new Set(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]);

/** `{ url, method }` anywhere in the arguments: the request the tool will send. */
export function httpRequest(object: Record<string, unknown>): Action | undefined {
  const { url, method } = object;
  if (typeof url !== "string" || typeof method !== "string" || !/^https?:\/\//i.test(url)) return undefined;
  const verb = method.toUpperCase();
  if (!HTTP_METHODS.has(verb)) return undefined;
  return { kind: "http", method: verb, url };
}

const PATH_KEYS = new Set([
  "path",
  "filepath",
  "file",
  "filename",
  "destination",
  "dest",
  "target",
  "source",
  "paths",
]);

/** A path as a shell word: `~/` stays unquoted, so that it means the home directory there too. */
function pathWord(path: string): string {
  return path.startsWith("~/") ? `~/${quoteWord(path.slice(2))}` : quoteWord(path);
}

/**
 * The files a tool named for writing or deleting touches, as `tee -- PATH` or `rm -- PATH`: the
 * shell analyzer knows which paths matter (`/etc/passwd`, `~/.ssh/authorized_keys`). Only absolute
 * and home paths: a relative one is the server's to resolve, inside the directories it serves.
 */
export function fileChanges(call: McpAction): Action[] {
  const effect = effectOfToolName(call.tool);
  if (effect !== "write" && effect !== "delete") return [];
  const verb = effect === "delete" ? "rm" : "tee";
  const paths: string[] = [];
  for (const [key, value] of Object.entries(call.arguments ?? {})) {
    if (!PATH_KEYS.has(key.toLowerCase().replace(/[^a-z]/g, ""))) continue;
    for (const path of Array.isArray(value) ? value : [value])
      if (typeof path === "string" && (path.startsWith("/") || path.startsWith("~/"))) paths.push(path);
  }
  return paths.map((path) => ({
    kind: "shell",
    command: `${verb} -- ${pathWord(path)}`,
    context: call.context,
  }));
}
