import type { IncomingHttpHeaders } from "node:http";
import type { ErrorStyle } from "./errors.js";
import { modelsSignedAs } from "./models.js";
import type { BodyForParams } from "./params.js";
import { isS3Family } from "./sigv4.js";
import { header, type WireRequest } from "./wire.js";

/** The error style of a service's clients (by its first model), refined by what the request carries. */
export function styleOf(service: string, request: WireRequest): ErrorStyle {
  if (header(request, "x-amz-target") !== undefined) return "json";
  const protocol = modelsSignedAs(service)[0]?.protocol;
  return protocol ?? "rest-xml";
}

/** Before the signature is read: a guess from the headers alone. */
export function guessStyle(headers: IncomingHttpHeaders): ErrorStyle {
  if (headers["x-amz-target"]) return "json";
  if (/x-www-form-urlencoded/i.test(headers["content-type"] ?? "")) return "query";
  return "rest-xml";
}

/**
 * Paths that servers and proxies on the way may read differently from how airlock read them: `.` and
 * `..` segments (`/dev-bucket/../prod-bucket/key`), encoded or not, and backslashes; for services
 * other than S3 (whose keys may hold them) also empty segments. Refused, never normalised.
 */
export function unsafePath(rawPath: string, service: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return "the path has a malformed percent-escape";
  }
  const segments = decoded.split(/[/\\]/);
  if (segments.some((s) => s === "." || s === ".."))
    return "the path has a '.' or '..' segment, which servers on the way may resolve differently; airlock does not forward it";
  if (decoded.includes("\\"))
    return "the path has a backslash, which some servers read as '/'; airlock does not forward it";
  if (!isS3Family(service) && /\/\//.test(rawPath)) return "the path has an empty segment ('//')";
  return undefined;
}

/** The body as the operation's parameters need it: form pairs, JSON, or a rest-xml document's text. */
export function readBodyForParams(
  body: Buffer,
  request: WireRequest,
  service: string,
): BodyForParams & { error?: string } {
  if (body.length === 0) return {};
  const type = header(request, "content-type") ?? "";
  if (/x-www-form-urlencoded/i.test(type)) {
    const pairs: [string, string][] = [];
    try {
      for (const part of body.toString("utf8").split("&")) {
        if (!part) continue;
        const eq = part.indexOf("=");
        const k = eq < 0 ? part : part.slice(0, eq);
        const v = eq < 0 ? "" : part.slice(eq + 1);
        pairs.push([decodeURIComponent(k.replace(/\+/g, " ")), decodeURIComponent(v.replace(/\+/g, " "))]);
      }
    } catch {
      return { error: "the form body has a malformed percent-escape" };
    }
    return { form: pairs };
  }
  if (/json/i.test(type) || header(request, "x-amz-target") !== undefined) {
    try {
      return { json: JSON.parse(body.toString("utf8")) };
    } catch (err) {
      return { error: `the JSON body does not parse: ${(err as Error).message}` };
    }
  }
  if (
    modelsSignedAs(service)[0]?.protocol === "rest-xml" &&
    /^\s*</.test(body.subarray(0, 64).toString("utf8"))
  )
    return { xml: body.toString("utf8") };
  return {};
}
