import { isRecord } from "../ingress/hooks/event.js";
import { codexRemote } from "../ingress/hooks/mcp-codex.js";
import { type EntryDialect, MARKER, runsAirlockMcp, wrapServer } from "../ingress/hooks/mcp-config.js";
import type { Where } from "../ingress/hooks/mcp-config-files.js";
import { readMcpFiles } from "../ingress/hooks/mcp-read.js";
import type { CliName } from "../ingress/hooks/types.js";

/**
 * `airlock doctor`'s word on a CLI's MCP servers, read from the files `install --mcp` edits: each
 * server behind `airlock mcp` or not. Information beside the hook's verdict, which it does not
 * change: a server outside the proxy is still seen by a hook that gets the CLI's MCP calls.
 */

/** Why `install --mcp` would leave a server that is not behind airlock, if it would. */
function leftBecause(cli: CliName, name: string, entry: unknown, dialect: EntryDialect): string | undefined {
  const remote = cli === "codex" ? codexRemote(entry) : undefined;
  if (remote) return remote;
  const trial = wrapServer(name, entry, { node: "node", airlock: "airlock" }, dialect);
  return trial.change.outcome === "kept" ? trial.change.why : undefined;
}

function state(cli: CliName, name: string, entry: unknown, dialect: EntryDialect): string {
  if (!isRecord(entry)) return "not understood";
  const behind = (isRecord(entry.env) && MARKER in entry.env) || runsAirlockMcp(entry);
  if (!behind) {
    const why = leftBecause(cli, name, entry, dialect);
    return why
      ? `NOT behind airlock mcp, and \`install --mcp\` leaves it (${why})`
      : `NOT behind airlock mcp (\`airlock install ${cli} --mcp\` puts it there)`;
  }
  // Without `required`, Codex starts a session without a server that failed to start, proxy or not.
  if (cli === "codex" && entry.required !== true)
    return "behind airlock mcp, but not `required = true`: Codex runs on without it if the proxy cannot start";
  return "behind airlock mcp";
}

export function mcpServerLines(cli: CliName, where: Where): string[] {
  return readMcpFiles(cli, where).flatMap(({ scope, place, servers, error }) => {
    if (error !== undefined) return [`  MCP ${scope}: ${place.file}: unreadable (${error})`];
    if (servers.length === 0) return [];
    const each = servers.map(([name, entry]) => `${name}: ${state(cli, name, entry, place.dialect)}`);
    return [`  MCP ${scope}: ${place.file}: ${each.join("; ")}`];
  });
}
