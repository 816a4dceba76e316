import type { Identity } from "../../../approvals/identity.js";
import type { ApprovalService } from "../../../approvals/service.js";
import { type AwsError, awsError } from "../errors.js";
import type { Params } from "../params.js";
import type { RecoveryContext, RecoveryKind, Taken } from "./registry.js";

/**
 * Take a released call's recovery point and record it (audit `snapshot.taken`, and on the request so
 * its page shows it). A failure is recorded too and comes back as the AWS-shaped error the agent gets:
 * the call is then not forwarded, and its approval is spent.
 */
export async function takeRecoveryPoint(
  service: ApprovalService,
  kind: RecoveryKind,
  params: Params,
  ctx: RecoveryContext,
  facts: { agent: Identity; operation: string; account: string | undefined; role: string | undefined },
): Promise<{ ok: true; taken: Taken } | { ok: false; error: AwsError }> {
  const base = {
    type: "snapshot.taken",
    ingress: "aws",
    requestId: ctx.requestId,
    agent: facts.agent.name,
    ...(facts.agent.onBehalfOf ? { onBehalfOf: facts.agent.onBehalfOf } : {}),
    operation: facts.operation,
    region: ctx.region,
    ...(facts.account ? { account: facts.account } : {}),
    ...(facts.role ? { role: facts.role } : {}),
  };
  let taken: Taken;
  try {
    taken = await kind.take(params, ctx);
  } catch (err) {
    const message = (err as Error).message;
    await service.record({ ...base, failed: message }).catch(() => undefined);
    return {
      ok: false,
      error: awsError(
        "AirlockRecoveryPointFailed",
        `airlock could not take the recovery point the policy asks for before ${facts.operation} (${message}); the call was not forwarded, and its approval (request ${ctx.requestId}) is spent`,
      ),
    };
  }
  const at = new Date().toISOString();
  for (const point of taken.points)
    await service.addRecoveryPoint(ctx.requestId, { ...point, at }, { ...base, ...point });
  return { ok: true, taken };
}
