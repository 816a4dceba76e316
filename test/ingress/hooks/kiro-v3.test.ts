import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kiro } from "../../../src/ingress/hooks/kiro.js";
import { airlock, sandbox } from "./run-hook.js";

/**
 * Kiro CLI 3.x, against its documented formats (https://kiro.dev/docs/cli/v3/hooks/): Kiro is not on
 * the npm registry, so it cannot be run here. Hooks are standalone files in .kiro/hooks/, the event
 * is PreToolUse, matchers are regular expressions, and files change through str_replace too.
 */

describe("Kiro 3.x", () => {
  it("installs a v1 hooks file where .kiro/hooks/ is in use, doctor finds it blocking, uninstall removes it", () => {
    const dirs = sandbox();
    mkdirSync(join(dirs.home, ".kiro", "hooks"), { recursive: true });
    expect(airlock(["install", "kiro"], dirs).status).toBe(0);
    const file = join(dirs.home, ".kiro", "hooks", "airlock.json");
    const doc = JSON.parse(readFileSync(file, "utf8"));
    expect(doc).toMatchObject({
      version: "v1",
      hooks: [
        { name: "airlock", trigger: "PreToolUse", matcher: ".*", action: { type: "command" }, enabled: true },
      ],
    });
    expect(doc.hooks[0].action.command).toMatch(/airlock-hook\.mjs kiro --timeout 30/);
    expect(existsSync(join(dirs.home, ".kiro", "agents"))).toBe(false);
    expect(airlock(["doctor"], dirs).stdout).toMatch(/Kiro CLI: protected\n.*hooks\/airlock\.json: blocks/);
    expect(airlock(["uninstall", "kiro"], dirs).status).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it("reads PreToolUse events: str_replace outside the project needs a person, inside it goes to the gate alone", () => {
    const dirs = sandbox();
    const event = (tool: string, input: Record<string, unknown>) =>
      kiro.read({ hook_event_name: "PreToolUse", cwd: dirs.project, tool_name: tool, tool_input: input }, {});
    expect(
      event("str_replace", { path: join(dirs.outside, "a.ts"), old_str: "a", new_str: "b" }),
    ).toMatchObject({
      kind: "act",
      confirm: expect.stringContaining("outside the project"),
    });
    expect(
      event("str_replace", { path: join(dirs.project, "src", "a.ts"), old_str: "a", new_str: "b" }),
    ).toEqual({
      kind: "act",
      action: expect.objectContaining({
        kind: "shell",
        command: `tee -- ${join(dirs.project, "src", "a.ts")}`,
      }),
    });
    expect(event("execute_bash", { command: "rm -rf /" })).toMatchObject({
      kind: "act",
      action: { kind: "shell" },
    });
    expect(
      kiro.read(
        { hook_event_name: "PostToolUse", cwd: dirs.project, tool_name: "fs_read", tool_input: {} },
        {},
      ),
    ).toMatchObject({
      kind: "refuse",
    });
  });
});
