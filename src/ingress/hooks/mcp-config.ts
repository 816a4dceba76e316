import { isRecord } from "./event.js";
import type { Json } from "./types.js";

/**
 * Putting the MCP servers of an agent CLI's configuration behind `airlock mcp`, and taking them out
 * again. Pure: a parsed `mcpServers` object in, the edited object and what happened out. Each wrapped
 * entry carries its original, as JSON, in the environment variable MARKER: every CLI passes `env`
 * through untouched and accepts any name in it, where an unknown field beside `command` could make a
 * CLI reject the whole file. Uninstall puts that original back, so it comes back exactly as it was.
 */

export const MARKER = "AIRLOCK_MCP_ORIGINAL";

/** How airlock is started: this node and this airlock's bin/airlock.mjs, by absolute paths. */
export interface Launcher {
  node: string;
  airlock: string;
}

/** What a CLI's entries look like, where they differ. */
export interface EntryDialect {
  /** The `type` a stdio entry must have (Copilot CLI: "local"); without it, `type` is dropped. */
  stdioType?: string;
  /** Whether a `url` without `type` is SSE (Gemini CLI), which `airlock mcp` cannot front. */
  bareUrlIsSse?: boolean;
}

export interface ServerChange {
  name: string;
  /** wrapped/restored: changed; kept: left as it is, with why. */
  outcome: "wrapped" | "restored" | "kept";
  why?: string;
}

const HTTP_TYPES = ["http", "streamable-http", "streamableHttp"];
/** Fields of a remote entry that a stdio entry must not keep. */
const REMOTE_FIELDS = ["url", "httpUrl", "type", "headers"];
/** Ways a remote entry signs in that a command line cannot carry. */
const SIGN_IN_FIELDS = ["headers", "headersHelper", "oauth", "authProviderType"];

const strings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string");

/** `… airlock.mjs mcp …` or `airlock mcp …`: already behind airlock (by us or by hand). */
export function runsAirlockMcp(entry: Json): boolean {
  const words = [entry.command, ...(strings(entry.args) ? entry.args : [])].map((w) => String(w));
  return words.some((w, i) => /(^|[\\/])airlock(\.mjs)?$/.test(w) && words[i + 1] === "mcp");
}

/** The Streamable HTTP URL of a remote entry, or why it cannot be fronted. */
function remoteUrl(entry: Json, dialect: EntryDialect): { url: string } | { why: string } {
  const type = typeof entry.type === "string" ? entry.type : undefined;
  const url = typeof entry.httpUrl === "string" ? entry.httpUrl : entry.url;
  if (typeof url !== "string") return { why: "neither `command` nor `url`; not understood" };
  const sse = type === "sse" || (type === undefined && entry.httpUrl === undefined && dialect.bareUrlIsSse);
  if (sse || (type !== undefined && !HTTP_TYPES.includes(type)))
    return { why: `its transport (${type ?? "sse"}) is not Streamable HTTP, which airlock mcp fronts` };
  const signIn = SIGN_IN_FIELDS.find((f) => entry[f] !== undefined);
  if (signIn) return { why: `it signs in with \`${signIn}\`, which airlock mcp --upstream cannot pass on` };
  return { url };
}

/**
 * The entry with `command` and `args` replaced where they stand, and the marker added to `env`; a
 * remote entry also loses its transport fields and takes the CLI's stdio `type`, if it needs one.
 */
function wrapped(entry: Json, command: string[], remote?: EntryDialect): Json {
  const [node = "", ...args] = command;
  const out: Json = {};
  for (const [key, value] of Object.entries(entry))
    if (!remote || !REMOTE_FIELDS.includes(key)) out[key] = value;
  if (remote?.stdioType !== undefined) out.type = remote.stdioType;
  out.command = node;
  out.args = args;
  out.env = { ...(isRecord(entry.env) ? entry.env : {}), [MARKER]: JSON.stringify(entry) };
  return out;
}

export function wrapServer(
  name: string,
  entry: unknown,
  launcher: Launcher,
  dialect: EntryDialect,
): { entry: unknown; change: ServerChange } {
  const kept = (why: string) => ({ entry, change: { name, outcome: "kept" as const, why } });
  if (!isRecord(entry)) return kept("not an object; not understood");
  if (isRecord(entry.env) && MARKER in entry.env) return kept("already behind airlock");
  if (typeof entry.command === "string" && runsAirlockMcp(entry)) return kept("already runs airlock mcp");
  const airlock = [launcher.node, launcher.airlock, "mcp", "--name", name];
  const done = (next: Json) => ({ entry: next, change: { name, outcome: "wrapped" as const } });
  if (typeof entry.command === "string") {
    if (entry.args !== undefined && !strings(entry.args)) return kept("its `args` are not strings");
    return done(wrapped(entry, [...airlock, "--", entry.command, ...(entry.args ?? [])]));
  }
  const remote = remoteUrl(entry, dialect);
  if ("why" in remote) return kept(remote.why);
  return done(wrapped(entry, [...airlock, "--upstream", remote.url, "--stdio"], dialect));
}

/** The original an entry's marker holds, if it holds one. */
function original(entry: unknown): Json | undefined | "unreadable" {
  if (!isRecord(entry) || !isRecord(entry.env) || !(MARKER in entry.env)) return undefined;
  try {
    const parsed: unknown = JSON.parse(String(entry.env[MARKER]));
    return isRecord(parsed) ? parsed : "unreadable";
  } catch {
    return "unreadable";
  }
}

/** Wrap (install) or restore (uninstall) every server of one `mcpServers` object, in place of each. */
export function editServers(
  servers: Json,
  install: boolean,
  launcher: Launcher,
  dialect: EntryDialect,
): { servers: Json; changes: ServerChange[] } {
  const out: Json = {};
  const changes: ServerChange[] = [];
  for (const [name, entry] of Object.entries(servers)) {
    if (install) {
      const next = wrapServer(name, entry, launcher, dialect);
      out[name] = next.entry;
      changes.push(next.change);
      continue;
    }
    const was = original(entry);
    out[name] = was === undefined || was === "unreadable" ? entry : was;
    if (was === "unreadable")
      changes.push({ name, outcome: "kept", why: `its ${MARKER} is not the JSON airlock wrote` });
    else if (was !== undefined) changes.push({ name, outcome: "restored" });
  }
  return { servers: out, changes };
}
