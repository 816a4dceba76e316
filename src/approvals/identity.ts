import * as z from "zod/mini";
import "../action/zod.js";
import { TrustedContext } from "./trusted-context.js";

export const ROLES = ["agent", "approver", "admin"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Names people and agents are known by: what a token, an approval and the audit log carry. */
export const IdentityName = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/,
      "a name is letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
    ),
  );

/** Every caller of `airlock serve` is one of these; a token resolves to one. */
export const Identity = z.object({
  name: IdentityName,
  role: Role,
  /** For approvers: the groups a policy can require (`sre`, `dba`, `security`). */
  groups: z._default(z.array(IdentityName), []),
  /** For agents: the person who started the agent. That person can never approve its actions. */
  onBehalfOf: z.optional(IdentityName),
  /** For agents: the environment and labels it works in, whatever its Actions claim (trusted-context.ts). */
  context: z.optional(TrustedContext),
});
export type Identity = z.infer<typeof Identity>;

export type IdentityProblem = { ok: true } | { ok: false; message: string };

/** An agent always acts for someone; only agents act for someone. */
export function checkIdentity(identity: Identity): IdentityProblem {
  if (identity.role === "agent" && identity.onBehalfOf === undefined) {
    return {
      ok: false,
      message: `agent "${identity.name}" must name the person it acts for (--on-behalf-of), so that person cannot approve its actions`,
    };
  }
  if (identity.role !== "agent" && identity.onBehalfOf !== undefined) {
    return {
      ok: false,
      message: `only an agent acts on behalf of someone; "${identity.name}" is ${identity.role}`,
    };
  }
  if (identity.role !== "agent" && identity.context !== undefined) {
    return { ok: false, message: `only an agent has a context; "${identity.name}" is ${identity.role}` };
  }
  if (identity.role === "agent" && identity.onBehalfOf === identity.name) {
    return { ok: false, message: `agent "${identity.name}" cannot act on behalf of itself` };
  }
  return { ok: true };
}
