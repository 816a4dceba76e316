import type { BlastRadius } from "../../action/decision.js";
import type { Operation, Target } from "../types.js";
import { sqlOp } from "./operation.js";

/** Role attributes that amount to superuser or a path to it. */
export const ESCALATING_ROLE_OPTIONS = new Set(["superuser", "createrole", "bypassrls", "replication"]);

/** Roles whose membership gives server-wide power (file access, all data, program execution). */
export function isPowerfulRole(role: string): boolean {
  const r = role.toLowerCase();
  return (
    r.startsWith("pg_") ||
    ["postgres", "rds_superuser", "rdsadmin", "azure_pg_admin", "cloudsqlsuperuser", "root"].includes(r)
  );
}

export interface PrivilegeFacts {
  name: string;
  summary: string;
  targets: Target[];
  escalation?: boolean;
  blastRadius?: BlastRadius;
  envHints?: string[];
}

/** GRANT, REVOKE, CREATE/ALTER ROLE or USER: who may do what changes; REVOKE or ALTER undoes it. */
export function privilegeOp(f: PrivilegeFacts): Operation {
  return sqlOp({
    name: f.name,
    effect: "privilege",
    reversibility: "reversible",
    blastRadius: f.blastRadius ?? "service",
    targets: f.targets,
    tags: f.escalation ? ["privilege-escalation"] : [],
    envHints: f.envHints ?? [],
    summary: f.escalation ? `${f.summary} (privilege escalation)` : f.summary,
  });
}

export function roleTargets(names: readonly string[]): Target[] {
  return names.map((name) => ({ type: "role", name }));
}
