import { bucketVersioning } from "../previews/s3.js";
import type { RecoveryKind } from "./registry.js";

/**
 * S3 DeleteObject(s): S3 keeps what a deletion removes only when the bucket's versioning is Enabled
 * and the call names no version (a delete marker then hides the object; its versions stay). airlock
 * checks that first; otherwise nothing could be recovered, and the call is not forwarded.
 */
export const objectVersions: RecoveryKind = {
  plan: () => ({
    plan: "airlock checks that the bucket's versioning is Enabled and no version is named, so every deleted object stays recoverable",
  }),
  async take(params, ctx) {
    const bucket = String(params.Bucket ?? "");
    const objects = (params.Delete as { Objects?: { VersionId?: unknown }[] } | undefined)?.Objects ?? [];
    if (typeof params.VersionId === "string" || objects.some((o) => typeof o.VersionId === "string"))
      throw new Error("the call names object versions, which S3 deletes for good");
    const status = await bucketVersioning(ctx, bucket);
    if (status !== "Enabled")
      throw new Error(
        `versioning of bucket ${bucket} is ${status}, so deleted objects could not be recovered`,
      );
    return {
      points: [
        {
          kind: "S3 object versions (versioning Enabled)",
          id: `s3://${bucket}`,
          of: bucket,
          restore: `aws s3api list-object-versions --bucket ${bucket} --prefix KEY, then aws s3api delete-object --bucket ${bucket} --key KEY --version-id DELETE_MARKER_VERSION_ID`,
        },
      ],
    };
  },
};
