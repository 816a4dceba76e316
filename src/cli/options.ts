import * as z from "zod/mini";
import "../action/zod.js";

/**
 * A command's options as commander gives them (untyped: every value a string or a boolean), checked
 * against the command's schema: typed values out, or a usage error naming the flag as it is typed.
 */

export type ParsedOptions<T> = { ok: true; options: T } | { ok: false; error: string };

/** `onBehalfOf` → `--on-behalf-of`. */
function flag(key: PropertyKey): string {
  return `--${String(key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export function parseOptions<T>(schema: z.ZodMiniType<T>, values: unknown): ParsedOptions<T> {
  // A flag the command declares but its schema does not name would be dropped without a word: refuse it.
  const shape = (schema as { def?: { shape?: Record<string, unknown> } }).def?.shape;
  if (shape && typeof values === "object" && values !== null) {
    const unknown = Object.keys(values).filter((key) => !(key in shape));
    if (unknown.length > 0)
      return {
        ok: false,
        error: `${unknown.map(flag).join(", ")}: not read by this command (a bug in airlock: report it)`,
      };
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, options: parsed.data };
  const issues = parsed.error.issues.map((i) =>
    i.path.length > 0 ? `${flag(i.path[0] ?? "")}: ${i.message}` : i.message,
  );
  return { ok: false, error: issues.join("; ") };
}

/** Run `run` with the options checked, or print the error (`airlock COMMAND: …`) and exit 64. */
export async function withOptions<T>(
  command: string,
  schema: z.ZodMiniType<T>,
  values: unknown,
  run: (options: T) => Promise<number>,
): Promise<number> {
  const parsed = parseOptions(schema, values);
  if (parsed.ok) return run(parsed.options);
  process.stderr.write(`airlock ${command}: ${parsed.error}\n`);
  return 64;
}

/** A flag's text, as given. */
export const text = z.optional(z.string());

/** A switch: present or not. */
export const flagged = z.optional(z.boolean());

/** A number of seconds, more than 0 (`--timeout 30`, `--wait 1.5`). */
export const seconds = z.optional(
  z.pipe(
    z.string().check(z.regex(/^\d+(\.\d+)?$/, "a number of seconds")),
    z.transform((s) => Number(s)),
  ),
);

/** A whole number, 0 or more (`--from 120`). */
export const count = z.optional(
  z
    .pipe(
      z.string().check(z.regex(/^\d+$/, "a whole number, 0 or more")),
      z.transform((s) => Number(s)),
    )
    .check(z.refine((n) => Number.isSafeInteger(n), "a whole number, 0 or more")),
);

/** `--url`, `--token` and `--json`: how a client command reaches `airlock serve`. */
export const clientOptions = { url: text, token: text, json: flagged };
export const ClientOptions = z.object(clientOptions);
export type ClientOptions = z.infer<typeof ClientOptions>;

/** `--config`, `--data-dir` and `--checkpoints`: where a server command finds its data. */
export const serverOptions = { config: text, dataDir: text, checkpoints: text, store: text };
export const ServerFlags = z.object(serverOptions);
