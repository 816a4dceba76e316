import type { NotifyEvent } from "./events.js";

/** Slack's limit on a section's text; longer text makes the whole message fail. */
const MAX_TEXT = 2900;

type Block = Record<string, unknown>;

/**
 * A Slack incoming-webhook message (Block Kit): what happened, then for a request what the agent
 * wants, where, how risky, why (its intent), and a button to the approval page. `text` is the
 * fallback Slack shows in notifications and to clients without blocks.
 */
export function slackMessage(event: NotifyEvent): { text: string; blocks: Block[] } {
  const blocks: Block[] = [section(`*${slackText(headline(event))}*\n${slackText(event.summary)}`)];
  const r = event.request;
  if (r) {
    const wants =
      r.wants.length > 0 ? r.wants.map((w) => `• ${slackText(w)}`).join("\n") : "_(no operations listed)_";
    blocks.push(section(`*What ${slackText(r.agent)} wants*\n${wants}`));
    blocks.push({
      type: "section",
      fields: [
        mrkdwn(`*Environment*\n${slackText(r.environment)}`),
        mrkdwn(`*Risk*\n${slackText(r.risk.reversibility)}, blast radius ${slackText(r.risk.blastRadius)}`),
        mrkdwn(`*Agent*\n${slackText(r.agent)}${r.onBehalfOf ? ` for ${slackText(r.onBehalfOf)}` : ""}`),
        mrkdwn(`*Approvals*\n${r.approvals.count} of ${r.approvals.required}`),
      ],
    });
    if (r.intent) blocks.push(section(`*Intent*\n>${slackText(r.intent)}`));
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: event.event === "hold" ? "Review and decide" : "Open request" },
          url: r.url,
          ...(event.event === "hold" ? { style: "primary" } : {}),
        },
      ],
    });
  }
  blocks.push({
    type: "context",
    elements: [mrkdwn(`airlock · ${event.type} · ${event.time} · audit entry ${event.auditIndex}`)],
  });
  return { text: event.summary.slice(0, MAX_TEXT), blocks };
}

function headline(event: NotifyEvent): string {
  const titles: Record<NotifyEvent["event"], string> = {
    hold: "Approval needed",
    approved: "Approval recorded",
    released: "Request released",
    denied: "Request denied",
    used: "Released action ran",
    expired: "Request expired",
    cancelled: "Request cancelled",
    tripped: "Circuit breaker tripped",
    reset: "Circuit breaker reset",
    paused: "Agents paused",
    resumed: "Agents resumed",
    freeze: "Freeze declared",
    checkpoint: "Audit log checkpoint",
  };
  return titles[event.event];
}

function section(text: string): Block {
  return { type: "section", text: mrkdwn(text) };
}

function mrkdwn(text: string): Block {
  return { type: "mrkdwn", text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text };
}

/** Slack's three control characters; anything else in agent-supplied text is shown as written. */
function slackText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
