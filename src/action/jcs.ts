/**
 * RFC 8785 JSON Canonicalization Scheme: object keys sorted by UTF-16 code units, no whitespace,
 * numbers in the shortest ECMAScript form, strings escaped as ECMAScript's JSON.stringify does.
 * Values JSON cannot carry (undefined inside objects, functions) are dropped, as JSON does;
 * non-finite numbers and lone surrogates are rejected because RFC 8785 requires I-JSON.
 * Written as one walk that appends to a string because it runs for every action the gate sees.
 */
export function canonicalize(value: unknown): string {
  return write(value);
}

/** Printable ASCII other than `"` and `\`: such a string needs no escaping and is well formed. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function writeString(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  if (!s.isWellFormed()) throw new Error("cannot canonicalize a string with a lone surrogate (not I-JSON)");
  return JSON.stringify(s);
}

function write(value: unknown): string {
  switch (typeof value) {
    case "string":
      return writeString(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value))
        throw new Error(`cannot canonicalize the number ${value}: JSON has no such value`);
      return JSON.stringify(value);
    case "object":
      if (value === null) return "null";
      return Array.isArray(value) ? writeArray(value) : writeObject(value as Record<string, unknown>);
    default:
      throw new Error(`cannot canonicalize a value of type ${typeof value}`);
  }
}

function writeArray(items: readonly unknown[]): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ",";
    const item = items[i];
    out += item === undefined || typeof item === "function" ? "null" : write(item);
  }
  return `${out}]`;
}

function writeObject(object: Record<string, unknown>): string {
  // Default sort compares UTF-16 code units, which is what RFC 8785 specifies.
  const keys = Object.keys(object).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const v = object[key];
    if (v === undefined || typeof v === "function") continue;
    if (!first) out += ",";
    first = false;
    out += `${writeString(key)}:${write(v)}`;
  }
  return `${out}}`;
}
