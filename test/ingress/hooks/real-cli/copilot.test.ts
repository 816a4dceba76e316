import { join } from "node:path";
import { anthropic } from "./anthropic.js";
import { realCliCases } from "./cases.js";
import { cliBinary, runAgent, sandboxEnv } from "./harness.js";

/**
 * GitHub Copilot CLI (@github/copilot), headless (`copilot -p --allow-all-tools`), offline
 * (COPILOT_OFFLINE), its model a bring-your-own Anthropic provider at COPILOT_PROVIDER_BASE_URL.
 */

const COPILOT = cliBinary("copilot", "@github/copilot");

realCliCases({
  cli: "copilot",
  vendor: anthropic,
  shellTool: (declared) => (declared.includes("bash") ? "bash" : undefined),
  shellArgs: (_tool, command) => ({ command, description: "touch the test's marker" }),
  files: {
    read: (path) => ({ tool: "view", args: { path } }),
    write: (path, content) => ({ tool: "create", args: { path, file_text: content } }),
  },
  settings: (box) => join(box.home, ".copilot", "hooks", "airlock.json"),
  run: (box, model) =>
    runAgent(COPILOT, ["-p", "Touch the marker file.", "--allow-all-tools"], {
      cwd: box.project,
      env: sandboxEnv(box, {
        COPILOT_OFFLINE: "true",
        COPILOT_PROVIDER_TYPE: "anthropic",
        COPILOT_PROVIDER_BASE_URL: model,
        COPILOT_PROVIDER_API_KEY: "test-key",
        COPILOT_MODEL: "claude-sonnet-4.5",
      }),
    }),
});
