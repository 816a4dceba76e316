import type { Params } from "../params.js";
import { upstreamCall } from "../upstream-call.js";
import { all, parseXml, textAt } from "../xml.js";
import { formatBytes } from "./dynamodb.js";
import type { Preview, PreviewContext } from "./registry.js";

/** A bucket is listed this far (1,000 keys a page); beyond it the preview says "at least". */
const MAX_PAGES = 20;
/** DeleteObjects names up to 1,000 keys; each is looked up, this many at once. */
const LOOKUPS_AT_ONCE = 8;

type UpstreamContext = Pick<PreviewContext, "credentials" | "endpoint" | "region" | "timeoutMs">;

/** The read airlock makes of a bucket with its own credentials (GET on the bucket), as parsed XML. */
async function getBucket(ctx: UpstreamContext, bucket: string, query: [string, string][]) {
  return parseXml(
    await upstreamCall(ctx.credentials, ctx.endpoint, {
      timeoutMs: ctx.timeoutMs,
      service: "s3",
      region: ctx.region,
      method: "GET",
      path: `/${bucket}`,
      query,
    }),
  );
}

/** The bucket's versioning status as S3 names it (Enabled, Suspended), or "never enabled". */
export async function bucketVersioning(ctx: UpstreamContext, bucket: string): Promise<string> {
  const xml = await getBucket(ctx, bucket, [["versioning", ""]]);
  return textAt(xml, "Status") || "never enabled";
}

/** S3 DeleteBucket: how many objects (and versions) the bucket still holds, their total size, and versioning. */
export async function deleteBucket(params: Params, ctx: PreviewContext): Promise<Preview> {
  const bucket = String(params.Bucket ?? "");
  let count = 0;
  let bytes = 0;
  let token: string | undefined;
  let pages = 0;
  do {
    const xml = await getBucket(ctx, bucket, [
      ["list-type", "2"],
      ...(token ? [["continuation-token", token] as [string, string]] : []),
    ]);
    for (const o of all(xml, "Contents")) {
      count++;
      bytes += Number(textAt(o, "Size") || 0);
    }
    token = textAt(xml, "IsTruncated") === "true" ? textAt(xml, "NextContinuationToken") : undefined;
    pages++;
  } while (token && pages < MAX_PAGES);
  const more = token ? "at least " : "";
  const status = await bucketVersioning(ctx, bucket);
  return {
    operation: "s3:DeleteBucket",
    summary: `deletes bucket ${bucket}, which holds ${more}${count} object${count === 1 ? "" : "s"} (${more}${formatBytes(bytes)}; AWS refuses while it is not empty); versioning ${status}`,
    resources: [{ type: "AWS::S3::Bucket", id: bucket, objects: count, bytes, versioning: status }],
  };
}

/** S3 DeleteObjects: each named key, whether it exists and its size, the total, and versioning. */
export async function deleteObjects(params: Params, ctx: PreviewContext): Promise<Preview> {
  const bucket = String(params.Bucket ?? "");
  const named = ((params.Delete as { Objects?: { Key?: unknown; VersionId?: unknown }[] } | undefined)
    ?.Objects ?? []) as { Key?: unknown; VersionId?: unknown }[];
  const rows: { type: string; id: string; bytes: number; found: boolean; versionId: string }[] = [];
  for (let i = 0; i < named.length; i += LOOKUPS_AT_ONCE) {
    const batch = named.slice(i, i + LOOKUPS_AT_ONCE);
    rows.push(
      ...(await Promise.all(
        batch.map(async (o) => {
          const key = String(o.Key ?? "");
          const versionId = typeof o.VersionId === "string" ? o.VersionId : "";
          const size = await objectSize(ctx, bucket, key, versionId);
          return { type: "AWS::S3::Object", id: key, bytes: size ?? 0, found: size !== undefined, versionId };
        }),
      )),
    );
  }
  const found = rows.filter((r) => r.found);
  const bytes = found.reduce((sum, r) => sum + r.bytes, 0);
  const status = await bucketVersioning(ctx, bucket);
  const permanent = rows.filter((r) => r.versionId).length;
  return {
    operation: "s3:DeleteObjects",
    summary: `deletes ${found.length} of ${rows.length} named object${rows.length === 1 ? "" : "s"} in ${bucket} (${formatBytes(bytes)}); versioning ${status}${permanent ? `; ${permanent} named by version id are deleted for good` : status === "Enabled" ? "; earlier versions stay recoverable" : "; nothing stays recoverable"}`,
    resources: rows,
  };
}

/** The object's size from HEAD, or undefined when it does not exist. */
async function objectSize(
  ctx: PreviewContext,
  bucket: string,
  key: string,
  versionId: string,
): Promise<number | undefined> {
  // HEAD answers carry no body; the listing of the one key gives its size in text.
  if (versionId) {
    const xml = await getBucket(ctx, bucket, [
      ["versions", ""],
      ["prefix", key],
    ]);
    const v = all(xml, "Version").find(
      (n) => textAt(n, "Key") === key && textAt(n, "VersionId") === versionId,
    );
    return v ? Number(textAt(v, "Size") || 0) : undefined;
  }
  const xml = await getBucket(ctx, bucket, [
    ["list-type", "2"],
    ["prefix", key],
    ["max-keys", "1"],
  ]);
  const o = all(xml, "Contents").find((n) => textAt(n, "Key") === key);
  return o ? Number(textAt(o, "Size") || 0) : undefined;
}
