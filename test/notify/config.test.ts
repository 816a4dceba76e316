import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/ingress/http/config.js";
import { describeWebhook, NOTIFY_EVENTS } from "../../src/notify/config.js";

const SECRET = "s3cret-from-the-environment-0123";

function load(notify: string, env: NodeJS.ProcessEnv = { HOOK_SECRET: SECRET }) {
  const path = join(mkdtempSync(join(tmpdir(), "airlock-notify-config-")), "airlock.yaml");
  writeFileSync(path, `version: 1\nnotify:\n${notify}`);
  return () => loadServerConfig({ config: path }, env);
}

describe("the notify section of airlock.yaml", () => {
  it("reads webhooks, with secrets from the environment and defaults filled in", () => {
    const config = load(`  webhooks:
    - { name: ops, url: "https://hooks.example.com/airlock", secretEnv: HOOK_SECRET, events: [hold, tripped] }
    - { name: team-slack, url: "https://hooks.slack.com/services/T0/B0/xyz", format: slack, attempts: 3 }
`)();
    expect(config.webhooks).toEqual([
      {
        name: "ops",
        url: "https://hooks.example.com/airlock",
        format: "json",
        events: ["hold", "tripped"],
        secret: SECRET,
        secretFrom: "env",
        timeoutSeconds: 10,
        attempts: 6,
      },
      {
        name: "team-slack",
        url: "https://hooks.slack.com/services/T0/B0/xyz",
        format: "slack",
        events: NOTIFY_EVENTS.filter((e) => e !== "checkpoint"),
        timeoutSeconds: 10,
        attempts: 3,
      },
    ]);
    // What is logged and audited: neither the secret nor the Slack URL's secret path.
    const shown = JSON.stringify(config.webhooks.map(describeWebhook));
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain("xyz");
    expect(shown).toContain("hooks.slack.com");
  });

  it.each([
    [
      "a secretEnv that is not set",
      `  webhooks: [{ name: ops, url: "https://h.example.com", secretEnv: MISSING }]\n`,
      /airlock.yaml:3: webhook "ops": the environment variable MISSING \(secretEnv\) is not set/,
    ],
    [
      "a json webhook without a secret",
      `  webhooks: [{ name: ops, url: "https://h.example.com" }]\n`,
      /webhook "ops": a json webhook is signed: set secretEnv/,
    ],
    [
      "both secret and secretEnv",
      `  webhooks: [{ name: ops, url: "https://h.example.com", secret: "0123456789abcdefgh", secretEnv: HOOK_SECRET }]\n`,
      /give secret or secretEnv, not both/,
    ],
    [
      "a short secret",
      `  webhooks: [{ name: ops, url: "https://h.example.com", secret: "hunter2" }]\n`,
      /shorter than 16 characters/,
    ],
    [
      "a name used twice",
      `  webhooks:\n    - { name: ops, url: "https://a.example.com", secretEnv: HOOK_SECRET }\n    - { name: ops, url: "https://b.example.com", secretEnv: HOOK_SECRET }\n`,
      /airlock.yaml:5: webhook "ops": the name is used twice/,
    ],
    [
      "an unknown event",
      `  webhooks: [{ name: ops, url: "https://h.example.com", secretEnv: HOOK_SECRET, events: [hold, deploy] }]\n`,
      /notify\.webhooks\[0\]\.events\[1\]: .*"hold"/,
    ],
    [
      "a URL that is not http(s)",
      `  webhooks: [{ name: ops, url: "ftp://h.example.com", secretEnv: HOOK_SECRET }]\n`,
      /url must be an http:\/\/ or https:\/\/ URL/,
    ],
    [
      "a misspelt key",
      `  webhooks: [{ name: ops, url: "https://h.example.com", secretenv: HOOK_SECRET }]\n`,
      /secretenv/,
    ],
  ])("refuses %s with a clear error", (_what, yaml, message) => {
    const run = load(yaml);
    expect(run).toThrow(message);
    try {
      run();
    } catch (err) {
      expect((err as Error).message).not.toContain(SECRET);
    }
  });
});
