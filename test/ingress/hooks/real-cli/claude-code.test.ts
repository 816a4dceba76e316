import { join } from "node:path";
import { anthropic } from "./anthropic.js";
import { realCliCases } from "./cases.js";
import { cliBinary, runAgent, sandboxEnv } from "./harness.js";

/** Claude Code (@anthropic-ai/claude-code), headless (`claude -p`), its model at ANTHROPIC_BASE_URL. */

const CLAUDE = cliBinary("claude", "@anthropic-ai/claude-code");

realCliCases({
  cli: "claude-code",
  vendor: anthropic,
  shellTool: (declared) => (declared.includes("Bash") ? "Bash" : undefined),
  shellArgs: (_tool, command) => ({ command, description: "touch the test's marker" }),
  files: {
    read: (path) => ({ tool: "Read", args: { file_path: path } }),
    write: (path, content) => ({ tool: "Write", args: { file_path: path, content } }),
  },
  settings: (box) => join(box.home, ".claude", "settings.json"),
  run: (box, model) =>
    runAgent(
      CLAUDE,
      ["-p", "Touch the marker file.", "--allowedTools", "Bash Read Write", "--output-format", "json"],
      {
        cwd: box.project,
        env: sandboxEnv(box, {
          ANTHROPIC_BASE_URL: model,
          ANTHROPIC_API_KEY: "sk-ant-test",
          DISABLE_AUTOUPDATER: "1",
        }),
      },
    ),
});
