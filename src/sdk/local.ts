import type { Decision } from "../action/decision.js";
import { failClosed } from "../gate/fail-closed.js";

type Decide = (action: unknown) => Promise<Decision>;

/**
 * The gate in this process, under a local policy. The gate and the policy loader are imported on
 * first use, so code that only talks to `airlock serve` never loads the analyzers; the policy is
 * loaded once, and a policy that cannot load denies every action with the loader's message.
 */
export function localDecide(policyPath: string | undefined): Decide {
  let ready: Promise<Decide> | undefined;
  return async (action) => {
    ready ??= load(policyPath);
    return (await ready)(action);
  };
}

async function load(policyPath: string | undefined): Promise<Decide> {
  try {
    const [{ loadPolicy }, { evaluate }] = await Promise.all([
      import("../local/policy-file.js"),
      import("../gate/decide.js"),
    ]);
    const policy = await loadPolicy(policyPath);
    return async (action) => (await evaluate(action, policy)).decision;
  } catch (err) {
    const reason = `airlock's local policy could not be loaded, so nothing is allowed until it is fixed: ${(err as Error).message ?? String(err)}`;
    return async (action) => failClosed(action, "policy_error", reason);
  }
}
