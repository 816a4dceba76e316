import type { Operation } from "../types.js";
import { listNames } from "./operation.js";
import { privilegeOp, roleTargets } from "./privilege.js";

/** Privileges that amount to administering the server, or handing rights on. */
const ESCALATING = new Set([
  "ALL",
  "ALL PRIVILEGES",
  "SUPER",
  "FILE",
  "CREATE USER",
  "GRANT OPTION",
  "SHUTDOWN",
  "PROCESS",
  "RELOAD",
  "SYSTEM_USER",
  "SYSTEM_VARIABLES_ADMIN",
  "ROLE_ADMIN",
  "SET_USER_ID",
  "SET_ANY_DEFINER",
]);

export interface MysqlGrant {
  verb: "GRANT" | "REVOKE";
  /** Privilege names upper-cased, or role names for a role grant. */
  privileges: string[];
  /** `*.*`, `db.*`, `db.table`; absent for a role grant. */
  level?: string;
  accounts: string[];
  grantOption: boolean;
}

export function mysqlGrantOp(g: MysqlGrant): Operation {
  const isRoleGrant = g.level === undefined;
  const db = g.level?.split(".")[0];
  const wide = g.level?.endsWith("*") === true;
  const escalating = g.grantOption || (!isRoleGrant && g.privileges.some((p) => ESCALATING.has(p)));
  const what = isRoleGrant ? `role ${listNames(g.privileges)}` : `${listNames(g.privileges)} ON ${g.level}`;
  const to = g.verb === "GRANT" ? "TO" : "FROM";
  return privilegeOp({
    name: g.verb,
    summary: `${g.verb} ${what} ${to} ${listNames(g.accounts)}${g.grantOption ? " WITH GRANT OPTION" : ""}`,
    targets: [
      ...(isRoleGrant ? roleTargets(g.privileges) : [{ type: "privilege-level", name: g.level ?? "" }]),
      ...g.accounts.map((name) => ({ type: "user", name })),
    ],
    escalation: g.verb === "GRANT" && escalating,
    blastRadius: wide ? "environment" : "service",
    envHints: db && db !== "*" ? [db] : [],
  });
}
