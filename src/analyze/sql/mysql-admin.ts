import type { Operation } from "../types.js";
import type { MyToken } from "./mysql-lexer.js";
import { type OpFields, sqlOp } from "./operation.js";

type Rule = Omit<OpFields, "name" | "targets" | "summary"> & { does: string };

const write = (blastRadius: Rule["blastRadius"], does: string, extra: Partial<Rule> = {}): Rule => ({
  effect: "write",
  reversibility: "reversible",
  blastRadius,
  does,
  ...extra,
});

const BINLOG_WIPE: Partial<Rule> = { effect: "delete", reversibility: "irreversible", tags: ["data-loss"] };

/**
 * Server administration statements, by their first one or two words. These are keyword-determined,
 * so they are not opaque, except those that load or replay code.
 */
const ADMIN: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ["FLUSH TABLES", write("environment", "flushes tables (WITH READ LOCK blocks every write on the server)")],
  ["FLUSH", write("service", "flushes caches, logs or privileges")],
  ["KILL", write("service", "kills a connection or query", { reversibility: "recoverable" })],
  [
    "SHUTDOWN",
    write("environment", "stops the database server", { reversibility: "recoverable", tags: ["outage"] }),
  ],
  [
    "RESTART",
    write("environment", "restarts the database server", { reversibility: "recoverable", tags: ["outage"] }),
  ],
  ["OPTIMIZE", write("service", "rebuilds tables, locking them")],
  ["REPAIR", write("service", "repairs tables (may discard corrupt rows)", { reversibility: "recoverable" })],
  ["LOCK", write("service", "locks tables or the instance until unlocked")],
  ["IMPORT", write("service", "imports tablespace files")],
  ["CHANGE", write("environment", "changes replication", { reversibility: "recoverable" })],
  ["START", write("environment", "starts replication")],
  ["STOP", write("environment", "stops replication")],
  ["RESET PERSIST", write("environment", "removes persisted server settings")],
  ["RESET QUERY", write("service", "clears the query cache")],
  ["RESET REPLICA", write("environment", "forgets replication state", { reversibility: "recoverable" })],
  ["RESET SLAVE", write("environment", "forgets replication state", { reversibility: "recoverable" })],
  ["RESET MASTER", write("environment", "deletes every binary log", BINLOG_WIPE)],
  ["RESET BINARY", write("environment", "deletes every binary log", BINLOG_WIPE)],
  [
    "PURGE",
    write("service", "deletes binary logs (point-in-time recovery and replicas need them)", {
      effect: "delete",
      reversibility: "irreversible",
    }),
  ],
  ["CLONE LOCAL", write("service", "copies the data directory")],
  [
    "CLONE",
    write("environment", "replaces this server's data with a clone", {
      effect: "delete",
      reversibility: "irreversible",
      tags: ["stateful", "data-loss"],
    }),
  ],
  [
    "INSTALL",
    write("host", "loads native code into the server", {
      effect: "execute",
      reversibility: "irreversible",
      opaque: true,
    }),
  ],
  [
    "UNINSTALL",
    write("environment", "unloads a server plugin or component", {
      effect: "write",
      reversibility: "recoverable",
    }),
  ],
  [
    "BINLOG",
    write("environment", "replays binary log events (arbitrary changes)", {
      effect: "execute",
      reversibility: "irreversible",
      opaque: true,
    }),
  ],
  [
    "SET GLOBAL",
    write("environment", "changes the server's configuration for every session", {
      reversibility: "recoverable",
    }),
  ],
  [
    "SET PERSIST",
    write("environment", "changes the server's configuration, surviving restarts", {
      reversibility: "recoverable",
    }),
  ],
  [
    "SET PERSIST_ONLY",
    write("environment", "changes the server's configuration from the next restart", {
      reversibility: "recoverable",
    }),
  ],
]);

/** The administration statement at the head of these tokens, or undefined when it is not one. */
export function adminOperation(tokens: MyToken[]): Operation | undefined {
  const [w0, w1] = [tokens[0]?.key ?? "", tokens[1]?.key ?? ""];
  const globalVar = w0 === "SET" && /^@@(GLOBAL|PERSIST)/i.test(tokens[1]?.text ?? "");
  const pair = globalVar ? "SET GLOBAL" : `${w0} ${w1}`;
  const name = ADMIN.has(pair) ? pair : w0;
  // A plain SET is a session setting, and START TRANSACTION is transaction control.
  if (name === "SET" || pair === "START TRANSACTION") return undefined;
  const rule = ADMIN.get(name);
  if (!rule) return undefined;
  return sqlOp({
    name,
    effect: rule.effect,
    reversibility: rule.reversibility,
    blastRadius: rule.blastRadius,
    tags: rule.tags,
    opaque: rule.opaque,
    targets: [],
    summary: `${name}: ${rule.does}`,
  });
}
