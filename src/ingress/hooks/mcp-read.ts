import { existsSync, readFileSync } from "node:fs";
import { isRecord } from "./event.js";
import { type McpLocation, mcpLocations, parseMcpFile, type Where } from "./mcp-config-files.js";
import type { CliName, Scope } from "./types.js";

/** One MCP configuration file of a CLI that exists: its servers, or why it could not be read. */
export interface McpFileRead {
  scope: Scope;
  place: McpLocation;
  servers: [string, unknown][];
  error?: string;
}

/** The servers in each of a CLI's MCP files, user scope then project scope, as the files say now. */
export function readMcpFiles(cli: CliName, where: Where): McpFileRead[] {
  const reads: McpFileRead[] = [];
  for (const scope of ["user", "project"] as const) {
    const places = mcpLocations(cli, scope, where);
    if (!Array.isArray(places)) continue;
    for (const place of places) {
      if (!existsSync(place.file)) continue;
      try {
        const doc = parseMcpFile(place, readFileSync(place.file, "utf8"));
        const servers = place.sections(doc).flatMap((path) => {
          const at = path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), doc);
          return isRecord(at) ? Object.entries(at) : [];
        });
        reads.push({ scope, place, servers });
      } catch (err) {
        reads.push({ scope, place, servers: [], error: (err as Error).message.split("\n")[0] ?? "" });
      }
    }
  }
  return reads;
}
