/**
 * RFC 8785 JSON Canonicalization Scheme: object keys sorted by UTF-16 code units, no whitespace,
 * numbers in the shortest ECMAScript form, strings escaped as ECMAScript's JSON.stringify does.
 * Values JSON cannot carry (undefined inside objects, functions) are dropped, as JSON does;
 * non-finite numbers and lone surrogates are rejected because RFC 8785 requires I-JSON.
 * Written as one appending walk because it runs for every action the gate sees.
 */
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join("");
}

function writeString(s: string, out: string[]): void {
  if (!s.isWellFormed()) throw new Error("cannot canonicalize a string with a lone surrogate (not I-JSON)");
  out.push(JSON.stringify(s));
}

function write(value: unknown, out: string[]): void {
  switch (typeof value) {
    case "string":
      writeString(value, out);
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "number":
      if (!Number.isFinite(value))
        throw new Error(`cannot canonicalize the number ${value}: JSON has no such value`);
      out.push(JSON.stringify(value));
      return;
    case "object":
      if (value === null) out.push("null");
      else if (Array.isArray(value)) writeArray(value, out);
      else writeObject(value as Record<string, unknown>, out);
      return;
    default:
      throw new Error(`cannot canonicalize a value of type ${typeof value}`);
  }
}

function writeArray(items: readonly unknown[], out: string[]): void {
  out.push("[");
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.push(",");
    const item = items[i];
    if (item === undefined || typeof item === "function") out.push("null");
    else write(item, out);
  }
  out.push("]");
}

function writeObject(object: Record<string, unknown>, out: string[]): void {
  // Default sort compares UTF-16 code units, which is what RFC 8785 specifies.
  const keys = Object.keys(object).sort();
  out.push("{");
  let first = true;
  for (const key of keys) {
    const v = object[key];
    if (v === undefined || typeof v === "function") continue;
    if (!first) out.push(",");
    first = false;
    writeString(key, out);
    out.push(":");
    write(v, out);
  }
  out.push("}");
}
