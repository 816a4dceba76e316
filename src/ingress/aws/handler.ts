import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { Identity } from "../../approvals/identity.js";
import type { ReadRecords } from "../../approvals/read-records.js";
import type { ApprovalService, Submitted } from "../../approvals/service.js";
import { awsActionOf, deniedMessage, heldMessage } from "./action.js";
import { type Facts, recordOutcome, recordRefusal } from "./audit-records.js";
import { readClaim } from "./claim.js";
import type { AwsEndpointConfig } from "./config.js";
import { type CredentialResolver, looksLikeAwsKeyId } from "./credentials.js";
import { type AwsError, awsError, type ErrorStyle, sendError } from "./errors.js";
import { forward } from "./forward.js";
import { waitForRelease } from "./hold-wait.js";
import { streamingPayload } from "./models.js";
import { matchOperation } from "./operation.js";
import { type Params, paramsOf } from "./params.js";
import { PayloadError, payloadModeOf, payloadStream, readAll } from "./payload.js";
import { hasPreview, previewOf } from "./previews/registry.js";
import { type RecoverySettings, recoveryKindOf } from "./recovery/registry.js";
import { rewrittenForm } from "./recovery/rewrite.js";
import { takeRecoveryPoint } from "./recovery/take.js";
import { ReplayGuard } from "./replay.js";
import { guessStyle, readBodyForParams, styleOf, unsafePath } from "./request-checks.js";
import { credentialScope, isS3Family, sha256Hex, UNSIGNED_PAYLOAD } from "./sigv4.js";
import { destinationOf, signOutgoing } from "./upstream.js";
import type { UpstreamIdentity } from "./upstream-identity.js";
import { checkClock, unsignedAmzHeader, verifySignature } from "./verify.js";
import { header, wireRequest } from "./wire.js";
import { XmlError } from "./xml.js";

export interface EndpointDeps {
  service: ApprovalService;
  resolver: CredentialResolver;
  config: AwsEndpointConfig;
  /** Host headers this endpoint answers to. */
  hosts: ReadonlySet<string>;
  /** The upstream identity (credentials, account, role) serving an agent: `aws.accounts`, or airlock's own. */
  upstreamFor: (agent: Identity) => UpstreamIdentity;
  /** The policy's snapshotBeforeDelete for AWS, when it asks for recovery points. */
  recovery?: RecoverySettings;
  /** When the entries of reads, forwarded at once, are queued; absent: every call waits for its entry. */
  reads?: ReadRecords;
  log: (line: string) => void;
  now: () => number;
}

/** A refusal on the way: answered with an AWS-shaped error, recorded in the audit log, nothing forwarded. */
class Refused extends Error {
  constructor(readonly error: AwsError) {
    super(error.message);
  }
}

export function endpointHandler(deps: EndpointDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const replays = new ReplayGuard();
  return (req, res) => {
    const requestId = `airlock-${randomUUID()}`;
    let style: ErrorStyle = guessStyle(req.headers);
    const facts: Facts = {};
    handle(deps, replays, req, res, requestId, facts, (s) => {
      style = s;
    }).catch(async (err: Error) => {
      const error =
        err instanceof Refused
          ? err.error
          : awsError("InternalFailure", "airlock failed on this call; nothing was forwarded");
      if (!(err instanceof Refused)) deps.log(`aws endpoint: internal error: ${err.stack ?? err.message}`);
      await recordRefusal(deps, req, requestId, facts, error);
      sendError(res, error, style, requestId, req.method ?? "GET");
      req.resume();
    });
  };
}

