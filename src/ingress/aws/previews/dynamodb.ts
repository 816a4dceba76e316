import type { Params } from "../params.js";
import { jsonCall } from "../upstream-call.js";
import type { Preview, PreviewContext } from "./registry.js";

/**
 * DynamoDB DeleteTable: the table's item count and size as DescribeTable reports them (AWS refreshes
 * both about every six hours, so they may lag), its status and deletion protection.
 */
export async function deleteTable(params: Params, ctx: PreviewContext): Promise<Preview> {
  const name = String(params.TableName ?? "");
  const answer = await jsonCall(ctx.credentials, ctx.endpoint, {
    timeoutMs: ctx.timeoutMs,
    service: "dynamodb",
    region: ctx.region,
    target: "DynamoDB_20120810.DescribeTable",
    input: { TableName: name },
  });
  const t = (answer.Table ?? {}) as Record<string, unknown>;
  const items = Number(t.ItemCount ?? 0);
  const bytes = Number(t.TableSizeBytes ?? 0);
  return {
    operation: "dynamodb:DeleteTable",
    summary: `deletes table ${name} with ${items} item${items === 1 ? "" : "s"} (${formatBytes(bytes)}; AWS refreshes these figures about every six hours)`,
    resources: [
      {
        type: "AWS::DynamoDB::Table",
        id: name,
        items,
        bytes,
        status: String(t.TableStatus ?? ""),
        deletionProtection: t.DeletionProtectionEnabled === true,
      },
    ],
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
