import { isDeepStrictEqual } from "node:util";
import { parse, TomlDate } from "smol-toml";
import { isRecord } from "./event.js";
import { editServers, type Launcher, type ServerChange, wrapServer } from "./mcp-config.js";
import { tomlTables } from "./toml-tables.js";
import { tomlTable } from "./toml-write.js";
import type { Json } from "./types.js";

/**
 * `install|uninstall codex --mcp`: Codex's stdio MCP servers, `[mcp_servers.NAME]` tables in its
 * config.toml, put behind `airlock mcp` the way the JSON CLIs' servers are (the same command line,
 * the original kept as JSON in `env.AIRLOCK_MCP_ORIGINAL`), or restored. Pure: the file's text in,
 * the new text out. Only the text of each changed server's own tables is replaced (its header to its
 * last key, its sub-tables such as `[mcp_servers.NAME.env]` with it; whole-line comments in them are
 * kept, under the header); every other byte stays. A
 * wrapped server is marked `required = true`: Codex then refuses to start a session whose proxy
 * did not start, where it would otherwise run on without the server's tools said missing.
 */

export const CODEX_SERVERS = "mcp_servers";

export interface TomlServersEdit {
  text: string;
  changes: ServerChange[];
}

/** Values compared as the parser reads them: dates by their text, objects whatever their prototype. */
function canonical(value: unknown): unknown {
  if (value instanceof TomlDate) return `date:${value.toISOString()}`;
  if (Array.isArray(value)) return value.map(canonical);
  if (isRecord(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    );
  return value;
}

/** Why a Codex server is left as it is although not behind airlock: it is remote. */
export function codexRemote(entry: unknown): string | undefined {
  return isRecord(entry) && typeof entry.command !== "string" && entry.url !== undefined
    ? "a remote (url) server: airlock puts Codex's stdio servers behind airlock mcp, not the ones Codex signs in to"
    : undefined;
}

/** The new entry of each server that changes, and what happened to every server. */
function plan(servers: Json, install: boolean, launcher: Launcher): { next: Json; changes: ServerChange[] } {
  if (!install) {
    const edit = editServers(servers, false, launcher, {});
    const restored = edit.changes.filter((c) => c.outcome === "restored").map((c) => c.name);
    return { next: Object.fromEntries(restored.map((n) => [n, edit.servers[n]])), changes: edit.changes };
  }
  const next: Json = {};
  const changes: ServerChange[] = [];
  for (const [name, entry] of Object.entries(servers)) {
    const remote = codexRemote(entry);
    if (remote) {
      changes.push({ name, outcome: "kept", why: remote });
      continue;
    }
    const done = wrapServer(name, entry, launcher, {});
    changes.push(done.change);
    if (done.change.outcome === "wrapped" && isRecord(done.entry))
      next[name] = { ...done.entry, required: true };
  }
  return { next, changes };
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

/** The text without the blank lines it ends with. */
function withoutBlankTail(text: string): string {
  const lines = text.split(/(?<=\n)/);
  while (lines.length > 0 && (lines.at(-1) ?? "").trim() === "") lines.pop();
  return lines.join("");
}

/** `text` with each splice's range replaced; a range removed takes the blank lines before it along. */
function applySplices(text: string, splices: Splice[]): string {
  const sorted = [...splices].sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const s of sorted) {
    const gap = text.slice(at, s.start);
    out += (s.text === "" ? withoutBlankTail(gap) : gap) + s.text;
    at = s.end;
  }
  return out + text.slice(at);
}

/** Rewrite Codex's config.toml text; throws, nothing changed, when it cannot be read or rewritten. */
export function editCodexServers(text: string, install: boolean, launcher: Launcher): TomlServersEdit {
  const doc = parse(text) as Json;
  const servers = doc[CODEX_SERVERS];
  if (servers === undefined) return { text, changes: [] };
  if (!isRecord(servers)) throw new Error(`${CODEX_SERVERS} is not a table of servers`);
  const { next, changes } = plan(servers, install, launcher);
  const tables = tomlTables(text);
  const crlf = text.includes("\r\n");
  const splices: Splice[] = [];
  for (const change of changes) {
    const entry = next[change.name];
    if (!isRecord(entry)) continue;
    const own = tables.filter((t) => t.key[0] === CODEX_SERVERS && t.key[1] === change.name);
    if (!own.some((t) => t.key.length === 2 && !t.array)) {
      delete next[change.name];
      Object.assign(change, {
        outcome: "kept",
        why: `not written as its own [${CODEX_SERVERS}.${change.name}] table (an inline table or dotted keys), the only form airlock rewrites: move it into one, or put it behind airlock mcp by hand`,
      });
      continue;
    }
    const [first, ...rest] = own;
    if (!first) continue;
    // Whole-line comments in the server's tables stay, under its header (where the value they stood by
    // is rewritten, they stand above the new table's keys).
    const comments = own.flatMap((t) =>
      text
        .slice(t.start, t.end)
        .split("\n")
        .filter((line) => line.trimStart().startsWith("#"))
        .map((line) => `${line.replace(/\r$/, "")}\n`),
    );
    const [header = "", ...body] = tomlTable([CODEX_SERVERS, change.name], entry).split(/(?<=\n)/);
    let table = [header, ...comments, ...body].join("");
    if (first.end === text.length && !text.endsWith("\n")) table = table.slice(0, -1);
    splices.push({ start: first.start, end: first.end, text: crlf ? table.replaceAll("\n", "\r\n") : table });
    splices.push(...rest.map((t) => ({ start: t.start, end: t.end, text: "" })));
  }
  if (splices.length === 0) return { text, changes };
  const out = applySplices(text, splices);
  // The scanner and writer are checked on every file: the new text must read back as exactly the old
  // document with the changed servers replaced, or nothing is written.
  let reread: unknown;
  try {
    reread = parse(out);
  } catch (err) {
    throw new Error(`the rewritten file would not be valid TOML (${(err as Error).message.split("\n")[0]})`);
  }
  const meant = { ...doc, [CODEX_SERVERS]: { ...servers, ...next } };
  if (!isDeepStrictEqual(canonical(reread), canonical(meant)))
    throw new Error("the rewritten file would not read back as the servers airlock meant to write");
  return { text: out, changes };
}
