import { asDocument, field, isRecord } from "./params.js";

/**
 * What an IAM or resource policy document grants. Documents come as objects, JSON strings or
 * URL-encoded JSON; `Statement` may be one object or a list; `Action` a string or a list.
 */

/** AWS managed policies that amount to owning the account (IAMFullAccess can grant itself the rest). */
const ADMIN_POLICY_ARN =
  /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$/;

export function adminPolicyName(policyArn: unknown): string | undefined {
  if (typeof policyArn !== "string") return undefined;
  return ADMIN_POLICY_ARN.exec(policyArn.trim())?.[1];
}

function statements(document: unknown): Record<string, unknown>[] {
  const doc = asDocument(document);
  const statement = field(doc, "Statement");
  return (Array.isArray(statement) ? statement : [statement]).filter(isRecord);
}

function strings(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
}

function allows(statement: Record<string, unknown>): boolean {
  return String(field(statement, "Effect")).toLowerCase() === "allow";
}

const EVERY_ACTION = /^(\*|\*:\*|iam:\*)$/i;

/**
 * An Allow of every action (or all of IAM, which can grant the rest) on every resource, or an
 * Allow with NotAction on every resource: all but a few actions, the classic way round a review.
 */
export function grantsEverything(document: unknown): boolean {
  return statements(document).some((s) => {
    if (!allows(s) || !strings(field(s, "Resource")).includes("*")) return false;
    if (field(s, "NotAction") !== undefined) return true;
    return strings(field(s, "Action")).some((a) => EVERY_ACTION.test(a.trim()));
  });
}

function isEveryone(principal: unknown): boolean {
  if (principal === "*") return true;
  if (!isRecord(principal)) return false;
  return strings(field(principal, "AWS")).includes("*");
}

/** An unconditional Allow to Principal "*": anyone on the internet (Conditions may narrow it; then it is not flagged). */
export function allowsEveryone(document: unknown): boolean {
  return statements(document).some(
    (s) => allows(s) && field(s, "Condition") === undefined && isEveryone(field(s, "Principal")),
  );
}

/** 0.0.0.0/0 or ::/0 anywhere in the request: a rule open to the whole internet. */
export function opensToInternet(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.trim() === "0.0.0.0/0" || value.trim() === "::/0";
  if (depth > 5) return false;
  if (Array.isArray(value)) return value.some((v) => opensToInternet(v, depth + 1));
  if (isRecord(value)) return Object.values(value).some((v) => opensToInternet(v, depth + 1));
  return false;
}

/**
 * An IAM resource's properties (a change set's AfterContext) that give away the account: an admin
 * managed policy, or an inline policy allowing everything. Returns what was found, for the summary.
 */
export function adminGrantIn(properties: unknown): string | undefined {
  const props = asDocument(properties);
  for (const arn of asList(field(props, "ManagedPolicyArns"))) {
    const name = adminPolicyName(arn);
    if (name) return `attaches ${name}`;
  }
  if (grantsEverything(field(props, "PolicyDocument")))
    return "a policy allowing every action on every resource";
  for (const policy of asList(field(props, "Policies"))) {
    if (grantsEverything(field(policy, "PolicyDocument")))
      return "an inline policy allowing every action on every resource";
  }
  return undefined;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
