import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { GEMINI, gemini } from "./agents.js";
import { realCliCases, scenario, stopDaemons, toolResults, trackedSandbox } from "./cases.js";
import { geminiApi } from "./gemini-api.js";
import { AIRLOCK, markerCommand, runAgent, sandboxEnv, told } from "./harness.js";
import { startModelServer } from "./model-server.js";

/** Gemini CLI (@google/gemini-cli), headless (`gemini -m gemini-2.5-flash -p --yolo`: a named model skips the routing requests), its model at GOOGLE_GEMINI_BASE_URL. */

const spec = gemini;

realCliCases(spec);

describe("gemini: a hold the person at the keyboard may confirm", () => {
  afterAll(stopDaemons);

  // Gemini 0.61 accepts decision "ask", but headless it then waits for ever (measured: the run never
  // ended), and the hook cannot tell a headless run: so the hold is denied, and the run ends.
  it("is denied, saying why, and nothing runs", async () => {
    const s = await scenario(spec, "airlock-ask-marker");
    expect(s.model.calls.length, told(s.run)).toBeGreaterThan(0);
    expect(existsSync(s.marker), `the held command ran: ${told(s.run)}`).toBe(false);
    expect(toolResults(s.model)).toMatch(/cannot ask the person at the keyboard/);
  });
});

describe("gemini: a stripped environment (GITHUB_SHA set)", () => {
  afterAll(stopDaemons);

  it("still judges by the policy and socket given at install, carried in the hook entry", async () => {
    const box = trackedSandbox("gemini-strict");
    const { command, marker } = markerCommand(box, "airlock-deny-marker");
    const model = await startModelServer(geminiApi, {
      tool: spec.shellTool,
      args: (tool) => spec.shellArgs(tool, command, box.project),
    });
    try {
      spec.prepare?.(box, model.url);
      // The policy as the variable, not --policy: install must carry it where Gemini cannot strip it.
      const run = spawnSync(process.execPath, [AIRLOCK, "install", "gemini"], {
        cwd: box.project,
        env: sandboxEnv(box, { AIRLOCK_POLICY: box.policy }),
        encoding: "utf8",
      });
      expect(run.status, run.stderr).toBe(0);
      const settings = readFileSync(spec.settings(box), "utf8");
      expect(settings).toContain(`--policy ${box.policy}`);
      expect(JSON.parse(settings).hooks.BeforeTool[0].hooks[0].env).toEqual({
        AIRLOCK_HOOK_SOCKET: box.socket,
      });
      const agent = await runAgent(
        GEMINI,
        ["-m", "gemini-2.5-flash", "-p", "Touch the marker file.", "--yolo", "--output-format", "json"],
        {
          cwd: box.project,
          env: sandboxEnv(box, {
            GEMINI_API_KEY: "test-key",
            GOOGLE_GEMINI_BASE_URL: model.url,
            GITHUB_SHA: "0123456789abcdef",
            AIRLOCK_POLICY: box.policy,
          }),
        },
      );
      expect(model.calls.length, told(agent)).toBeGreaterThan(0);
      expect(existsSync(marker), `the denied command ran: ${told(agent)}`).toBe(false);
      expect(toolResults(model)).toMatch(/airlock denied this action/);
    } finally {
      await model.close();
    }
  });
});
