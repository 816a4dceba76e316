import { describe, expect, it } from "vitest";
import { airlock, sandbox } from "./run-hook.js";

/** `airlock doctor` against a temporary HOME and project, running the hooks it finds. */

describe("airlock doctor", () => {
  it("says which CLIs are not protected", () => {
    const run = airlock(["doctor"], sandbox());
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("standalone (no AIRLOCK_URL)");
    expect(run.stdout).toContain("Claude Code: not protected (run `airlock install claude-code`)");
    expect(run.stdout).toContain("Kiro CLI: not protected");
  });

  it("runs a dangerous sample through every installed hook and reports it blocked", () => {
    const dirs = sandbox();
    expect(airlock(["install", "all"], dirs).status).toBe(0);
    expect(airlock(["install", "cursor", "--project"], dirs).status).toBe(0);
    const run = airlock(["doctor"], dirs);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    for (const title of ["Claude Code", "Gemini CLI", "Cursor", "Kiro CLI", "Codex", "GitHub Copilot CLI"])
      expect(run.stdout).toContain(`${title}: protected`);
    expect(run.stdout.match(/blocks `rm -rf \/`/g)).toHaveLength(7);
    expect(run.stdout).toMatch(/project: .*\.cursor\/hooks\.json: blocks/);
  });

  it("reports a hook that does not block, and fails", () => {
    const dirs = sandbox();
    airlock(["install", "codex"], dirs);
    airlock(["install", "claude-code", "--command", "echo airlock hook claude-code"], dirs);
    const run = airlock(["doctor"], dirs);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("Claude Code: NOT PROTECTED");
    expect(run.stdout).toMatch(/DOES NOT BLOCK `rm -rf \/`.*reinstall with `airlock install claude-code`/);
    expect(run.stdout).toContain("Codex: protected");
  });
});
