import type { ServerResponse } from "node:http";

/**
 * Errors the endpoint answers with, in the shape each AWS protocol's clients parse, so the CLI and the
 * SDKs print the code and message as they would AWS's own. AWS's codes where AWS has one; airlock's
 * own decisions are `Airlock…` (and `AccessDenied` for a deny, which every client already explains).
 */
export const AWS_ERROR_STATUS = {
  MissingAuthenticationToken: 403,
  IncompleteSignature: 400,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  RequestExpired: 400,
  RequestTimeTooSkewed: 403,
  AuthorizationHeaderMalformed: 400,
  XAmzContentSHA256Mismatch: 400,
  IncompleteBody: 400,
  InvalidRequest: 400,
  InvalidURI: 400,
  RequestTimeout: 400,
  EntityTooLarge: 400,
  MalformedXML: 400,
  AccessDenied: 403,
  AirlockHeld: 409,
  AirlockReplayedRequest: 403,
  AirlockUnknownOperation: 400,
  AirlockWrongHost: 400,
  AirlockUpstreamError: 502,
  AirlockRecoveryPointRequired: 400,
  AirlockRecoveryPointFailed: 409,
  InternalFailure: 500,
} as const;
export type AwsErrorCode = keyof typeof AWS_ERROR_STATUS;

/** How an AWS protocol's clients read an error body. */
export type ErrorStyle = "query" | "ec2" | "rest-xml" | "json" | "rest-json";

export interface AwsError {
  code: AwsErrorCode;
  message: string;
}

export function awsError(code: AwsErrorCode, message: string): AwsError {
  return { code, message };
}

const escapeXml = (s: string): string =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c,
  );

/** The status, headers and body of an error, for clients of this protocol. */
export function renderError(
  error: AwsError,
  style: ErrorStyle,
  requestId: string,
): { status: number; headers: Record<string, string>; body: string } {
  const status = AWS_ERROR_STATUS[error.code];
  const ids = { "x-amz-request-id": requestId, "x-amzn-requestid": requestId };
  const code = escapeXml(error.code);
  const message = escapeXml(error.message);
  const type = status >= 500 ? "Receiver" : "Sender";
  switch (style) {
    case "json":
      return {
        status,
        headers: { ...ids, "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": error.code },
        body: JSON.stringify({ __type: error.code, message: error.message }),
      };
    case "rest-json":
      return {
        status,
        headers: { ...ids, "content-type": "application/json", "x-amzn-errortype": error.code },
        body: JSON.stringify({ code: error.code, message: error.message }),
      };
    case "ec2":
      return {
        status,
        headers: { ...ids, "content-type": "text/xml" },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    case "query":
      return {
        status,
        headers: { ...ids, "content-type": "text/xml" },
        body: `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    default:
      return {
        status,
        headers: { ...ids, "content-type": "application/xml" },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
  }
}

export function sendError(
  res: ServerResponse,
  error: AwsError,
  style: ErrorStyle,
  requestId: string,
  method: string,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const r = renderError(error, style, requestId);
  const body = method === "HEAD" ? "" : r.body;
  res.writeHead(r.status, { ...r.headers, "content-length": Buffer.byteLength(r.body), connection: "close" });
  res.end(body);
}
