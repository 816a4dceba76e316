import * as z from "zod/mini";
import "../../action/zod.js";

/**
 * Where an agent works, as an admin says it in `airlock.yaml` (per identity, and a default for every
 * agent): the environment and the labels policies read. The server puts these in the Action's
 * `context`; what the agent wrote there is a claim, kept under `context.claimed`, that may raise the
 * environment's risk and never lower it.
 */
export const TrustedContext = z.strictObject({
  environment: z.optional(z.string().check(z.minLength(1))),
  labels: z.optional(z.record(z.string(), z.string())),
});
export type TrustedContext = z.infer<typeof TrustedContext>;

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
