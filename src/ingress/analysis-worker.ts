import { parentPort } from "node:worker_threads";
import type { Decision } from "../action/decision.js";
import { localDecide } from "../local/decider.js";

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

type Decide = (action: unknown) => Promise<Decision>;
const deciders = new Map<string, Decide>();

/**
 * The one local decider (local/decider.ts) for this policy. This process (the hook daemon, `airlock
 * mcp`) is airlock: `kill` of its pid is stopping airlock, so the gate protects it.
 */
function deciderFor(request: AnalysisRequest): Decide {
  let decide = deciders.get(request.policy);
  if (decide === undefined) {
    if (deciders.size >= 32) deciders.clear();
    decide = localDecide(request.policyPath, { self: { pids: [process.pid] } });
    deciders.set(request.policy, decide);
  }
  return decide;
}

parentPort?.on("message", (request: AnalysisRequest) => {
  deciderFor(request)(request.action).then(
    (decision) => parentPort?.postMessage({ id: request.id, decision }),
    (err: unknown) =>
      parentPort?.postMessage({ id: request.id, error: (err as Error)?.message ?? String(err) }),
  );
});
