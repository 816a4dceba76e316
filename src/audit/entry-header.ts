import { AUDIT_ENTRY_TYPES, AUDIT_ENTRY_VERSION, ISO_UTC } from "./entry.js";

/**
 * The verifier's reader of an entry's header (v, index, prev, time, type), without JSON.parse.
 *
 * Why: JSON.parse builds every object and string of an entry only for five values to be read. On the
 * ~370-byte action entries of the million-entry benchmark (2-core machine, CPU time) it took 1.25 µs
 * an entry alone and this reader 0.9 µs; inside the verifier's loop the difference was about 0.4 µs
 * an entry, a tenth of the whole verification. (Reading a prefix is not enough: RFC 8785 sorts keys,
 * so `action` and `decision` come before `index`.)
 *
 * How: it reads the top-level object backwards from its closing brace, key by key, until it has the
 * five header keys. The header sorts late (index, prev, time, type, v), so it meets few other values.
 * It steps over a string with lastIndexOf: a quote delimits a string exactly when an even number of
 * backslashes precede it, which holds read in either direction; over a nested value by counting
 * brackets outside strings. So a key inside a string or a nested object is never taken for a
 * top-level one, and the last of repeated keys wins, as in JSON.parse.
 *
 * Why that is enough: the bytes it does not read are covered by the entry's hash, which the stored
 * hash, the next entry's `prev` and the signed checkpoints all vouch for. It checks the header values
 * as the schema does, except `prev`, which it reads as any 64 characters without quotes or backslashes
 * because the verifier compares it with the hash it expects. decodeEntry is the full check, and every
 * text it accepts this reads with the same header (test/audit/entry.test.ts).
 */

export type EntryHeader =
  | { ok: true; v: number; index: number; prev: string; time: string; type: string }
  | { ok: false; error: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const KNOWN_TYPES: ReadonlySet<string> = new Set(AUDIT_ENTRY_TYPES);
const SCALAR = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)$/;
const HEADER_KEYS = ["v", "index", "prev", "time", "type"] as const;
const VERSION = String(AUDIT_ENTRY_VERSION);

export function readEntryHeader(text: string): EntryHeader {
  if (text.charCodeAt(0) !== OPEN_BRACE || text.charCodeAt(text.length - 1) !== CLOSE_BRACE)
    return fail("it is not a JSON object");
  // The raw value text of each header key, in HEADER_KEYS order.
  const raw = ["", "", "", "", ""];
  let missing = HEADER_KEYS.length;
  // `end` is the comma or brace just after the value being read.
  for (let end = text.length - 1; missing > 0; ) {
    const valueStart = startOfValue(text, end - 1);
    const keyEnd = valueStart - 1;
    if (valueStart < 0 || text.charCodeAt(keyEnd) !== COLON || text.charCodeAt(keyEnd - 1) !== QUOTE)
      return fail(`the value ending at character ${end} is not a key's`);
    const keyStart = startOfString(text, keyEnd - 1);
    const which = keyStart < 0 ? -1 : headerKey(text, keyStart + 1, keyEnd - 1);
    if (which >= 0 && raw[which] === "") {
      raw[which] = text.slice(valueStart, end);
      missing--;
    }
    end = keyStart - 1;
    if (text.charCodeAt(end) === COMMA) continue;
    if (end === 0 && keyStart === 1) break;
    return fail(`unexpected text before character ${keyStart}`);
  }
  const [v, index, prev, time, type] = raw as [string, string, string, string, string];
  if (v !== VERSION) return fail(`"v" is ${v || "missing"}, not ${VERSION}`);
  const position = indexFrom(index);
  if (position < 0) return fail(`"index" is not a safe non-negative integer: ${index || "missing"}`);
  const previous = unquote(prev);
  if (previous?.length !== 64) return fail(`"prev" is not a 64-digit hash: ${prev || "missing"}`);
  const when = unquote(time);
  if (when === undefined || !ISO_UTC.test(when))
    return fail(`"time" is not ISO-8601 UTC: ${time || "missing"}`);
  const what = unquote(type);
  if (what === undefined || !KNOWN_TYPES.has(what)) return fail(`"type" is unknown: ${type || "missing"}`);
  return { ok: true, v: AUDIT_ENTRY_VERSION, index: position, prev: previous, time: when, type: what };
}

function fail(error: string): EntryHeader {
  return { ok: false, error };
}

/** Which header key the raw key text[start:end] is, or -1; compared in place, without a slice. */
function headerKey(text: string, start: number, end: number): number {
  const length = end - start;
  for (let i = 0; i < HEADER_KEYS.length; i++) {
    const key = HEADER_KEYS[i] as string;
    if (key.length === length && text.startsWith(key, start)) return i;
  }
  return -1;
}

/** A JSON integer ≥ 0 without leading zeros, or -1. */
function indexFrom(raw: string): number {
  if (raw === "" || (raw.length > 1 && raw.charCodeAt(0) === 0x30)) return -1;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
  }
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : -1;
}

/** The contents of a JSON string that has no escapes, or undefined. */
function unquote(raw: string): string | undefined {
  if (raw.length < 2 || raw.charCodeAt(0) !== QUOTE || raw.includes("\\")) return undefined;
  return raw.slice(1, -1);
}

function isDelimiter(text: string, quote: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
  return backslashes % 2 === 0;
}

/** The opening quote of the string whose closing quote is at `close`, or -1. */
function startOfString(text: string, close: number): number {
  if (text.charCodeAt(close) !== QUOTE || !isDelimiter(text, close)) return -1;
  for (let quote = text.lastIndexOf('"', close - 1); quote >= 0; quote = text.lastIndexOf('"', quote - 1))
    if (isDelimiter(text, quote)) return quote;
  return -1;
}

/** Where the JSON value whose last character is at `last` starts, or -1. */
function startOfValue(text: string, last: number): number {
  const c = text.charCodeAt(last);
  if (c === QUOTE) return startOfString(text, last);
  if (c === CLOSE_BRACE || c === CLOSE_BRACKET) return startOfNested(text, last);
  let start = last;
  while (start > 0 && text.charCodeAt(start - 1) !== COLON) start--;
  return SCALAR.test(text.slice(start, last + 1)) ? start : -1;
}

/** Where the object or array closing at `last` opens: brackets counted outside strings. */
function startOfNested(text: string, last: number): number {
  let depth = 0;
  for (let i = last; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = startOfString(text, i);
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth++;
    else if ((c === OPEN_BRACE || c === OPEN_BRACKET) && --depth === 0) return i;
    if (i < 0) return -1;
  }
  return -1;
}
