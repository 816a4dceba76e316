import type { Operation } from "../types.js";
import { type OpFields, opaqueOp, sqlOp } from "./operation.js";

type Risk = Omit<OpFields, "name" | "summary" | "targets"> & { does: string; argIs?: string };

/**
 * Built-in functions whose call changes something or reaches outside the database. Any other
 * function is taken as a read: a user-defined function can write, which airlock cannot see
 * from the call site (known gap; CALL of a procedure is reported as opaque instead).
 */
const RISKY: ReadonlyMap<string, Risk> = new Map<string, Risk>([
  // Postgres
  ["pg_terminate_backend", { effect: "write", reversibility: "recoverable", blastRadius: "service", tags: ["outage"], does: "kills a database session" }],
  ["pg_cancel_backend", { effect: "write", reversibility: "reversible", blastRadius: "service", does: "cancels a running query" }],
  ["pg_drop_replication_slot", { effect: "delete", reversibility: "irreversible", blastRadius: "service", does: "drops a replication slot (its consumer must be rebuilt)" }],
  ["pg_reload_conf", { effect: "write", reversibility: "reversible", blastRadius: "environment", does: "reloads the server configuration" }],
  ["pg_promote", { effect: "write", reversibility: "irreversible", blastRadius: "environment", does: "promotes a standby to primary" }],
  ["pg_switch_wal", { effect: "write", reversibility: "reversible", blastRadius: "service", does: "forces a WAL switch" }],
  ["setval", { effect: "write", reversibility: "reversible", blastRadius: "resource", does: "resets a sequence" }],
  ["lo_unlink", { effect: "delete", reversibility: "irreversible", blastRadius: "resource", does: "deletes a large object" }],
  ["lo_import", { effect: "write", reversibility: "reversible", blastRadius: "resource", does: "reads a file on the database host into a large object", argIs: "path" }],
  ["lo_export", { effect: "write", reversibility: "irreversible", blastRadius: "host", does: "writes a file on the database host", argIs: "path" }],
  ["pg_read_file", { effect: "read", reversibility: "reversible", blastRadius: "none", does: "reads a file on the database host", argIs: "path" }],
  ["pg_read_binary_file", { effect: "read", reversibility: "reversible", blastRadius: "none", does: "reads a file on the database host", argIs: "path" }],
  ["pg_ls_dir", { effect: "read", reversibility: "reversible", blastRadius: "none", does: "lists a directory on the database host", argIs: "path" }],
  ["pg_file_write", { effect: "write", reversibility: "irreversible", blastRadius: "host", does: "writes a file on the database host", argIs: "path" }],
  ["pg_file_unlink", { effect: "delete", reversibility: "irreversible", blastRadius: "host", does: "deletes a file on the database host", argIs: "path" }],
  ["pg_file_rename", { effect: "write", reversibility: "reversible", blastRadius: "host", does: "renames a file on the database host", argIs: "path" }],
  // MySQL
  ["load_file", { effect: "read", reversibility: "reversible", blastRadius: "none", does: "reads a file on the database host", argIs: "path" }],
]);

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
    const op = opaqueOp(opName, `${name}(): ${hidden}; airlock cannot see what it does`, code ? [{ type: "statement", name: code }] : []);
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
  const { does, argIs, ...fields } = risk;
  const targets = argIs && firstArg !== undefined ? [{ type: argIs, name: firstArg }] : [];
  const on = targets.length > 0 ? ` (${firstArg})` : "";
  return sqlOp({ ...fields, name: opName, targets, summary: `${name}()${on}: ${does}` });
}
