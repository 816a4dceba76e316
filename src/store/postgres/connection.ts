import type pg from "pg";

/**
 * The pool's settings from a `postgres://USER@HOST:PORT/DATABASE` URL and a password given apart from it
 * (from an environment variable or a file the configuration names: never required in the URL, which
 * ends up in logs and process lists). A password in the URL is still honoured when none is given apart.
 */
export function connectionConfig(url: string, password?: string): pg.PoolConfig {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error("the store's URL is not a URL: write postgres://USER@HOST:PORT/DATABASE");
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:")
    throw new Error(`the store's URL starts with ${u.protocol}// : write postgres://USER@HOST:PORT/DATABASE`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  const fromUrl = u.password ? decodeURIComponent(u.password) : undefined;
  const sslmode = u.searchParams.get("sslmode");
  return {
    host: u.hostname || "localhost",
    port: u.port ? Number(u.port) : 5432,
    ...(u.username ? { user: decodeURIComponent(u.username) } : {}),
    ...(database ? { database } : {}),
    ...((password ?? fromUrl) !== undefined ? { password: password ?? fromUrl } : {}),
    ...(sslmode === "require" ? { ssl: { rejectUnauthorized: false } } : {}),
    ...(sslmode === "verify-full" ? { ssl: true } : {}),
  };
}

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an unreadable URL)";
  }
}
