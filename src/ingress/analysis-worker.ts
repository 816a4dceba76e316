import { parentPort } from "node:worker_threads";
import { LocalDecider } from "./local-decider.js";

/**
 * A worker thread of the analysis pool (analysis-pool.ts): decides one Action at a time under a
 * local policy, keeping each policy compiled between calls. `policy` names a policy and its
 * version: a caller whose file changed sends a new one, and the policy is loaded again.
 */

export interface AnalysisRequest {
  id: number;
  policy: string;
  policyPath?: string;
  action: unknown;
}

const deciders = new Map<string, LocalDecider>();

function deciderFor(request: AnalysisRequest): LocalDecider {
  let decider = deciders.get(request.policy);
  if (decider === undefined) {
    if (deciders.size >= 32) deciders.clear();
    decider = new LocalDecider(request.policyPath);
    deciders.set(request.policy, decider);
  }
  return decider;
}

parentPort?.on("message", (request: AnalysisRequest) => {
  deciderFor(request)
    .decide(request.action)
    .then(
      (decision) => parentPort?.postMessage({ id: request.id, decision }),
      (err: unknown) =>
        parentPort?.postMessage({ id: request.id, error: (err as Error)?.message ?? String(err) }),
    );
});
