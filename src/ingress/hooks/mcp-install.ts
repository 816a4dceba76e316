import {
  copyFileSync,
  existsSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { fileURLToPath } from "node:url";
import { isRecord } from "./event.js";
import { CODEX_SERVERS, editCodexServers } from "./mcp-codex.js";
import { editServers, type Launcher, type ServerChange } from "./mcp-config.js";
import { type McpLocation, mcpLocations, parseMcpFile, type Where } from "./mcp-config-files.js";
import type { CliName, Json, Scope } from "./types.js";

/**
 * `airlock install|uninstall <cli> --mcp`: put every MCP server of the CLI's configuration behind
 * `airlock mcp`, or take it out again. A file is rewritten only when something in it changes, after
 * a backup beside it, in the layout it had (indent, final newline), keeping its permissions (Claude
 * Code's ~/.claude.json holds tokens); Codex's TOML keeps every byte but the changed servers' tables.
 * A file that cannot be read (JSON with comments, broken TOML) is left alone and reported.
 */

export interface McpInstallResult {
  out: string;
  err: string;
  status: number;
}

/** This node and this airlock (bin/airlock.mjs beside the bundle), by absolute paths. */
export function thisLauncher(): Launcher {
  const bin = fileURLToPath(new URL("../bin/airlock.mjs", import.meta.url));
  const script = existsSync(bin) ? bin : process.argv[1] ? realpathSync(process.argv[1]) : "airlock";
  return { node: process.execPath, airlock: script };
}

/** The text `doc` would have in the layout of `before`: same indent, line ends and final newline. */
export function sameLayout(doc: Json, before: string): string {
  const indent = /^\{\r?\n([ \t]+)"/.exec(before)?.[1];
  const crlf = before.includes("\r\n");
  const end = /\r?\n$/.test(before) ? "\n" : "";
  const body = `${JSON.stringify(doc, null, indent)}${end}`;
  return crlf ? body.replaceAll("\n", "\r\n") : body;
}

function at(doc: Json, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), doc);
}

/** A copy of `doc` with the object at `path` replaced; every other field kept where it was. */
function withAt(doc: Json, path: string[], value: Json): Json {
  const [key = "", ...rest] = path;
  const child = doc[key];
  return { ...doc, [key]: rest.length === 0 ? value : withAt(isRecord(child) ? child : {}, rest, value) };
}

function describe(changes: ServerChange[], path: string[]): string[] {
  const where = path.length > 1 ? ` (${path.slice(0, -1).join(".")})` : "";
  return changes.map((c) => `${c.name}${where}${c.why ? `: ${c.why}` : ""}`);
}

/** The new text of one JSON file, and what changed in it and what was left as it is. */
function editJson(place: McpLocation, before: string, install: boolean, launcher: Launcher) {
  const parsed = parseMcpFile(place, before);
  let doc = parsed;
  const changes: { change: ServerChange; path: string[] }[] = [];
  for (const path of place.sections(parsed)) {
    const servers = at(parsed, path);
    if (servers === undefined) continue;
    if (!isRecord(servers)) throw new Error(`${path.join(".")} is not an object of servers`);
    const edit = editServers(servers, install, launcher, place.dialect);
    changes.push(...edit.changes.map((change) => ({ change, path })));
    doc = withAt(doc, path, edit.servers);
  }
  return { after: sameLayout(doc, before), changes };
}

/** Codex's TOML: only the changed servers' tables are rewritten (mcp-codex.ts). */
function editToml(before: string, install: boolean, launcher: Launcher) {
  const edit = editCodexServers(before, install, launcher);
  return { after: edit.text, changes: edit.changes.map((change) => ({ change, path: [CODEX_SERVERS] })) };
}

/** Edit one file; returns the line to print. Throws (the file untouched) when it cannot be read. */
function editFile(place: McpLocation, install: boolean, launcher: Launcher): string {
  const { title, file } = place;
  if (!existsSync(file)) return `${title}: no MCP configuration at ${file}`;
  const before = readFileSync(file, "utf8");
  const { after, changes } = place.toml
    ? editToml(before, install, launcher)
    : editJson(place, before, install, launcher);
  const listed = (kept: boolean) =>
    changes
      .filter((c) => (c.change.outcome === "kept") === kept)
      .flatMap((c) => describe([c.change], c.path));
  const changed = listed(false);
  const kept = listed(true);
  const left = kept.length > 0 ? `; left as they are: ${kept.join("; ")}` : "";
  if (changed.length === 0) return `${title}: nothing to ${install ? "wrap" : "restore"} in ${file}${left}`;
  const backup = `${file}.airlock-backup-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  copyFileSync(file, backup);
  const tmp = `${file}.airlock-${process.pid}.tmp`;
  writeFileSync(tmp, after, { mode: statSync(file).mode & 0o777 });
  renameSync(tmp, file);
  const verb = install ? "put behind airlock mcp" : "restored";
  return `${title}: ${verb} in ${file}: ${changed.join(", ")}${left} (previous version kept as ${backup})`;
}

export function runMcpInstall(
  verb: "install" | "uninstall",
  clis: readonly CliName[],
  scope: Scope,
  where: Where,
  launcher: Launcher = thisLauncher(),
): McpInstallResult {
  const result: McpInstallResult = { out: "", err: "", status: 0 };
  for (const cli of clis) {
    const places = mcpLocations(cli, scope, where);
    if (!Array.isArray(places)) {
      result.out += `${cli}: MCP servers skipped: ${places.skip}\n`;
      continue;
    }
    for (const place of places) {
      try {
        result.out += `${editFile(place, verb === "install", launcher)}\n`;
      } catch (err) {
        result.status = 1;
        const must = place.toml ? "It must be TOML that Codex reads" : "It must be plain JSON (no comments)";
        result.err += `airlock ${verb} --mcp: ${place.title}: ${place.file} was left as it is: ${(err as Error).message.split("\n")[0]}. ${must}; fix it, or put its servers behind \`airlock mcp\` by hand, and run this again.\n`;
      }
    }
  }
  return result;
}
