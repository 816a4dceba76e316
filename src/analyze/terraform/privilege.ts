import type { BlastRadius } from "../../action/decision.js";

/**
 * Access-control resources: creating or changing one changes who may do what. Escalation is read
 * from the planned values: an AdministratorAccess attachment, a `*`/`*` policy document, an owner or
 * editor role, cluster-admin, or a grant to everyone.
 */

const PRIVILEGE_TYPE =
  /(?:_iam_|^aws_iam|_role_assignment|_role_definition|role_binding|cluster_role|_bucket_policy|_access_key|_service_account_key|_policy_attachment|_access_policy|_grant$|_permission$|_rbac_)/;

const ADMIN_POLICY_ARN = /:policy\/(?:AdministratorAccess|IAMFullAccess)$/;
const ADMIN_ROLES = new Set([
  "roles/owner",
  "roles/editor",
  "roles/iam.securityAdmin",
  "roles/resourcemanager.projectIamAdmin",
  "roles/resourcemanager.organizationAdmin",
  "roles/iam.serviceAccountTokenCreator",
  "Owner",
  "Contributor",
  "User Access Administrator",
  "cluster-admin",
]);
const EVERYONE = new Set([
  "allUsers",
  "allAuthenticatedUsers",
  "system:unauthenticated",
  "system:authenticated",
]);

export interface PrivilegeFinding {
  escalation: boolean;
  blastRadius: BlastRadius;
  /** Why it escalates, for the summary. */
  why?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** A JSON policy document (as Terraform stores it, a string) that allows every action on every resource. */
function allowsEverything(document: unknown): boolean {
  if (typeof document !== "string" || !document.includes("*")) return false;
  try {
    const parsed: unknown = JSON.parse(document);
    const statements = isRecord(parsed) ? asList(parsed.Statement) : [];
    return statements.some((s) => {
      if (!isRecord(s) || s.Effect !== "Allow") return false;
      const actions = asList(s.Action).map(String);
      return actions.some((a) => a === "*" || a === "iam:*") && asList(s.Resource).map(String).includes("*");
    });
  } catch {
    return false;
  }
}

function escalationIn(values: Record<string, unknown>): string | undefined {
  for (const arn of [...asList(values.policy_arn), ...asList(values.managed_policy_arns)]) {
    if (typeof arn === "string" && ADMIN_POLICY_ARN.test(arn)) return `attaches ${arn.split("/").pop()}`;
  }
  const documents = [values.policy, ...asList(values.inline_policy).map((p) => (isRecord(p) ? p.policy : p))];
  if (documents.some(allowsEverything)) return "allows every action on every resource";
  const roles = [
    values.role,
    values.role_definition_name,
    ...asList(values.role_ref).map((r) => (isRecord(r) ? r.name : r)),
  ];
  const role = roles.find((r) => typeof r === "string" && ADMIN_ROLES.has(r));
  if (typeof role === "string") return `grants ${role}`;
  const members = [
    ...asList(values.members),
    values.member,
    ...asList(values.subject).map((s) => (isRecord(s) ? s.name : s)),
  ];
  if (members.some((m) => typeof m === "string" && EVERYONE.has(m))) return "grants access to everyone";
  return undefined;
}

/** Undefined when the type is not about access; otherwise whether the planned values escalate. */
export function privilegeOf(type: string, after: unknown): PrivilegeFinding | undefined {
  if (!PRIVILEGE_TYPE.test(type)) return undefined;
  const why = isRecord(after) ? escalationIn(after) : undefined;
  if (!why) return { escalation: false, blastRadius: "service" };
  // A Kubernetes binding reaches one cluster; a cloud IAM grant reaches the whole account.
  const blastRadius: BlastRadius = type.startsWith("kubernetes_") ? "environment" : "account";
  return { escalation: true, blastRadius, why };
}
