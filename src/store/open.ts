import type { LogSealer } from "../audit/sealer.js";
import type { Checkpoint, Store } from "./port.js";
import { SqliteStore } from "./sqlite/store.js";

/** Which store a server (or a command) uses: the embedded SQLite file in its data directory, or a PostgreSQL database. */
export type StoreLocation =
  | { kind: "sqlite"; dataDir: string }
  | { kind: "postgres"; url: string; password?: string; poolSize?: number };

export interface OpenOptions {
  /** Check the schema and read; never migrate (the command-line readers). */
  readonly?: boolean;
  sealer?: LogSealer;
  afterSeal?: (head: Checkpoint) => void;
  log?: (line: string) => void;
}

/** Open the store the configuration names: every command that reads or writes the store goes through here. */
export async function openStore(location: StoreLocation, options: OpenOptions = {}): Promise<Store> {
  if (location.kind === "sqlite") return SqliteStore.open(location.dataDir, options);
  // Loaded only for PostgreSQL: a server on SQLite never loads the client.
  const { PostgresStore } = await import("./postgres/store.js");
  return PostgresStore.open({
    url: location.url,
    ...(location.password !== undefined ? { password: location.password } : {}),
    ...(location.poolSize !== undefined ? { poolSize: location.poolSize } : {}),
    ...options,
  });
}

/** Where the store is, for messages (never the password). */
export function describeStore(location: StoreLocation): string {
  if (location.kind === "sqlite") return `SQLite in ${location.dataDir}`;
  try {
    const u = new URL(location.url);
    u.password = "";
    return `PostgreSQL at ${u.toString()}`;
  } catch {
    return "PostgreSQL";
  }
}
