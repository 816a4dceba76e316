import { withoutTrailing } from "../action/text.js";
/**
 * Files an agent must never change, because changing them switches airlock off: the hook and
 * settings files of the agent CLIs (and their MCP server lists, which `airlock install --mcp` puts
 * behind airlock), and airlock's own data directory, configuration, policy, keys and binaries.
 *
 * Paths are compared case-insensitively on every platform. macOS and Windows file systems are
 * case-insensitive by default (`.Claude/settings.json` is `.claude/settings.json` there), and a
 * Linux file that merely looks like one of these is a rare and harmless thing to have to ask about.
 */

export type ProtectedKind = "settings" | "airlock";

/** The hook, settings and MCP files of the agent CLIs, and the directories that hold them. */
const SETTINGS: readonly RegExp[] = [
  /(^|\/)\.claude\/settings(\.local)?\.json$/,
  /(^|\/)\.claude\.json$/,
  /(^|\/)\.mcp\.json$/,
  /(^|\/)managed-(settings|mcp)\.json$/,
  /(^|\/)\.cursor\/(hooks|mcp)\.json$/,
  /(^|\/)\.gemini\/settings\.json$/,
  /(^|\/)\.codex\/(hooks\.json|config\.toml)$/,
  /(^|\/)\.copilot\/(hooks(\/|$)|mcp-config\.json$|config\.json$)/,
  /(^|\/)\.github\/hooks(\/|$)/,
  // Kiro's agents (where its hooks are), IDE hooks and MCP settings; its specs and steering are documents.
  /(^|\/)\.kiro$/,
  /(^|\/)\.kiro\/(?!specs(\/|$)|steering(\/|$))[^/]/,
  // Deleting or moving the directory deletes the settings in it.
  /(^|\/)\.(claude|cursor|gemini|codex|copilot)$/,
];

/** airlock's data (audit log, keys, tokens), configuration, caches and installed programs. */
const AIRLOCK: readonly RegExp[] = [
  /(^|\/)\.airlock(\/|$)/,
  /(^|\/)airlock\.ya?ml$/,
  /(^|\/)(\.cache|caches|run\/user\/\d+)\/airlock(\/|$)/,
  /(^|\/)(s?bin|\.bin)\/airlock(-hook)?(\.(mjs|sh|js))?$/,
  /(^|\/)node_modules\/airlock(\/|$)/,
];

/** One pattern per kind: every path of every operation that writes is tested against them. */
const SETTINGS_ANY = new RegExp(SETTINGS.map((r) => r.source).join("|"));
const AIRLOCK_ANY = new RegExp(AIRLOCK.map((r) => r.source).join("|"));

function normalise(path: string): string {
  const slashes = path.replace(/\\/g, "/").replace(/\/{2,}/g, "/");
  return (slashes === "/" ? slashes : withoutTrailing(slashes, "/")).toLowerCase();
}

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith("/") ? dir : `${dir}/`);
}

/**
 * Whether changing `path` would change what airlock enforces, and how. `extra` are absolute paths
 * the running airlock uses (its policy file, data directory, configuration): they and everything
 * under them are airlock's.
 */
export function protectedPath(path: string, extra: readonly string[] = []): ProtectedKind | undefined {
  const p = normalise(path);
  if (SETTINGS_ANY.test(p)) return "settings";
  if (AIRLOCK_ANY.test(p)) return "airlock";
  if (extra.some((e) => e !== "" && isUnder(p, normalise(e)))) return "airlock";
  return undefined;
}
