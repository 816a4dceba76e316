import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type AgentSpec, realCliCases, scenario, stopDaemons, toolResults } from "./cases.js";
import { geminiApi } from "./gemini-api.js";
import { cliBinary, runAgent, sandboxEnv, told } from "./harness.js";

/** Gemini CLI (@google/gemini-cli), headless (`gemini -m gemini-2.5-flash -p --yolo`: a named model skips the routing requests), its model at GOOGLE_GEMINI_BASE_URL. */

const GEMINI = cliBinary("gemini", "@google/gemini-cli");

const spec: AgentSpec = {
  cli: "gemini",
  vendor: geminiApi,
  shellTool: (declared) => (declared.includes("run_shell_command") ? "run_shell_command" : undefined),
  shellArgs: (_tool, command) => ({ command, description: "touch the test's marker" }),
  settings: (box) => join(box.home, ".gemini", "settings.json"),
  prepare: (box) => {
    // An API key sign-in, and no folder-trust prompt (headless runs cannot answer it).
    mkdirSync(join(box.home, ".gemini"), { recursive: true });
    const settings = {
      security: { auth: { selectedType: "gemini-api-key" }, folderTrust: { enabled: false } },
    };
    writeFileSync(join(box.home, ".gemini", "settings.json"), JSON.stringify(settings));
  },
  run: (box, model) =>
    runAgent(
      GEMINI,
      ["-m", "gemini-2.5-flash", "-p", "Touch the marker file.", "--yolo", "--output-format", "json"],
      {
        cwd: box.project,
        env: sandboxEnv(box, { GEMINI_API_KEY: "test-key", GOOGLE_GEMINI_BASE_URL: model }),
      },
    ),
};

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
