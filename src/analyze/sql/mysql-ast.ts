/** Reading node-sql-parser's loosely typed MySQL syntax tree without `any`. */

export type Json = Record<string, unknown>;

export function rec(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A plain string, or the `value` of a `{ type, value }` literal. */
export function str(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  const r = rec(value);
  return r ? str(r.value) : undefined;
}

/** `{ db, table }` → "db.table". */
export function tableName(ref: unknown): string {
  const r = rec(ref);
  if (!r) return "?";
  const table = str(r.table) ?? str(r.view) ?? str(r.trigger) ?? "?";
  const db = str(r.db) ?? str(r.schema);
  return db ? `${db}.${table}` : table;
}

/** The database a `{ db, table }` reference names, when qualified (a database name is an environment hint). */
export function databaseOf(ref: unknown): string[] {
  const db = str(rec(ref)?.db);
  return db ? [db] : [];
}

/** A user or role: `'app'@'%'`. */
export function accountName(value: unknown): string {
  const r = rec(value);
  const name = str(r?.name) ?? str(r?.user) ?? "?";
  const host = str(r?.host);
  return host ? `'${name}'@'${host}'` : name;
}

/** Whether a node of the given `type` occurs anywhere below. */
export function containsType(value: unknown, type: string): boolean {
  if (Array.isArray(value)) return value.some((v) => containsType(v, type));
  const r = rec(value);
  if (!r) return false;
  if (r.type === type) return true;
  for (const key in r) if (containsType(r[key], type)) return true;
  return false;
}
