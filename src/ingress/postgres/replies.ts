import { BodyReader, cstring, int32, message } from "./wire.js";

/**
 * What airlock itself says to a PostgreSQL client. SQLSTATEs are Postgres's own, so that psql and
 * drivers show and classify them as they would the server's.
 */
export const SQLSTATE = {
  /** A statement held for approval or denied by the policy. */
  insufficientPrivilege: "42501",
  invalidPassword: "28P01",
  invalidAuthorization: "28000",
  unknownDatabase: "3D000",
  protocolViolation: "08P01",
  rejectedConnection: "08004",
  cannotConnect: "08001",
  connectionFailure: "08006",
  featureNotSupported: "0A000",
  programLimitExceeded: "54000",
  internal: "XX000",
} as const;

export interface ErrorFields {
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  severity?: "ERROR" | "FATAL";
}

export function errorResponse(e: ErrorFields): Buffer {
  const severity = e.severity ?? "ERROR";
  const field = (tag: string, value: string) => Buffer.concat([Buffer.from(tag, "latin1"), cstring(value)]);
  return message(
    "E",
    field("S", severity),
    field("V", severity),
    field("C", e.code),
    field("M", e.message),
    ...(e.detail ? [field("D", e.detail)] : []),
    ...(e.hint ? [field("H", e.hint)] : []),
    Buffer.from([0]),
  );
}

export function noticeResponse(text: string): Buffer {
  const field = (tag: string, value: string) => Buffer.concat([Buffer.from(tag, "latin1"), cstring(value)]);
  return message(
    "N",
    field("S", "NOTICE"),
    field("V", "NOTICE"),
    field("C", "00000"),
    field("M", text),
    Buffer.from([0]),
  );
}

export function readyForQuery(status: "I" | "T" | "E"): Buffer {
  return message("Z", Buffer.from(status, "latin1"));
}

export function authentication(code: number, ...rest: Buffer[]): Buffer {
  return message("R", int32(code), ...rest);
}

export function parameterStatus(name: string, value: string): Buffer {
  return message("S", cstring(name), cstring(value));
}

export function backendKeyData(pid: number, secret: number): Buffer {
  return message("K", int32(pid), int32(secret));
}

/** The fields of an ErrorResponse or NoticeResponse body, by their one-letter tags. */
export function readErrorFields(body: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  const reader = new BodyReader(body);
  while (!reader.done) {
    const tag = reader.bytes(1)[0] ?? 0;
    if (tag === 0) break;
    fields.set(String.fromCharCode(tag), reader.cstring());
  }
  return fields;
}
