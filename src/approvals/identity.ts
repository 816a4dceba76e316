import type { Identity } from "../store/records/identity.js";

export { Identity, IdentityName, ROLES, Role } from "../store/records/identity.js";

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
