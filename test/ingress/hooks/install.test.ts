import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliName } from "../../../src/ingress/hooks/types.js";
import { airlock, CLIS, sandbox } from "./run-hook.js";

/** `airlock install|uninstall`, run from the bundle against a temporary HOME and project. */

/** Each CLI's settings file, and settings a person already had in it. */
const SETTINGS: Record<CliName, { file: (root: string) => string; existing: Record<string, unknown> }> = {
  "claude-code": {
    file: (root) => join(root, ".claude", "settings.json"),
    existing: {
      permissions: { allow: ["Bash(npm test)"] },
      hooks: {
        PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "~/bin/other-guard.sh" }] }],
        PostToolUse: [{ matcher: "Write", hooks: [{ type: "command", command: "prettier --write" }] }],
      },
    },
  },
  gemini: {
    file: (root) => join(root, ".gemini", "settings.json"),
    existing: {
      ui: { theme: "Dracula" },
      hooks: { BeforeTool: [{ matcher: "write_file", hooks: [{ type: "command", command: "lint.sh" }] }] },
    },
  },
  cursor: {
    file: (root) => join(root, ".cursor", "hooks.json"),
    existing: {
      version: 1,
      hooks: {
        afterFileEdit: [{ command: "./hooks/format.sh" }],
        beforeShellExecution: [{ command: "./hooks/audit.sh" }],
      },
    },
  },
  kiro: {
    file: (root) => join(root, ".kiro", "agents", "dev.json"),
    existing: {
      name: "dev",
      tools: ["*"],
      allowedTools: ["fs_read"],
      hooks: { agentSpawn: [{ command: "git status" }] },
    },
  },
  codex: {
    file: (root) => join(root, ".codex", "hooks.json"),
    existing: {
      hooks: { Stop: [{ hooks: [{ type: "command", command: "notify-send done", timeout: 5 }] }] },
    },
  },
  copilot: {
    file: (root) => join(root, ".copilot", "hooks", "airlock.json"),
    existing: { version: 1, hooks: { sessionStart: [{ type: "command", bash: "echo hi" }] } },
  },
};

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
const backups = (file: string) =>
  readdirSync(dirname(file)).filter((f) => f.startsWith(`${file.split("/").pop()}.airlock-backup-`));

describe.each(CLIS)("airlock install %s", (cli) => {
  it("merges into existing settings, keeps a backup, is idempotent, and uninstall removes exactly it", () => {
    const dirs = sandbox();
    const file = SETTINGS[cli].file(dirs.home);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(SETTINGS[cli].existing, null, 4));

    const first = airlock(["install", cli], dirs);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`installed in ${file}`);
    const installed = readFileSync(file, "utf8");
    expect(installed).toMatch(new RegExp(`dist/airlock-hook\\.mjs ${cli}`));
    expect(installed).toContain(process.execPath);
    expect(backups(file)).toHaveLength(1);
    const backup = join(dirname(file), backups(file)[0] ?? "");
    expect(JSON.parse(readFileSync(backup, "utf8"))).toEqual(SETTINGS[cli].existing);
    // Everything that was there is still there, in its place.
    const now = read(file);
    const { hooks: hadHooks, ...had } = SETTINGS[cli].existing as { hooks: Record<string, unknown[]> };
    expect(now).toMatchObject(had);
    for (const [event, entries] of Object.entries(hadHooks))
      expect((now.hooks as Record<string, unknown[]>)[event]?.slice(0, entries.length)).toEqual(entries);

    const again = airlock(["install", cli], dirs);
    expect(again.stdout).toContain("already installed");
    expect(readFileSync(file, "utf8")).toBe(installed);
    expect(backups(file)).toHaveLength(1);

    const removed = airlock(["uninstall", cli], dirs);
    expect(removed.status, removed.stderr).toBe(0);
    expect(read(file)).toEqual(SETTINGS[cli].existing);
    expect(airlock(["uninstall", cli], dirs).stdout).toContain("not installed");
  });

  it("creates the settings when there are none, and uninstall leaves none", () => {
    const dirs = sandbox();
    expect(airlock(["install", cli, "--project"], dirs).status).toBe(0);
    const written = readdirSync(dirs.project, { recursive: true }).map(String);
    expect(written.some((f) => f.endsWith(".json"))).toBe(true);
    expect(airlock(["uninstall", cli, "--project"], dirs).status).toBe(0);
    const left = readdirSync(dirs.project, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".json"));
    expect(left).toEqual([]);
  });
});

