import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import type { OutgoingRequest } from "./upstream.js";

/** How a forwarded call ended, for the audit log. */
export interface ForwardOutcome {
  /** AWS's status, or undefined when no answer came. */
  status?: number;
  /** The request id AWS returned. */
  awsRequestId?: string;
  /** What went wrong on the way (refused, timed out, reset, a body that failed its check). */
  error?: string;
  /** The answer's headers were already on their way to the agent when it failed. */
  midStream?: boolean;
}

const keepAlive = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "proxy-authenticate",
]);

/**
 * Send the signed request upstream with `body` streamed (or sent whole), and stream AWS's answer back
 * to the agent as it comes, status and headers as they are. Resolves when the answer is complete or
 * has failed; never rejects. `onUpstreamError` answers the agent when nothing was sent to it yet.
 */
export function forward(
  out: OutgoingRequest,
  body: Buffer | Readable,
  res: ServerResponse,
  timeoutMs: number,
  onUpstreamError: (message: string, cause?: Error) => void,
): Promise<ForwardOutcome> {
  return new Promise((resolve) => {
    const url = new URL(out.url);
    const transport = url.protocol === "https:" ? https : http;
    let settled = false;
    let answered: ForwardOutcome = {};
    const done = (o: ForwardOutcome) => {
      if (!settled) {
        settled = true;
        resolve(o);
      }
    };
    const upstream = transport.request(url, {
      method: out.method,
      headers: out.headers,
      agent: url.protocol === "https:" ? keepAlive.https : keepAlive.http,
      timeout: timeoutMs,
    });
    const fail = (message: string, cause?: Error) => {
      upstream.destroy();
      if (!res.headersSent) {
        onUpstreamError(message, cause);
        done({ error: message });
      } else {
        res.destroy();
        done({ ...answered, error: message, midStream: true });
      }
    };
    upstream.on("timeout", () =>
      fail(`the upstream ${url.host} did not answer within ${timeoutMs / 1000} s`),
    );
    upstream.on("error", (err: NodeJS.ErrnoException) =>
      fail(`the upstream ${url.host} failed: ${err.code ?? ""} ${err.message}`.replace(/\s+/g, " ")),
    );
    upstream.on("response", (answer: IncomingMessage) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
      }
      const id = answer.headers["x-amz-request-id"] ?? answer.headers["x-amzn-requestid"];
      const outcome: ForwardOutcome = {
        status: answer.statusCode ?? 0,
        ...(typeof id === "string" ? { awsRequestId: id } : {}),
      };
      answered = outcome;
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
      answer.on("error", (err) => fail(`the upstream's answer broke off: ${err.message}`));
      answer.on("aborted", () => fail("the upstream's answer broke off"));
      res.on("finish", () => done(outcome));
      res.on("close", () => {
        if (!res.writableFinished)
          done({ ...outcome, error: "the agent closed the connection before the answer ended" });
      });
    });
    if (Buffer.isBuffer(body)) {
      upstream.end(body);
    } else if (body.errored) {
      fail(`the request body failed its check: ${body.errored.message}`, body.errored);
    } else {
      body.on("error", (err) =>
        fail(`the request body failed its check and was not sent whole: ${err.message}`, err),
      );
      body.pipe(upstream);
    }
  });
}
