import { jsonCall } from "../upstream-call.js";
import { type RecoveryKind, recoveryName } from "./registry.js";

/** DynamoDB DeleteTable: an on-demand backup `airlock-<request>` of the table, taken first. */
export const dynamodbBackup: RecoveryKind = {
  plan: () => ({
    plan: "airlock takes an on-demand DynamoDB backup airlock-<request id> of the table first",
  }),
  async take(params, ctx) {
    const table = String(params.TableName ?? "");
    const answer = await jsonCall(ctx.credentials, ctx.endpoint, {
      timeoutMs: ctx.timeoutMs,
      service: "dynamodb",
      region: ctx.region,
      target: "DynamoDB_20120810.CreateBackup",
      input: { TableName: table, BackupName: recoveryName(ctx.requestId) },
    });
    const arn = (answer.BackupDetails as { BackupArn?: unknown } | undefined)?.BackupArn;
    if (typeof arn !== "string") throw new Error("CreateBackup returned no BackupArn");
    return {
      points: [
        {
          kind: "DynamoDB backup",
          id: arn,
          of: table,
          restore: `aws dynamodb restore-table-from-backup --target-table-name ${table} --backup-arn ${arn}`,
        },
      ],
    };
  },
};
