import { join } from "node:path";
import { parse } from "smol-toml";
import { isRecord } from "./event.js";
import type { EntryDialect } from "./mcp-config.js";
import type { CliName, Json, Scope } from "./types.js";

/**
 * Where each agent CLI keeps its MCP servers, as its documentation describes it. Every file but
 * Codex's is JSON with the servers under `mcpServers` (Claude Code's ~/.claude.json also holds the
 * "local" scope: `projects[<dir>].mcpServers` for each project); Codex's is TOML (`mcp_servers`).
 */

export interface McpLocation {
  title: string;
  file: string;
  /** The paths of the `mcpServers` objects in the parsed file. */
  sections(doc: Json): string[][];
  dialect: EntryDialect;
  /** Codex's config.toml: TOML, its servers under `mcp_servers`; every other file is JSON. */
  toml?: true;
}

export interface Where {
  home: string;
  project: string;
  env: NodeJS.ProcessEnv;
}

const TOP = (): string[][] => [["mcpServers"]];
const text = (value: string | undefined) => (value ? value : undefined);

/** ~/.claude.json: the user scope, and the local scope of every project in it. */
function claudeSections(doc: Json): string[][] {
  const projects = isRecord(doc.projects) ? doc.projects : {};
  const local = Object.entries(projects)
    .filter(([, p]) => isRecord(p) && p.mcpServers !== undefined)
    .map(([dir]) => ["projects", dir, "mcpServers"]);
  return [["mcpServers"], ...local];
}

/** The MCP configuration files of one CLI and scope, or why airlock does not edit any. */
export function mcpLocations(cli: CliName, scope: Scope, where: Where): McpLocation[] | { skip: string } {
  const root = scope === "user" ? where.home : where.project;
  switch (cli) {
    case "claude-code":
      return scope === "user"
        ? [
            {
              title: "Claude Code",
              file: join(text(where.env.CLAUDE_CONFIG_DIR) ?? where.home, ".claude.json"),
              sections: claudeSections,
              dialect: {},
            },
          ]
        : [{ title: "Claude Code", file: join(where.project, ".mcp.json"), sections: TOP, dialect: {} }];
    case "cursor":
      return [{ title: "Cursor", file: join(root, ".cursor", "mcp.json"), sections: TOP, dialect: {} }];
    case "gemini":
      return [
        {
          title: "Gemini CLI",
          file: join(root, ".gemini", "settings.json"),
          sections: TOP,
          dialect: { bareUrlIsSse: true },
        },
      ];
    case "kiro":
      return [
        { title: "Kiro", file: join(root, ".kiro", "settings", "mcp.json"), sections: TOP, dialect: {} },
      ];
    case "copilot":
      if (scope === "project")
        return { skip: "GitHub Copilot CLI keeps its MCP servers per user; run this without --project" };
      return [
        {
          title: "GitHub Copilot CLI",
          file: join(text(where.env.COPILOT_HOME) ?? join(where.home, ".copilot"), "mcp-config.json"),
          sections: TOP,
          dialect: { stdioType: "local" },
        },
      ];
    case "codex": {
      const home = text(where.env.CODEX_HOME) ?? join(where.home, ".codex");
      const dir = scope === "user" ? home : join(where.project, ".codex");
      const servers = (): string[][] => [["mcp_servers"]];
      return [
        { title: "OpenAI Codex", file: join(dir, "config.toml"), sections: servers, dialect: {}, toml: true },
      ];
    }
  }
}

/** The parsed document of a location's file text (TOML for Codex, JSON for the rest); throws if unreadable. */
export function parseMcpFile(place: McpLocation, text: string): Json {
  const doc: unknown = place.toml ? parse(text) : JSON.parse(text);
  if (!isRecord(doc)) throw new Error("the file does not hold a JSON object");
  return doc;
}
