import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isRecord } from "./event.js";
import { mcpLocations } from "./mcp-config-files.js";
import type { CliName } from "./types.js";

/**
 * MCP tool names that join the server and the tool with a separator that may also be inside either:
 * Gemini CLI's `mcp_<server>_<tool>`, Copilot CLI's `<server>-<tool>`. The CLI's own MCP settings
 * say which servers exist, so the longest configured server name that prefixes the tool name wins;
 * without one, the server is what comes before the first separator.
 */

/** The MCP server names configured for a CLI, user and project scope (unreadable files add none). */
export function configuredServers(cli: CliName, env: NodeJS.ProcessEnv, project: string): string[] {
  const where = { home: env.HOME || homedir(), project, env };
  const names: string[] = [];
  for (const scope of ["user", "project"] as const) {
    const locations = mcpLocations(cli, scope, where, { node: "", airlock: "" });
    if (!Array.isArray(locations)) continue;
    for (const location of locations) {
      if (!existsSync(location.file)) continue;
      try {
        const doc: unknown = JSON.parse(readFileSync(location.file, "utf8"));
        if (!isRecord(doc)) continue;
        for (const path of location.sections(doc)) {
          let at: unknown = doc;
          for (const key of path) at = isRecord(at) ? at[key] : undefined;
          if (isRecord(at)) names.push(...Object.keys(at));
        }
      } catch {
        // Not JSON: no names from it.
      }
    }
  }
  return names;
}

/** `<server><sep><tool>`, the server a configured one where one fits. */
export function splitQualified(
  name: string,
  separator: string,
  servers: string[],
): { server: string; tool: string } | undefined {
  const known = servers
    .filter((s) => name.startsWith(`${s}${separator}`) && name.length > s.length + separator.length)
    .sort((a, b) => b.length - a.length)[0];
  if (known) return { server: known, tool: name.slice(known.length + separator.length) };
  const at = name.indexOf(separator);
  return at > 0 && at < name.length - separator.length
    ? { server: name.slice(0, at), tool: name.slice(at + separator.length) }
    : undefined;
}
