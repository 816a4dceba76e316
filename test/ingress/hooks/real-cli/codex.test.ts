import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { airlockCodexHooks } from "../../../../src/cli/codex-trust.js";
import { CODEX, codex } from "./agents.js";
import { realCliCases, scenario, stopDaemons, toolResults, trackedSandbox } from "./cases.js";
import { AIRLOCK, install, type Sandbox, sandboxEnv, told } from "./harness.js";

/**
 * Codex (@openai/codex), headless (`codex exec`), its model a `[model_providers.scripted]` entry
 * speaking the Responses API. `airlock install codex` trusts the hook through `codex app-server`.
 */

const spec = codex;

realCliCases(spec);

describe("codex: what its shell tool does beyond running a command", () => {
  afterAll(stopDaemons);

  it("judges apply_patch sent as a shell command as the file change it is (outside the project: blocked)", async () => {
    const s = await scenario(spec, "patched-outside", undefined, [], (box) => {
      const outside = join(box.root, "outside.txt");
      return `apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: ${outside}\n+written by the agent\n*** End Patch\nEOF`;
    });
    expect(s.model.calls.length, told(s.run)).toBeGreaterThan(0);
    expect(existsSync(join(s.box.root, "outside.txt")), `the patch was applied: ${told(s.run)}`).toBe(false);
    expect(toolResults(s.model)).toMatch(/outside the project/);
  });

  it("treats python3 -i as an opaque channel: what write_stdin types later reaches no hook", async () => {
    const s = await scenario(
      spec,
      "interactive",
      undefined,
      [],
      (_box, marker) => `touch ${marker}; python3 -i`,
    );
    expect(s.model.calls.length, told(s.run)).toBeGreaterThan(0);
    expect(existsSync(s.marker), `the interactive process started: ${told(s.run)}`).toBe(false);
    expect(toolResults(s.model)).toMatch(/write_stdin\) reaches no hook/);
  });
});

describe("codex: trust, as Codex itself reports it", () => {
  afterAll(stopDaemons);
  const doctor = (box: Sandbox, extra: Record<string, string> = {}) =>
    spawnSync(process.execPath, [AIRLOCK, "doctor"], {
      cwd: box.project,
      env: sandboxEnv(box, extra),
      encoding: "utf8",
    });

  it("install trusts the hook through codex app-server, again after a reinstall; doctor asks Codex", async () => {
    const box = trackedSandbox("codex-trust");
    install(box, "codex");
    expect(doctor(box).stdout).toMatch(/Codex: protected\n(.*\n)*.*trust: Codex trusts airlock's hook/);
    install(box, "codex", ["--timeout", "45"]); // a changed hook: Codex would hold it as modified
    const hooks = await airlockCodexHooks(CODEX, box.project, sandboxEnv(box));
    expect(hooks.map((h) => h.trustStatus)).toEqual(["trusted"]);
  });

  it("without codex to ask, install says what to run, and doctor does not call the hook protected", () => {
    const box = trackedSandbox("codex-untrusted");
    const run = spawnSync(process.execPath, [AIRLOCK, "install", "codex"], {
      cwd: box.project,
      env: { ...sandboxEnv(box), PATH: "/usr/bin:/bin" },
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/codex is not on PATH.*run `airlock install codex` again/);
    const out = doctor(box).stdout;
    expect(out).toContain("Codex: NOT PROTECTED");
    expect(out).toMatch(/Codex does NOT run airlock's hook: .*hooks\.json is untrusted/);
  });
});
