/**
 * Reading request parameters the way callers really send them: the SDKs say `StackName`, ECS and
 * EKS say `desiredCount`, CLI users write `skip-final-snapshot`, and JSON from a shell says "true"
 * and "0". Names are compared squashed (lowercase letters and digits only).
 */

export type Params = Readonly<Record<string, unknown>>;

export function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A field by name, ignoring case and separators; undefined when absent or not an object. */
export function field(value: unknown, name: string): unknown {
  if (!isRecord(value)) return undefined;
  if (Object.hasOwn(value, name)) return value[name];
  const wanted = squash(name);
  for (const key of Object.keys(value)) if (squash(key) === wanted) return value[key];
  return undefined;
}

/** A nested field: `fieldAt(p, "ChangeBatch", "Changes")`. */
export function fieldAt(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const name of path) current = field(current, name);
  return current;
}

/** The first of several spellings that is present (`DesiredCount` or `desiredCount` or `desired-count`). */
export function firstField(value: unknown, names: readonly string[]): unknown {
  for (const name of names) {
    const found = field(value, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function isTrue(value: unknown): boolean {
  if (typeof value === "string") return /^(true|yes|1)$/i.test(value.trim());
  return value === true || value === 1;
}

export function isFalse(value: unknown): boolean {
  if (typeof value === "string") return /^(false|no|0)$/i.test(value.trim());
  return value === false || value === 0;
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Policy documents arrive as objects, JSON strings, or URL-encoded JSON strings (IAM's own responses). */
export function asDocument(value: unknown): unknown {
  if (typeof value !== "string") return value;
  for (const text of [value, safeDecode(value)]) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // try the next spelling
    }
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
