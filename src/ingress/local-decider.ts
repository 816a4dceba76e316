import type { Decision } from "../action/decision.js";
import { evaluate } from "../gate/decide.js";
import { failClosed } from "../gate/fail-closed.js";
import { loadPolicy } from "../gate/policy-loader.js";
import type { CompiledPolicy } from "../policy/compile.js";

/**
 * The local policy applied on the calling thread, loaded once; a policy that cannot load denies
 * every action. The hooks and the proxy run it inside an analysis worker (analysis-worker.ts), so
 * that its time counts against a deadline it cannot block.
 */
export class LocalDecider {
  readonly mode = "local";
  #policy: Promise<CompiledPolicy | Error> | undefined;

  constructor(private readonly policyPath: string | undefined) {}

  async decide(action: unknown): Promise<Decision> {
    this.#policy ??= loadPolicy(this.policyPath).catch((err: unknown) => err as Error);
    const policy = await this.#policy;
    if (policy instanceof Error)
      return failClosed(
        action,
        "policy_error",
        `The policy could not be loaded, so nothing is allowed until it is fixed: ${policy.message}`,
      );
    return (await evaluate(action, policy)).decision;
  }
}
