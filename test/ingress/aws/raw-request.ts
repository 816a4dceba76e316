import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import http from "node:http";
import { SignatureV4 } from "@smithy/signature-v4";

/**
 * Requests signed by AWS's own signer (@smithy/signature-v4, what the JavaScript SDK v3 signs with),
 * which a test may then tamper with before they go out on a raw socket.
 */
class NodeSha256 {
  #h: Hash | Hmac;
  private readonly secret: string | Uint8Array | undefined;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.secret =
      secret === undefined || typeof secret === "string"
        ? secret
        : ArrayBuffer.isView(secret)
          ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength)
          : new Uint8Array(secret);
    this.#h = this.secret ? createHmac("sha256", this.secret) : createHash("sha256");
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#h.update(
      typeof data === "string"
        ? data
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
          : new Uint8Array(data),
    );
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#h.digest());
  }
  reset(): void {
    this.#h = this.secret ? createHmac("sha256", this.secret) : createHash("sha256");
  }
}

export interface RawRequest {
  method: string;
  /** Path and query, exactly as sent. */
  target: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface SignOptions {
  endpoint: string;
  keys: { accessKeyId: string; secretAccessKey: string };
  service: string;
  region?: string;
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  signingDate?: Date;
  /** S3 style: sign the body's SHA-256 in x-amz-content-sha256 and the path unencoded again. */
  s3?: boolean;
  presignSeconds?: number;
}

export async function signRequest(o: SignOptions): Promise<RawRequest> {
  const url = new URL(o.endpoint);
  const signer = new SignatureV4({
    credentials: o.keys,
    region: o.region ?? "us-east-1",
    service: o.service,
    sha256: NodeSha256,
    applyChecksum: o.s3 ?? false,
    uriEscapePath: !o.s3,
  });
  const request = {
    method: o.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: o.path,
    query: o.query ?? {},
    headers: {
      host: url.host,
      // As @aws-sdk/s3-request-presigner does: S3 presigned URLs sign UNSIGNED-PAYLOAD.
      ...(o.presignSeconds && o.s3 ? { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } : {}),
      ...(o.headers ?? {}),
    } as Record<string, string>,
    ...(o.body !== undefined ? { body: o.body } : {}),
  };
  const signed = o.presignSeconds
    ? await signer.presign(request, {
        expiresIn: o.presignSeconds,
        ...(o.signingDate ? { signingDate: o.signingDate } : {}),
      })
    : await signer.sign(request, o.signingDate ? { signingDate: o.signingDate } : {});
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k] = String(v);
  if (o.body !== undefined) headers["content-length"] = String(Buffer.byteLength(o.body));
  return {
    method: o.method,
    target: `${signed.path}${query ? `?${query}` : ""}`,
    headers,
    ...(o.body !== undefined ? { body: o.body } : {}),
  };
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Send exactly these bytes of head and body (no header is added or changed). */
export function send(endpoint: string, r: RawRequest): Promise<RawAnswer> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.target,
        headers: r.headers,
        setHost: false,
      },
      (res) => {
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(r.body);
  });
}

/** The `<Code>` or `__type`/`code` of an AWS-shaped error body. */
export function errorCode(answer: RawAnswer): string | undefined {
  const xml = /<Code>([^<]+)<\/Code>/.exec(answer.body)?.[1];
  if (xml) return xml;
  try {
    const json = JSON.parse(answer.body) as { __type?: string; code?: string };
    return json.__type ?? json.code;
  } catch {
    return undefined;
  }
}
