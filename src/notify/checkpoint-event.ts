import { randomBytes } from "node:crypto";
import type { NotifyEvent } from "./events.js";

/**
 * The webhook payload of a signed checkpoint of the audit log. A receiver that keeps them holds
 * evidence the log's host cannot take back: `airlock audit verify --from` any one of them proves the
 * log still contains, unchanged, every entry it covered.
 */
export function checkpointEvent(checkpoint: { size: number; note: string }, time: string): NotifyEvent {
  return {
    version: 1,
    id: `evt_${randomBytes(12).toString("base64url")}`,
    type: "audit.checkpoint",
    event: "checkpoint",
    time,
    auditIndex: checkpoint.size - 1,
    summary: `audit log checkpoint: ${checkpoint.size} entries signed`,
    details: { size: checkpoint.size, note: checkpoint.note },
  };
}
