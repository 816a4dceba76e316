import type { IncomingMessage } from "node:http";
import type { Decision } from "../../action/decision.js";
import type { Identity } from "../../approvals/identity.js";
import type { ApprovalService } from "../../approvals/service.js";
import type { SignatureClaim } from "./claim.js";
import type { AwsError } from "./errors.js";
import type { ForwardOutcome } from "./forward.js";

/** The AWS endpoint's audit entries: a refusal (`request.rejected`), and how a forwarded call ended. */
export interface Facts {
  identity?: Identity;
  claim?: SignatureClaim;
  operation?: string;
  /** The upstream role serving the agent (`aws.accounts`), when one does. */
  role?: string;
}

interface Recorder {
  service: ApprovalService;
  log: (line: string) => void;
}

/** A refusal's audit entry: who (as far as known), what, and the AWS-shaped code the agent got. */
export function recordRefusal(
  deps: Recorder,
  req: IncomingMessage,
  requestId: string,
  facts: Facts,
  error: AwsError,
): Promise<void> {
  const claim = facts.claim;
  return deps.service
    .record({
      type: "request.rejected",
      ingress: "aws",
      requestId,
      method: req.method,
      path: (req.url ?? "").split("?")[0],
      ...(facts.identity ? { by: facts.identity.name } : {}),
      ...(claim ? { accessKeyId: claim.accessKeyId, service: claim.service, region: claim.region } : {}),
      ...(facts.operation ? { operation: facts.operation } : {}),
      ...(facts.role ? { role: facts.role } : {}),
      code: error.code,
      message: error.message,
    })
    .catch((e: Error) => deps.log(`aws endpoint: could not record a refusal: ${e.message}`));
}

/** `outcome.reported`: the agent, the person it acts for, account, operation, AWS's request id and status. */
export async function recordOutcome(
  deps: Recorder,
  identity: Identity,
  decision: Decision,
  outcome: ForwardOutcome,
  extra: {
    requestId: string;
    account: string | undefined;
    role: string | undefined;
    operation: string | undefined;
  },
): Promise<void> {
  const ok = outcome.status !== undefined && outcome.status < 400 && outcome.error === undefined;
  // The monitor records every field of the report in the `outcome.reported` entry; failures feed error breakers.
  const report = {
    ok,
    ...(decision.digest ? { digest: decision.digest } : {}),
    ...(decision.request ? { id: decision.request.id } : {}),
    environment: decision.risk.environment,
    ...(outcome.error ? { message: outcome.error } : {}),
    ingress: "aws",
    requestId: extra.requestId,
    onBehalfOf: identity.onBehalfOf,
    operation: extra.operation,
    ...(extra.account ? { account: extra.account } : {}),
    ...(extra.role ? { role: extra.role } : {}),
    ...(outcome.status !== undefined ? { status: outcome.status } : {}),
    ...(outcome.awsRequestId ? { awsRequestId: outcome.awsRequestId } : {}),
  };
  await deps.service.monitor
    .outcome(report, identity)
    .catch((e: Error) => deps.log(`aws endpoint: could not record an outcome: ${e.message}`));
}