async function handle(
  deps: EndpointDeps,
  replays: ReplayGuard,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  facts: Facts,
  setStyle: (s: ErrorStyle) => void,
): Promise<void> {
  const wire = wireRequest(req);
  if (!wire.ok) throw new Refused(awsError("InvalidURI", wire.message));
  const request = wire.request;
  const host = header(request, "host");
  if (host === undefined || !deps.hosts.has(host.toLowerCase()))
    throw new Refused(
      awsError(
        "AirlockWrongHost",
        `this endpoint answers to ${[...deps.hosts].join(", ")}, not Host "${host ?? "(none)"}"; point the client at it with --endpoint-url and path-style addressing`,
      ),
    );
  const read = readClaim(request);
  if (!read.ok) throw new Refused(read.error);
  const claim = read.claim;
  facts.claim = claim;
  setStyle(styleOf(claim.service, request));
  if (looksLikeAwsKeyId(claim.accessKeyId))
    throw new Refused(
      awsError(
        "InvalidClientTokenId",
        `${claim.accessKeyId} is an AWS access key, not an airlock one: airlock holds the real credentials; sign with the keys from \`airlock token create --aws\``,
      ),
    );
  const found = await deps.resolver.resolve(claim.accessKeyId);
  // Only an agent's token carries AWS keys; an unknown or revoked key is refused the same way.
  if (found?.identity.role !== "agent")
    throw new Refused(
      awsError(
        "InvalidClientTokenId",
        "The security token included in the request is invalid: the access key is unknown to airlock or its token was revoked",
      ),
    );
  if (!found) throw new Error("unreachable: checked above");
  facts.identity = found.identity;
  const clock = checkClock(claim, deps.now());
  if (clock) throw new Refused(clock);
  if (deps.config.regions && !deps.config.regions.includes(claim.region))
    throw new Refused(
      awsError(
        "AccessDenied",
        `airlock does not serve region ${claim.region} (it serves ${deps.config.regions.join(", ")})`,
      ),
    );
  const unsafe = unsafePath(request.rawPath, claim.service);
  if (unsafe) throw new Refused(awsError("InvalidURI", unsafe));
  const unsigned = unsignedAmzHeader(request, claim);
  if (unsigned)
    throw new Refused(
      awsError(
        "AccessDenied",
        `There were headers present in the request which were not signed: ${unsigned}`,
      ),
    );

  // Presigned S3 URLs sign UNSIGNED-PAYLOAD unless they name a hash in the query.
  const claimed =
    header(request, "x-amz-content-sha256") ??
    request.query.find(([k]) => k.toLowerCase() === "x-amz-content-sha256")?.[1] ??
    (claim.mode === "query" && isS3Family(claim.service) ? UNSIGNED_PAYLOAD : undefined);
  const mode = payloadModeOf(claimed, header(request, "x-amz-decoded-content-length"));
  if (!mode)
    throw new Refused(
      awsError(
        "InvalidRequest",
        `x-amz-content-sha256 "${claimed}" is not a SHA-256, UNSIGNED-PAYLOAD or a STREAMING- mode`,
      ),
    );
  if (mode.kind === "compute" && isS3Family(claim.service))
    throw new Refused(
      awsError("InvalidRequest", "Missing required header for this request: x-amz-content-sha256"),
    );
  let key: Buffer | undefined;
  const check = (payloadHash: string) => {
    const v = verifySignature(request, claim, found.secret, payloadHash);
    if (!v.ok) throw new Refused(v.error);
    if (claim.mode === "header" && !replays.firstUse(claim.signature, claim.time, deps.now()))
      throw new Refused(
        awsError(
          "AirlockReplayedRequest",
          "this exact signed request was already received once; airlock takes each signature once: sign the call again",
        ),
      );
    key = v.key;
  };
  if (mode.kind !== "compute") check(claimed ?? "");

  let match = matchOperation(claim.service, request);
  const streamed = match.ok && streamingPayload(match.matched.model, match.matched.op);
  const scope = credentialScope(claim.date, claim.region, claim.service);
  let body: Buffer | Readable;
  let upstreamHash: string;
  if (streamed) {
    if (mode.kind === "compute")
      throw new Refused(awsError("InvalidRequest", "a streamed upload needs x-amz-content-sha256"));
    const length =
      mode.kind === "chunked" ? mode.decodedLength : Number(header(request, "content-length") ?? Number.NaN);
    if (length === undefined || !Number.isSafeInteger(length))
      throw new Refused(
        awsError(
          "InvalidRequest",
          "a streamed upload needs Content-Length (or x-amz-decoded-content-length)",
        ),
      );
    body = payloadStream(
      req,
      mode,
      key && { key, amzDate: claim.amzDate, scope, seedSignature: claim.signature },
    );
    upstreamHash = UNSIGNED_PAYLOAD;
  } else {
    let bytes: Buffer;
    try {
      bytes = await readAll(
        payloadStream(
          req,
          mode,
          key && { key, amzDate: claim.amzDate, scope, seedSignature: claim.signature },
        ),
        deps.config.maxBodyBytes,
      );
    } catch (err) {
      throw new Refused(payloadRefusal(err as Error));
    }
    if (mode.kind === "compute") check(sha256Hex(bytes));
    body = bytes;
    upstreamHash = sha256Hex(bytes);
  }
  const forParams = Buffer.isBuffer(body) ? readBodyForParams(body, request, claim.service) : {};
  if (forParams.error) throw new Refused(awsError("InvalidRequest", forParams.error));
  if (!match.ok && match.needsForm) match = matchOperation(claim.service, request, forParams.form ?? []);
  if (!match.ok)
    throw new Refused(
      awsError(
        "AirlockUnknownOperation",
        `${match.message}: airlock forwards only operations it can name, so this call was not sent`,
      ),
    );
  const matched = match.matched;
  facts.operation = `${claim.service}:${matched.op.name}`;
  let params: Params;
  try {
    params = paramsOf(matched, request, forParams);
  } catch (err) {
    if (!(err instanceof XmlError)) throw err;
    throw new Refused(
      awsError("MalformedXML", `the XML body does not parse (${err.message}); nothing was forwarded`),
    );
  }
  const upstream = deps.upstreamFor(found.identity);
  const account = (upstream.role ? undefined : deps.config.account) ?? (await upstream.account());
  facts.role = upstream.role;
  const action = awsActionOf(matched, params, {
    service: claim.service,
    region: claim.region,
    ...(account ? { account } : {}),
    ...(upstream.role ? { role: upstream.role } : {}),
    ...(deps.config.environment ? { environment: deps.config.environment } : {}),
  });
  const recovery = deps.recovery ? recoveryKindOf(facts.operation) : undefined;
  const plan = recovery && deps.recovery ? recovery.plan(params, deps.recovery) : undefined;
  if (plan && "refuse" in plan) throw new Refused(awsError("AirlockRecoveryPointRequired", plan.refuse));
  const reads = {
    credentials: upstream.credentials,
    endpoint: deps.config.endpoint,
    region: claim.region,
    timeoutMs: deps.config.ownCallTimeoutSeconds * 1000,
  };
  if (hasPreview(facts.operation) || plan) {
    const preview = (await previewOf(facts.operation, params, reads)) ?? {
      operation: facts.operation,
      summary: "airlock has no preview of this operation",
    };
    action.airlockPreview = plan ? { ...preview, recoveryPoint: plan.plan } : preview;
  }
  // With `reads`, an allowed read is forwarded before its entry is durable (see watchRead); anything
  // else waits for its entry, as every call does without it.
  const decide = async (): Promise<Submitted> =>
    deps.reads
      ? deps.service.submitRead(action, found.identity, deps.reads)
      : { decision: await deps.service.submit(action, found.identity), recorded: Promise.resolve() };
  let submitted = await decide();
  let decision = submitted.decision;
  if (
    decision.decision === "hold" &&
    decision.request &&
    Buffer.isBuffer(body) &&
    deps.config.holdWaitSeconds > 0
  ) {
    const after = await waitForRelease(
      deps.service,
      decision,
      async () => {
        submitted = await decide();
        return submitted.decision;
      },
      {
        seconds: deps.config.holdWaitSeconds,
        closed: () => res.destroyed || req.socket.destroyed,
        now: deps.now,
      },
    );
    if ("ended" in after) throw new Refused(awsError("AccessDenied", after.ended));
    decision = after;
  }
  if (decision.decision === "hold") {
    const r = decision.request ? await deps.service.get(decision.request.id) : undefined;
    throw new Refused(awsError("AirlockHeld", heldMessage(decision, r?.approvals.length ?? 0)));
  }
  if (decision.decision !== "allow") throw new Refused(awsError("AccessDenied", deniedMessage(decision)));

  let sent = request;
  if (recovery && decision.code === "released" && decision.request) {
    const took = await takeRecoveryPoint(
      deps.service,
      recovery,
      params,
      { ...reads, requestId: decision.request.id },
      { agent: found.identity, operation: facts.operation, account, role: upstream.role },
    );
    if (!took.ok) throw new Refused(took.error);
    if (took.taken.rewrite && Buffer.isBuffer(body)) {
      const rewritten = rewrittenForm(request, forParams.form ?? [], took.taken.rewrite);
      sent = rewritten.request;
      body = rewritten.body;
      upstreamHash = sha256Hex(rewritten.body);
    }
  }
  const dest = destinationOf(matched.model.entry, claim.service, claim.region, deps.config.endpoint);
  const creds = await upstream.credentials();
  const length = Buffer.isBuffer(body)
    ? body.length
    : mode.kind === "chunked"
      ? mode.decodedLength
      : Number(header(request, "content-length"));
  const out = signOutgoing(sent, dest, creds, upstreamHash, length, deps.now());
  const { queued } = submitted;
  if (queued) watchRead(deps, submitted.recorded, res, facts.operation);
  const outcome = await forward(
    out,
    body,
    res,
    deps.config.upstreamTimeoutSeconds * 1000,
    (message, cause) => {
      const error = cause ? payloadRefusal(cause) : awsError("AirlockUpstreamError", message);
      if (cause) void recordRefusal(deps, req, requestId, facts, error);
      sendError(res, error, styleOf(claim.service, request), requestId, request.method);
    },
  );
  // A read's outcome waits for the reads' next moment too, so that the entries and outcomes of the
  // reads of those milliseconds share one commit (each commit's fsync holds the event loop). Its own
  // entry is queued before it: at an earlier moment, or first at the same one.
  if (queued && deps.reads) await deps.reads.next();
  await recordOutcome(deps, found.identity, decision, outcome, {
    requestId,
    account,
    role: upstream.role,
    operation: facts.operation,
  });
}

/**
 * A read forwarded before its audit entry is durable: if the entry cannot be written, an answer still
 * on its way to the agent is cut off (the client sees a broken connection, not a success), and the
 * service sends every later call the durable way, so while the store is down they are refused
 * (docs/aws.md, "When an entry is durable"). An answer already complete stays delivered.
 */
function watchRead(deps: EndpointDeps, recorded: Promise<void>, res: ServerResponse, operation?: string) {
  recorded.catch((err: Error) => {
    const cut = !res.writableFinished;
    if (cut) res.destroy();
    deps.log(
      `aws endpoint: could not record a read (${operation ?? "?"}) in the audit log: ${err.message}; ${cut ? "its answer was cut off; " : ""}every call now waits for its own entry`,
    );
  });
}

function payloadRefusal(err: Error): AwsError {
  if (err instanceof PayloadError) return awsError(err.code, err.message);
  return awsError("SignatureDoesNotMatch", `the body does not match what was signed: ${err.message}`);
}
