import { type ErrorFields, SQLSTATE } from "./replies.js";

/**
 * Startup parameters other than user and database are settings the server applies before any
 * statement, so only these, which change how results look and nothing about who runs what, are
 * passed on. `options` (command-line switches such as `-c role=…`) and `replication` are refused.
 */
const PASSED = new Set([
  "application_name",
  "DateStyle",
  "TimeZone",
  "extra_float_digits",
  "IntervalStyle",
  "bytea_output",
  "statement_timeout",
  "lock_timeout",
  "idle_in_transaction_session_timeout",
  "search_path",
]);

export type CheckedParams =
  | { ok: true; user: string; database: string; passed: Map<string, string> }
  | { ok: false; error: ErrorFields };

export function checkStartupParams(params: Map<string, string>): CheckedParams {
  const refuse = (code: string, message: string): CheckedParams => ({
    ok: false,
    error: { code, message, severity: "FATAL" },
  });
  const user = params.get("user");
  if (!user)
    return refuse(
      SQLSTATE.invalidAuthorization,
      "no user name given: connect as your airlock agent identity",
    );
  const database = params.get("database") || user;
  const passed = new Map<string, string>([["client_encoding", "UTF8"]]);
  for (const [name, value] of params) {
    if (name === "user" || name === "database" || name.startsWith("_pq_.")) continue;
    if (name === "client_encoding") {
      if (!/^(utf-?8|unicode)$/i.test(value))
        return refuse(
          SQLSTATE.featureNotSupported,
          `client_encoding ${value} is not accepted: airlock judges SQL as UTF8`,
        );
      continue;
    }
    if (name === "options" || name === "replication")
      return refuse(
        SQLSTATE.rejectedConnection,
        `the startup parameter ${name} is not accepted through airlock: it could change the session before anything is judged; use SET, which is`,
      );
    if (!PASSED.has(name))
      return refuse(
        SQLSTATE.rejectedConnection,
        `the startup parameter ${JSON.stringify(name.slice(0, 64))} is not accepted through airlock`,
      );
    if (value.length > 1024)
      return refuse(SQLSTATE.programLimitExceeded, `the startup parameter ${name} is too long`);
    passed.set(name, value);
  }
  return { ok: true, user, database, passed };
}
