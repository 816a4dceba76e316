import { isRecord } from "../ingress/hooks/event.js";
import { MARKER, runsAirlockMcp } from "../ingress/hooks/mcp-config.js";
import type { Where } from "../ingress/hooks/mcp-config-files.js";
import { readMcpFiles } from "../ingress/hooks/mcp-read.js";
import type { CliName } from "../ingress/hooks/types.js";

/**
 * `airlock doctor`'s word on a CLI's MCP servers, read from the files `install --mcp` edits: each
 * server behind `airlock mcp` or not. Information beside the hook's verdict, which it does not
 * change: a server outside the proxy is still seen by a hook that gets the CLI's MCP calls.
 */

function state(cli: CliName, entry: unknown): string {
  if (!isRecord(entry)) return "not understood";
  const behind = (isRecord(entry.env) && MARKER in entry.env) || runsAirlockMcp(entry);
  if (!behind) return `NOT behind airlock mcp (\`airlock install ${cli} --mcp\` puts it there)`;
  // Without `required`, Codex starts a session without a server that failed to start, proxy or not.
  if (cli === "codex" && entry.required !== true)
    return "behind airlock mcp, but not `required = true`: Codex runs on without it if the proxy cannot start";
  return "behind airlock mcp";
}

export function mcpServerLines(cli: CliName, where: Where): string[] {
  return readMcpFiles(cli, where).flatMap(({ scope, place, servers, error }) => {
    if (error !== undefined) return [`  MCP ${scope}: ${place.file}: unreadable (${error})`];
    if (servers.length === 0) return [];
    const each = servers.map(([name, entry]) => `${name}: ${state(cli, entry)}`);
    return [`  MCP ${scope}: ${place.file}: ${each.join("; ")}`];
  });
}
