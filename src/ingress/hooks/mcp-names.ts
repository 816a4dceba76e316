import { homedir } from "node:os";
import { readMcpFiles } from "./mcp-read.js";
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
  return readMcpFiles(cli, where).flatMap((read) => read.servers.map(([name]) => name));
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
