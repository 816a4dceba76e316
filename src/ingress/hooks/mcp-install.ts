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
import { editServers, type Launcher, type ServerChange } from "./mcp-config.js";
import { type McpLocation, mcpLocations, type Where } from "./mcp-config-files.js";
import type { CliName, Json, Scope } from "./types.js";

/**
 * `airlock install|uninstall <cli> --mcp`: put every MCP server of the CLI's configuration behind
 * `airlock mcp`, or take it out again. A file is rewritten only when something in it changes, after
 * a backup beside it, in the layout it had (indent, final newline), keeping its permissions (Claude
 * Code's ~/.claude.json holds tokens). A file that is not plain JSON is left alone and reported.
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

/** Edit one file; returns the line to print. Throws (the file untouched) when it cannot be read. */
function editFile(place: McpLocation, install: boolean, launcher: Launcher): string {
  const { title, file } = place;
  if (!existsSync(file)) return `${title}: no MCP configuration at ${file}`;
  const before = readFileSync(file, "utf8");
  const parsed: unknown = JSON.parse(before);
  if (!isRecord(parsed)) throw new Error("the file does not hold a JSON object");
  let doc = parsed;
  const changed: string[] = [];
  const kept: string[] = [];
  for (const path of place.sections(parsed)) {
    const servers = at(parsed, path);
    if (servers === undefined) continue;
    if (!isRecord(servers)) throw new Error(`${path.join(".")} is not an object of servers`);
    const edit = editServers(servers, install, launcher, place.dialect);
    changed.push(
      ...describe(
        edit.changes.filter((c) => c.outcome !== "kept"),
        path,
      ),
    );
    kept.push(
      ...describe(
        edit.changes.filter((c) => c.outcome === "kept"),
        path,
      ),
    );
    doc = withAt(doc, path, edit.servers);
  }
  const left = kept.length > 0 ? `; left as they are: ${kept.join("; ")}` : "";
  if (changed.length === 0) return `${title}: nothing to ${install ? "wrap" : "restore"} in ${file}${left}`;
  const backup = `${file}.airlock-backup-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  copyFileSync(file, backup);
  const tmp = `${file}.airlock-${process.pid}.tmp`;
  writeFileSync(tmp, sameLayout(doc, before), { mode: statSync(file).mode & 0o777 });
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
    const places = mcpLocations(cli, scope, where, launcher);
    if (!Array.isArray(places)) {
      result.out += `${cli}: MCP servers skipped: ${places.skip}\n`;
      continue;
    }
    for (const place of places) {
      try {
        result.out += `${editFile(place, verb === "install", launcher)}\n`;
      } catch (err) {
        result.status = 1;
        result.err += `airlock ${verb} --mcp: ${place.title}: ${place.file} was left as it is: ${(err as Error).message}. It must be plain JSON (no comments); fix it, or put its servers behind \`airlock mcp\` by hand, and run this again.\n`;
      }
    }
  }
  return result;
}