describe("airlock install, edge cases", () => {
  it("leaves a settings file it cannot read alone, and says so", () => {
    const dirs = sandbox();
    const file = SETTINGS["claude-code"].file(dirs.home);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, "{ this is: not json");
    const run = airlock(["install", "claude-code"], dirs);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file} was left as it is`);
    expect(readFileSync(file, "utf8")).toBe("{ this is: not json");
  });

  it("kiro: without an agent, creates an airlock agent that keeps all tools and MCP servers", () => {
    const dirs = sandbox();
    expect(airlock(["install", "kiro"], dirs).stdout).toMatch(/choose the `airlock` agent/);
    const agent = read(join(dirs.home, ".kiro", "agents", "airlock.json"));
    expect(agent).toMatchObject({ name: "airlock", tools: ["*"], includeMcpJson: true });
    expect(agent.hooks).toMatchObject({ preToolUse: [{ matcher: "*", timeout_ms: 30000 }] });
    airlock(["uninstall", "kiro"], dirs);
    expect(existsSync(join(dirs.home, ".kiro", "agents", "airlock.json"))).toBe(false);
  });

  it("gives each CLI a timeout, in its own unit, long enough for the configured wait", () => {
    const dirs = sandbox();
    expect(airlock(["install", "all"], dirs, { AIRLOCK_WAIT_SECONDS: "60" }).status).toBe(0);
    const home = (...p: string[]) => read(join(dirs.home, ...p));
    const first = (settings: Record<string, unknown>, event: string) =>
      ((settings.hooks as Record<string, Record<string, unknown>[]>)[event] ?? []).at(-1) ?? {};
    expect((first(home(".claude", "settings.json"), "PreToolUse").hooks as unknown[])[0]).toMatchObject({
      timeout: 75,
      command: expect.stringMatching(/airlock-hook\.mjs claude-code --timeout 75 \|\| \{/),
    });
    expect((first(home(".gemini", "settings.json"), "BeforeTool").hooks as unknown[])[0]).toMatchObject({
      timeout: 75000,
    });
    expect(first(home(".cursor", "hooks.json"), "preToolUse")).toMatchObject({
      timeout: 75,
      failClosed: true,
    });
    expect(first(home(".kiro", "agents", "airlock.json"), "preToolUse")).toMatchObject({ timeout_ms: 75000 });
    expect(first(home(".copilot", "hooks", "airlock.json"), "preToolUse")).toMatchObject({ timeoutSec: 75 });
    expect(airlock(["install", "codex", "--timeout", "2"], dirs).status).toBe(64);
  });

  it("installs for every CLI at once, and refuses unknown ones and both scopes", () => {
    const dirs = sandbox();
    const all = airlock(["install", "all"], dirs);
    expect(all.status).toBe(0);
    expect(all.stdout.match(/: installed in /g)).toHaveLength(CLIS.length);
    expect(airlock(["install", "vim"], dirs).status).toBe(64);
    expect(airlock(["install", "codex", "--user", "--project"], dirs).status).toBe(64);
  });
});

describe("settings a CLI would strip from the hook's environment", () => {
  it("gemini: AIRLOCK_* travel in the entry's env, the policy on the command line, the file kept private", () => {
    const dirs = sandbox();
    const extra = {
      AIRLOCK_URL: "http://127.0.0.1:7070",
      AIRLOCK_TOKEN: "tok-secret",
      AIRLOCK_POLICY: "/etc/airlock/p.yaml",
    };
    expect(airlock(["install", "gemini"], dirs, extra).status).toBe(0);
    const file = join(dirs.home, ".gemini", "settings.json");
    const entry = ((read(file).hooks as Record<string, { hooks: Record<string, unknown>[] }[]>)
      .BeforeTool?.[0]?.hooks[0] ?? {}) as Record<string, unknown>;
    expect(entry.env).toMatchObject({ AIRLOCK_URL: "http://127.0.0.1:7070", AIRLOCK_TOKEN: "tok-secret" });
    expect(entry.command).toContain("--policy /etc/airlock/p.yaml");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Other CLIs keep their entries as they were: no env field.
    expect(airlock(["install", "claude-code"], dirs, extra).status).toBe(0);
    expect(readFileSync(join(dirs.home, ".claude", "settings.json"), "utf8")).not.toContain("tok-secret");
  });
});
