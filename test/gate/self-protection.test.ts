import { beforeAll, describe, expect, it } from "vitest";
import { protectedPath } from "../../src/analyze/protected-paths.js";
import { evaluate } from "../../src/gate/decide.js";
import { localDecide } from "../../src/local/decider.js";
import { loadPolicy } from "../../src/local/policy-file.js";
import type { CompiledPolicy } from "../../src/policy/compile.js";
import { parsePolicy } from "../../src/policy/parse.js";

/** airlock protects itself: guards no policy can switch off, each with its own code. */
let builtin: CompiledPolicy;
let allowAll: CompiledPolicy;
beforeAll(async () => {
  builtin = await loadPolicy();
  const parsed = parsePolicy(
    "version: 1\nname: allow-everything\nrules:\n  - { id: all, reason: anything goes, match: {}, decision: allow }\n",
    "/etc/airlock/allow-all.yaml",
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  allowAll = parsed.policy;
});

const shell = (command: string) => ({ kind: "shell", command, cwd: "/home/dev/app" });

describe("the agent CLIs' settings and airlock's own files", () => {
  it.each([
    ["~/.claude/settings.json", "settings"],
    ["/home/dev/app/.claude/settings.local.json", "settings"],
    ["/Users/dev/app/.Claude/Settings.json", "settings"],
    ["~/.cursor/hooks.json", "settings"],
    ["/p/.gemini/settings.json", "settings"],
    ["/p/.codex/hooks.json", "settings"],
    ["~/.copilot/hooks/airlock.json", "settings"],
    ["/p/.kiro/agents/default.json", "settings"],
    ["/p/.kiro/settings/mcp.json", "settings"],
    ["/p/.mcp.json", "settings"],
    ["~/.claude", "settings"],
    ["/srv/app/.airlock/keys/signer.key", "airlock"],
    ["/etc/airlock/airlock.yaml", "airlock"],
    ["~/.cache/airlock/hook.sock", "airlock"],
    ["/usr/local/bin/airlock", "airlock"],
    ["/p/node_modules/airlock/dist/cli.mjs", "airlock"],
  ])("%s is %s", (path, kind) => {
    expect(protectedPath(path)).toBe(kind);
  });

  it.each([
    "~/.claude/commands/review.md",
    "/p/.kiro/specs/a/design.md",
    "/p/.github/workflows/ci.yml",
    "/p/src/airlock.ts",
  ])("%s is not protected", (path) => {
    expect(protectedPath(path)).toBeUndefined();
  });

  it("protects the paths the running airlock names, and everything under them", () => {
    expect(protectedPath("/var/lib/al/audit.db", ["/var/lib/al"])).toBe("airlock");
    expect(protectedPath("/var/lib/alpha", ["/var/lib/al"])).toBeUndefined();
  });
});

describe("guards no policy can switch off", () => {
  it.each([
    [shell("echo '{}' > ~/.claude/settings.json"), "protected_settings", "builtin:protect-agent-settings"],
    [shell("rm -rf .airlock"), "protected_airlock_files", "builtin:protect-airlock-files"],
    [shell("airlock approve r_1"), "airlock_control", "builtin:no-agent-control"],
    [shell("pkill -f airlock"), "airlock_process", "builtin:protect-airlock-process"],
    [
      {
        kind: "mcp",
        server: "filesystem",
        tool: "write_file",
        arguments: { path: "/home/dev/.claude/settings.json", content: "{}" },
      },
      "protected_settings",
      "builtin:protect-agent-settings",
    ],
    [
      {
        kind: "mcp",
        server: "filesystem",
        tool: "edit_file",
        arguments: { path: "/home/dev/app/.CODEX/hooks.json", edits: [] },
      },
      "protected_settings",
      "builtin:protect-agent-settings",
    ],
    [
      { kind: "http", method: "POST", url: "http://127.0.0.1:7070/v1/pauses/resume", body: { agent: "me" } },
      "airlock_control",
      "builtin:no-agent-control",
    ],
  ])("%j is denied (%s), even by a policy that allows everything", async (action, code, rule) => {
    for (const policy of [builtin, allowAll]) {
      const d = (await evaluate(action, policy)).decision;
      expect(d).toMatchObject({ decision: "deny", code });
      expect(d.rules[0]).toBe(rule);
      expect(d.reasons.join(" ")).toMatch(/ask your user/);
    }
  });

  it("protects the policy file in force, wherever it is", async () => {
    for (const policy of [builtin, allowAll]) {
      const d = (await evaluate(shell(`sed -i '1d' ${policy.source}`), policy)).decision;
      expect(d).toMatchObject({ decision: "deny", code: "protected_airlock_files" });
    }
  });

  it("lets an MCP filesystem server read the settings", async () => {
    const read = {
      kind: "mcp",
      server: "filesystem",
      tool: "read_file",
      arguments: { path: "/home/dev/.claude/settings.json" },
    };
    expect((await evaluate(read, builtin)).decision.decision).toBe("allow");
  });

  it("denies killing the server's own process id, when it is named", async () => {
    const d = (await evaluate(shell("kill -9 4242"), builtin, { self: { pids: [4242] } })).decision;
    expect(d).toMatchObject({ decision: "deny", code: "airlock_process" });
    expect(
      (await evaluate(shell("kill -9 4243"), builtin, { self: { pids: [4242] } })).decision.code,
    ).not.toBe("airlock_process");
  });

  it("denies through the SDK's local mode too", async () => {
    const decide = localDecide(undefined);
    expect(await decide(shell("sed -i 's/x/y/' .claude/settings.json"))).toMatchObject({
      decision: "deny",
      code: "protected_settings",
    });
  });
});
