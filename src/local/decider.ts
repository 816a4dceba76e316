import type { Decision } from "../action/decision.js";
import type { EvaluateOptions } from "../gate/decide.js";
import { failClosed } from "../gate/fail-closed.js";
import type { CompiledPolicy } from "../policy/compile.js";

/** A policy file loaded for deciding here, or the deny every action gets while it cannot load. */
export type LocalPolicy =
  | { ok: true; policy: CompiledPolicy }
  | { ok: false; message: string; deny: (input: unknown) => Decision };

/**
 * Load a local policy (the built-in one when `path` is undefined). The loader is imported on first
 * use, so code that only talks to `airlock serve` never loads it. A policy that cannot load is not an
 * exception: every action is then denied with code `policy_error` and the loader's message.
 */
export async function loadLocalPolicy(path: string | undefined): Promise<LocalPolicy> {
  try {
    const { loadPolicy } = await import("./policy-file.js");
    return { ok: true, policy: await loadPolicy(path) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const reason = `The policy could not be loaded, so nothing is allowed until it is fixed: ${message}`;
    return { ok: false, message, deny: (input) => failClosed(input, "policy_error", reason) };
  }
}

/**
 * The one local decider (hooks without a server, the SDK's local guards): the gate in this process
 * under a local policy, loaded once on first use, the gate itself imported then too.
 */
export function localDecide(
  path: string | undefined,
  options: EvaluateOptions = {},
): (action: unknown) => Promise<Decision> {
  let ready: Promise<(action: unknown) => Promise<Decision>> | undefined;
  return async (action) => {
    ready ??= (async () => {
      const [local, { evaluate }] = await Promise.all([loadLocalPolicy(path), import("../gate/decide.js")]);
      if (!local.ok) return async (input: unknown) => local.deny(input);
      return async (input: unknown) => (await evaluate(input, local.policy, options)).decision;
    })();
    return (await ready)(action);
  };
}
