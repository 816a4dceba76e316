import type * as z from "zod/mini";
import { StoreUnavailable } from "../errors.js";

/**
 * A row read back, checked against its record's schema: a row that does not fit (edited by hand, written
 * by a broken tool, cut short) is an unavailable store, with the table, the key and what is wrong,
 * never a record the caller trusts.
 */
export function parseRow<T>(schema: z.ZodMiniType<T>, value: unknown, where: string): T {
  const checked = schema.safeParse(value);
  if (checked.success) return checked.data;
  const problems = checked.error.issues
    .map((i) => `${i.path.map(String).join(".") || "(row)"}: ${i.message}`)
    .join("; ");
  throw new StoreUnavailable(`corrupt row in ${where}: ${problems}`, "store_corrupt");
}

/** A JSON column read back, parsed then checked; invalid JSON is a corrupt row too. */
export function parseJsonRow<T>(schema: z.ZodMiniType<T>, text: unknown, where: string): T {
  let value: unknown;
  try {
    value = typeof text === "string" ? JSON.parse(text) : text;
  } catch (err) {
    throw new StoreUnavailable(
      `corrupt row in ${where}: not JSON (${(err as Error).message})`,
      "store_corrupt",
    );
  }
  return parseRow(schema, value, where);
}
