import type { Decision } from "../action/decision.js";
import { failClosed } from "../gate/fail-closed.js";
import { loadPolicy } from "../local/policy-file.js";
import type { CompiledPolicy } from "../policy/compile.js";

export type PolicyOrDeny =
  | { ok: true; policy: CompiledPolicy }
  | { ok: false; deny: (input: unknown) => Decision };

/**
 * Load the policy; when it cannot be loaded, every action is denied with the reason (fail closed),
 * and the reason is also written to standard error for the person who broke it.
 */
export async function loadPolicyOrDeny(path: string | undefined): Promise<PolicyOrDeny> {
  try {
    return { ok: true, policy: await loadPolicy(path) };
  } catch (err) {
    const message = (err as Error).message;
    process.stderr.write(`airlock: ${message}\n`);
    return {
      ok: false,
      deny: (input) =>
        failClosed(
          input,
          "policy_error",
          `The policy could not be loaded, so nothing is allowed until it is fixed: ${message}`,
        ),
    };
  }
}
