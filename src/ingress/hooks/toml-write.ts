import { TomlDate } from "smol-toml";
import { isRecord } from "./event.js";
import type { Json } from "./types.js";

/**
 * One table of a TOML file written as Codex writes its own (`codex mcp add`, through toml_edit):
 * `key = value` lines, arrays on one line as `["a", "b"]`, each sub-table after a blank line under its
 * own `[a.b.c]` header. Values a TOML parser read (or their JSON copy): strings, numbers, booleans,
 * dates, arrays, tables. The caller reads the result back to check it means what was meant.
 */

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** A TOML basic string: JSON's escapes are TOML's, but for DEL, which TOML wants escaped too. */
function basic(value: string): string {
  return JSON.stringify(value).replaceAll("\u007f", "\\u007F");
}

export function tomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : basic(key);
}

function scalar(value: unknown): string {
  if (typeof value === "string") return basic(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "nan";
    if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
    return String(value);
  }
  if (value instanceof TomlDate) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(scalar).join(", ")}]`;
  if (isRecord(value)) {
    const pairs = Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${scalar(v)}`);
    return pairs.length === 0 ? "{}" : `{ ${pairs.join(", ")} }`;
  }
  throw new Error(`a value TOML cannot hold (${typeof value})`);
}

/** `[path]` and its keys, then each sub-table after a blank line; ends with a newline. */
export function tomlTable(path: string[], table: Json): string {
  const sub = Object.entries(table).filter(
    (entry): entry is [string, Json] => isRecord(entry[1]) && !(entry[1] instanceof TomlDate),
  );
  const keys = Object.entries(table).filter(([k]) => !sub.some(([s]) => s === k));
  const head = [`[${path.map(tomlKey).join(".")}]`, ...keys.map(([k, v]) => `${tomlKey(k)} = ${scalar(v)}`)];
  return [`${head.join("\n")}\n`, ...sub.map(([k, v]) => tomlTable([...path, k], v))].join("\n");
}
