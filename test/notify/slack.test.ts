import { describe, expect, it } from "vitest";
import { agent, deletePod } from "../approvals/monitor-fixtures.js";
import { closedAfterEach, webhook } from "./receiver.js";

const { receiver, rig } = closedAfterEach();

type Block = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: Record<string, unknown>[];
};

describe("Slack-compatible webhooks", () => {
  it("post a Block Kit message: what the agent wants, where, how risky, why, and a button to the approval page", async () => {
    const hook = await receiver();
    const r = await rig([webhook(hook.url, { name: "slack", format: "slack", secret: undefined })]);
    const held = await r.service.submit(
      { ...deletePod(1, "production"), intent: "free <the> node & disk" },
      agent,
    );
    await hook.waitFor(1);
    const message = hook.json(0) as { text: string; blocks: Block[] };
    expect(Object.keys(message).sort()).toEqual(["blocks", "text"]);
    expect(message.text).toContain("kiro-7 (for alice) wants to");
    const [title, wants, facts, intent, actions, context] = message.blocks;
    expect(title?.text?.text).toMatch(/^\*Approval needed\*\n/);
    expect(wants?.text?.text).toMatch(/^\*What kiro-7 wants\*\n• /);
    expect(facts?.fields?.map((f) => f.text)).toEqual([
      "*Environment*\nproduction",
      expect.stringMatching(/^\*Risk\*\n\w+, blast radius \w+$/),
      "*Agent*\nkiro-7 for alice",
      "*Approvals*\n0 of 1",
    ]);
    // Agent-supplied text cannot inject Slack markup or mentions.
    expect(intent?.text?.text).toBe("*Intent*\n>free &lt;the&gt; node &amp; disk");
    expect(actions).toEqual({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Review and decide" },
          url: `https://airlock.example.com/requests/${held.request?.id}`,
          style: "primary",
        },
      ],
    });
    expect(context?.type).toBe("context");
    // Unsigned: Slack's incoming webhooks do not check signatures; the event id still identifies it.
    expect(hook.received[0]?.headers["x-airlock-signature"]).toBeUndefined();
    expect(hook.received[0]?.headers["x-airlock-event-id"]).toMatch(/^evt_/);
  });

  it("announce a trip or a pause with no request: a title, the summary and the context", async () => {
    const hook = await receiver();
    const r = await rig([webhook(hook.url, { format: "slack" })]);
    await r.service.monitor.pause("env:production", "root", "incident 42");
    await hook.waitFor(1);
    const message = hook.json(0) as { text: string; blocks: Block[] };
    expect(message.text).toBe('root paused environment production ("incident 42"): only reads go through.');
    expect(message.blocks.map((b) => b.type)).toEqual(["section", "context"]);
    expect(message.blocks[0]?.text?.text).toMatch(/^\*Agents paused\*/);
  });
});
