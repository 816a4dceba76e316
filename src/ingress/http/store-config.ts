import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as z from "zod/mini";
import "../../action/zod.js";
import type { StoreLocation } from "../../store/open.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PG_URL = /^postgres(ql)?:\/\//;

/**
 * The `store` of airlock.yaml: absent (or `sqlite`) for the SQLite file in the data directory, or a
 * PostgreSQL database shared by replicas, its password named apart from the URL.
 */
export const StoreSection = z.union([
  z.string().check(z.regex(/^(sqlite|postgres(ql)?:\/\/.+)$/, "store is sqlite or a postgres:// URL")),
  z.strictObject({
    /** postgres://USER@HOST:PORT/DATABASE[?sslmode=require|verify-full]; never with a password. */
    url: z.string().check(z.regex(PG_URL, "store.url is a postgres:// URL")),
    passwordEnv: z.optional(
      z.string().check(z.regex(ENV_NAME, "passwordEnv is an environment variable name")),
    ),
    passwordFile: z.optional(z.string().check(z.minLength(1))),
    /** Connections each airlock process keeps open (default 10). */
    poolSize: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
  }),
]);
export type StoreSection = z.infer<typeof StoreSection>;

/** The environment variable a `--store` URL's password is read from when the configuration names none. */
export const STORE_PASSWORD_ENV = "AIRLOCK_STORE_PASSWORD";

/**
 * The store, from `--store`, then AIRLOCK_STORE, then the file's `store`, else SQLite in `dataDir`.
 * Paths are relative to the configuration file. Throws Error with a message that says what to fix.
 */
export function resolveStore(
  section: StoreSection | undefined,
  override: string | undefined,
  dataDir: string,
  base: string,
  env: NodeJS.ProcessEnv,
): StoreLocation {
  const given = override ?? env.AIRLOCK_STORE;
  const entry =
    given !== undefined ? { url: given } : typeof section === "string" ? { url: section } : section;
  if (entry === undefined || entry.url === "sqlite") return { kind: "sqlite", dataDir };
  if (!PG_URL.test(entry.url))
    throw new Error(`store ${JSON.stringify(entry.url)} is neither sqlite nor a postgres:// URL`);
  let url: URL;
  try {
    url = new URL(entry.url);
  } catch {
    throw new Error("the store's URL is not a URL: write postgres://USER@HOST:PORT/DATABASE");
  }
  if (url.password)
    throw new Error(
      `put the store's password in store.passwordEnv or store.passwordFile (or ${STORE_PASSWORD_ENV}), not in the URL`,
    );
  const named = "passwordEnv" in entry || "passwordFile" in entry ? entry : undefined;
  let password: string | undefined;
  if (named?.passwordEnv !== undefined) {
    password = env[named.passwordEnv];
    if (password === undefined)
      throw new Error(`store: the environment variable ${named.passwordEnv} is not set`);
  } else if (named?.passwordFile !== undefined) {
    try {
      password = readFileSync(resolve(base, named.passwordFile), "utf8").replace(/\r?\n$/, "");
    } catch (err) {
      throw new Error(`store: cannot read passwordFile: ${(err as Error).message}`);
    }
  } else password = env[STORE_PASSWORD_ENV];
  const poolSize = "poolSize" in entry ? entry.poolSize : undefined;
  return {
    kind: "postgres",
    url: entry.url,
    ...(password !== undefined ? { password } : {}),
    ...(poolSize !== undefined ? { poolSize } : {}),
  };
}
