import type { Operation } from "../types.js";
import { type OpFields, opaqueOp, sqlOp } from "./operation.js";

type Risk = Omit<OpFields, "name" | "summary" | "targets"> & { does: string; argIs?: string };

/** [effect, reversibility, blast radius, what it does, tags, what its first argument names]. */
type Row = [Risk["effect"], Risk["reversibility"], Risk["blastRadius"], string, string[]?, string?];

/**
 * Built-in functions whose call changes something or reaches outside the database. Any other
 * function is taken as a read: a user-defined function can write, which airlock cannot see
 * from the call site (known gap; CALL of a procedure is reported as opaque instead).
 */
const ROWS: Record<string, Row> = {
  // Postgres
  pg_terminate_backend: ["write", "recoverable", "service", "kills a database session", ["outage"]],
  pg_cancel_backend: ["write", "reversible", "service", "cancels a running query"],
  pg_drop_replication_slot: [
    "delete",
    "irreversible",
    "service",
    "drops a replication slot (its consumer must be rebuilt)",
  ],
  pg_reload_conf: ["write", "reversible", "environment", "reloads the server configuration"],
  pg_promote: ["write", "irreversible", "environment", "promotes a standby to primary"],
  pg_switch_wal: ["write", "reversible", "service", "forces a WAL switch"],
  setval: ["write", "reversible", "resource", "resets a sequence"],
  // Calls that read like a SELECT but change shared state: a sequence, a lock other sessions wait on, a message.
  nextval: ["write", "reversible", "resource", "advances a sequence (setval can set it back)"],
  pg_advisory_lock: [
    "write",
    "reversible",
    "service",
    "takes a session advisory lock that other sessions wait on",
  ],
  pg_advisory_lock_shared: [
    "write",
    "reversible",
    "service",
    "takes a shared session advisory lock that exclusive lockers wait on",
  ],
  pg_advisory_xact_lock: [
    "write",
    "reversible",
    "service",
    "takes an advisory lock that other sessions wait on until the transaction ends",
  ],
  pg_try_advisory_lock: ["write", "reversible", "service", "takes a session advisory lock if it is free"],
  pg_notify: ["write", "reversible", "service", "sends a notification to every listener of a channel"],
  lo_unlink: ["delete", "irreversible", "resource", "deletes a large object"],
  lo_import: [
    "write",
    "reversible",
    "resource",
    "reads a file on the database host into a large object",
    [],
    "path",
  ],
  lo_export: ["write", "irreversible", "host", "writes a file on the database host", [], "path"],
  pg_read_file: ["read", "reversible", "none", "reads a file on the database host", [], "path"],
  pg_read_binary_file: ["read", "reversible", "none", "reads a file on the database host", [], "path"],
  pg_ls_dir: ["read", "reversible", "none", "lists a directory on the database host", [], "path"],
  pg_file_write: ["write", "irreversible", "host", "writes a file on the database host", [], "path"],
  pg_file_unlink: ["delete", "irreversible", "host", "deletes a file on the database host", [], "path"],
  pg_file_rename: ["write", "reversible", "host", "renames a file on the database host", [], "path"],
  // MySQL
  load_file: ["read", "reversible", "none", "reads a file on the database host", [], "path"],
};

const RISKY: ReadonlyMap<string, Risk> = new Map(
  Object.entries(ROWS).map(([name, [effect, reversibility, blastRadius, does, tags, argIs]]) => [
    name,
    { effect, reversibility, blastRadius, does, ...(tags ? { tags } : {}), ...(argIs ? { argIs } : {}) },
  ]),
);

/** Functions that run SQL or programs given as text: what they do is out of sight. */
const OPAQUE = new Map<string, string>([
  ["dblink_exec", "runs SQL on another server"],
  ["dblink", "runs SQL on another server"],
  ["dblink_send_query", "runs SQL on another server"],
  ["query_to_xml", "runs a query given as text"],
  ["query_to_xml_and_xmlschema", "runs a query given as text"],
  ["sys_exec", "runs a shell command on the database host"],
  ["sys_eval", "runs a shell command on the database host"],
]);

/**
 * The operation a function call adds, or undefined for an ordinary (read-only) function.
 * `args` holds the call's arguments that are string constants (undefined for the others).
 */
export function functionOp(rawName: string, args: Array<string | undefined>): Operation | undefined {
  const name = rawName.toLowerCase();
  const opName = `FUNCTION ${name}`;
  const firstArg = args[0];
  const hidden = OPAQUE.get(name);
  if (hidden) {
    // The SQL or command is the last argument; dblink's first names the remote server.
    const code = args[args.length - 1];
    const op = opaqueOp(
      opName,
      `${name}(): ${hidden}; airlock cannot see what it does`,
      code ? [{ type: "statement", name: code }] : [],
    );
    if (name.startsWith("dblink") && args.length > 1 && firstArg) op.envHints = [firstArg];
    return op;
  }
  if (name === "set_config" && (firstArg === "role" || firstArg === "session_authorization")) {
    return sqlOp({
      name: opName,
      effect: "privilege",
      reversibility: "reversible",
      blastRadius: "resource",
      targets: [],
      summary: `set_config('${firstArg}', …): switches the session's identity`,
    });
  }
  const risk = RISKY.get(name);
  if (!risk) return undefined;
  // The first constant string argument is the path (lo_export's first argument is an OID).
  const named = args.find((a) => a !== undefined);
  const targets = risk.argIs && named !== undefined ? [{ type: risk.argIs, name: named }] : [];
  const on = targets.length > 0 ? ` (${named})` : "";
  return sqlOp({
    name: opName,
    effect: risk.effect,
    reversibility: risk.reversibility,
    blastRadius: risk.blastRadius,
    tags: risk.tags,
    targets,
    summary: `${name}()${on}: ${risk.does}`,
  });
}

/** Whether a function of this name could add an operation (functionOp may return one for it). */
export function hasFunctionRule(rawName: string): boolean {
  const name = rawName.toLowerCase();
  return OPAQUE.has(name) || RISKY.has(name) || name === "set_config";
}
