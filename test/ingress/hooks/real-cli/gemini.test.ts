import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, watch } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { GEMINI, gemini } from "./agents.js";
import { realCliCases, scenario, stopDaemons, toolResults, trackedSandbox } from "./cases.js";
import { geminiApi } from "./gemini-api.js";
import { AIRLOCK, install, markerCommand, runAgent, sandboxEnv, told } from "./harness.js";
import { startModelServer } from "./model-server.js";

/** Gemini CLI (@google/gemini-cli), headless (`gemini -m gemini-2.5-flash -p --yolo`: a named model skips the routing requests), its model at GOOGLE_GEMINI_BASE_URL. */

const spec = gemini;

realCliCases(spec);

describe("gemini: a hold the person at the keyboard may confirm", () => {
  afterAll(stopDaemons);

  // Gemini 0.61 turns "ask" into a confirmation it waits for in every mode: headless (`-p`), nothing
  // answers it and the run never ends. So airlock asks only an interactive Gemini, and denies otherwise.
  it("headless (-p): is denied, saying why, nothing runs, and the run ends", async () => {
    const s = await scenario(spec, "airlock-ask-marker");
    expect(s.model.calls.length, told(s.run)).toBeGreaterThan(0);
    expect(existsSync(s.marker), `the held command ran: ${told(s.run)}`).toBe(false);
    expect(toolResults(s.model)).toMatch(/cannot ask the person at the keyboard/);
  });

  it("interactive (in a terminal): Gemini asks the person, and the command runs once they confirm", async () => {
    const box = trackedSandbox("gemini-interactive");
    const { command, marker } = markerCommand(box, "airlock-ask-marker");
    const model = await startModelServer(geminiApi, {
      tool: spec.shellTool,
      args: (tool) => spec.shellArgs(tool, command, box.project),
    });
    const line = [GEMINI, "-m", "gemini-2.5-flash", "-i", "Touch the marker file.", "--yolo"].join(" ");
    // `script` gives Gemini a terminal, as a person's would be; the test types Enter into it.
    const child = spawn("script", ["-qfec", line, "/dev/null"], {
      cwd: box.project,
      env: sandboxEnv(box, {
        GEMINI_API_KEY: "test-key",
        GOOGLE_GEMINI_BASE_URL: model.url,
        TERM: "xterm-256color",
      }),
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let screen = "";
    try {
      spec.prepare?.(box, model.url);
      install(box, "gemini");
      const created = new Promise<void>((resolve) => {
        const watcher = watch(box.project, () => {
          if (existsSync(marker)) {
            watcher.close();
            resolve();
          }
        });
      });
      const ended = new Promise<never>((_, reject) =>
        child.on("exit", (code) =>
          reject(new Error(`Gemini ended (${code}) before the command ran:\n${screen.slice(-3000)}`)),
        ),
      );
      // Gemini titles its terminal "Action Required" while it waits for the confirmation: from then
      // on, Enter (its default answer, "allow once") until the command has run.
      child.stdout?.on("data", (d: Buffer) => {
        screen += d.toString();
        if (screen.includes("Action Required") && !existsSync(marker)) child.stdin?.write("\r");
      });
      await Promise.race([created, ended]);
      expect(screen).toContain("airlock holds this action for human approval");
      expect(screen).not.toContain("cannot ask the person at the keyboard");
      expect(existsSync(marker)).toBe(true);
    } finally {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
      await model.close();
    }
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
