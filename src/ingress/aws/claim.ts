import { type AwsError, awsError } from "./errors.js";
import { ALGORITHM, parseAmzDate } from "./sigv4.js";
import { header, queryValue, type WireRequest } from "./wire.js";

/** What a request claims about its signature: who signed, for which day, region and service, and how. */
export interface SignatureClaim {
  mode: "header" | "query";
  accessKeyId: string;
  /** YYYYMMDD of the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** X-Amz-Date (or Date), as sent. */
  amzDate: string;
  time: number;
  /** Presigned URLs: seconds the URL stays valid. */
  expires?: number;
}

export type ClaimResult = { ok: true; claim: SignatureClaim } | { ok: false; error: AwsError };

/** Seven days: the longest a presigned URL may live. */
const MAX_PRESIGN_SECONDS = 604800;

const fail = (code: AwsError["code"], message: string): ClaimResult => ({
  ok: false,
  error: awsError(code, message),
});

/** Parse the Authorization header or the presigned query parameters; no secret is needed yet. */
export function readClaim(request: WireRequest): ClaimResult {
  const authorization = request.headers.get("authorization");
  const queryAlgorithm = queryValue(request, "X-Amz-Algorithm");
  if (authorization && queryAlgorithm !== undefined)
    return fail(
      "InvalidRequest",
      "a request is signed in the Authorization header or the query string, not both",
    );
  if (authorization) {
    if (authorization.length !== 1) return fail("IncompleteSignature", "more than one Authorization header");
    return fromHeader(authorization[0] ?? "", request);
  }
  if (queryAlgorithm !== undefined) return fromQuery(queryAlgorithm, request);
  if (queryValue(request, "AWSAccessKeyId") !== undefined && queryValue(request, "Signature") !== undefined)
    return fail(
      "IncompleteSignature",
      "this URL is signed with Signature Version 2, which airlock does not accept: presign with Signature Version 4 (boto3: Config(signature_version='s3v4'))",
    );
  return fail(
    "MissingAuthenticationToken",
    "the request is not signed: sign it with the AWS credentials from `airlock token create --aws`",
  );
}

function fromHeader(value: string, request: WireRequest): ClaimResult {
  // The algorithm, then the rest after the whitespace (split by hand: a regex for it backtracks).
  const text = value.trim();
  const space = text.search(/\s/);
  const m = space < 0 ? null : [text, text.slice(0, space), text.slice(space).trimStart()];
  if (!m || m[1] !== ALGORITHM)
    return fail(
      "IncompleteSignature",
      `the Authorization header must use ${ALGORITHM} (Signature Version 4)`,
    );
  const fields = new Map<string, string>();
  for (const part of (m[2] ?? "").split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const amzDate = header(request, "x-amz-date") ?? "";
  return build(
    "header",
    fields.get("Credential"),
    fields.get("SignedHeaders"),
    fields.get("Signature"),
    amzDate,
  );
}

function fromQuery(algorithm: string, request: WireRequest): ClaimResult {
  if (algorithm !== ALGORITHM)
    return fail("IncompleteSignature", `X-Amz-Algorithm must be ${ALGORITHM} (Signature Version 4)`);
  const expiresText = queryValue(request, "X-Amz-Expires") ?? "";
  const expires = /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : Number.NaN;
  if (!(expires >= 1 && expires <= MAX_PRESIGN_SECONDS))
    return fail("AuthorizationHeaderMalformed", `X-Amz-Expires must be 1 to ${MAX_PRESIGN_SECONDS} seconds`);
  const built = build(
    "query",
    queryValue(request, "X-Amz-Credential"),
    queryValue(request, "X-Amz-SignedHeaders"),
    queryValue(request, "X-Amz-Signature"),
    queryValue(request, "X-Amz-Date") ?? "",
  );
  if (built.ok) built.claim.expires = expires;
  return built;
}

function build(
  mode: SignatureClaim["mode"],
  credential: string | undefined,
  signedHeaders: string | undefined,
  signature: string | undefined,
  amzDate: string,
): ClaimResult {
  if (!credential || !signedHeaders || !signature)
    return fail("IncompleteSignature", "the signature needs Credential, SignedHeaders and Signature");
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request")
    return fail(
      "AuthorizationHeaderMalformed",
      "Credential must be KEYID/YYYYMMDD/REGION/SERVICE/aws4_request",
    );
  const [accessKeyId = "", date = "", region = "", service = ""] = parts;
  if (!/^\d{8}$/.test(date) || !/^[a-z0-9-]{1,40}$/.test(region) || !/^[a-z0-9.-]{1,60}$/.test(service))
    return fail(
      "AuthorizationHeaderMalformed",
      `the credential scope ${date}/${region}/${service} is malformed`,
    );
  if (!/^[0-9a-f]{64}$/.test(signature))
    return fail("IncompleteSignature", "Signature must be 64 lowercase hex digits");
  const names = signedHeaders.split(";");
  const sorted = [...names].sort();
  if (names.some((n) => !/^[a-z0-9-]+$/.test(n)) || names.join(";") !== sorted.join(";"))
    return fail(
      "IncompleteSignature",
      "SignedHeaders must be lowercase header names, sorted, separated by ';'",
    );
  if (!names.includes("host")) return fail("IncompleteSignature", "the Host header must be signed");
  const time = parseAmzDate(amzDate);
  if (Number.isNaN(time))
    return fail("IncompleteSignature", "X-Amz-Date is missing or not YYYYMMDD'T'HHMMSS'Z'");
  if (amzDate.slice(0, 8) !== date)
    return fail(
      "SignatureDoesNotMatch",
      `the credential scope's date ${date} is not the day of X-Amz-Date ${amzDate}`,
    );
  return {
    ok: true,
    claim: { mode, accessKeyId, date, region, service, signedHeaders: names, signature, amzDate, time },
  };
}
