import type * as z from "zod/mini";
import { ACTION_KINDS, Action } from "./schema.js";

export type Validation = { ok: true; action: Action } | { ok: false; error: string; field: string };

function describeIssue(issue: z.core.$ZodIssue): { field: string; message: string } {
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "(the action)";
  return { field, message: issue.message };
}

/** Validate untrusted input as an Action. Never throws; the error names the bad field. */
export function validateAction(input: unknown): Validation {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, field: "(the action)", error: "an Action must be a JSON object" };
  }
  const kind = (input as { kind?: unknown }).kind;
  if (typeof kind !== "string" || !(ACTION_KINDS as readonly string[]).includes(kind)) {
    return {
      ok: false,
      field: "kind",
      error: `field "kind" must be one of ${ACTION_KINDS.join(", ")}; got ${JSON.stringify(kind) ?? "nothing"}`,
    };
  }
  const parsed = Action.safeParse(input);
  return parsed.success ? { ok: true, action: parsed.data } : { ok: false, ...describeError(parsed.error) };
}

/** A schema's error as the first bad field and every issue, each naming its field. */
export function describeError(error: z.core.$ZodError): { field: string; error: string } {
  const issues = error.issues.map(describeIssue);
  const first = issues[0] ?? { field: "(the action)", message: "invalid" };
  return { field: first.field, error: issues.map((i) => `field "${i.field}": ${i.message}`).join("; ") };
}
