import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { trustAirlockCodexHooks } from "../../../../src/cli/codex-trust.js";
import { anthropic } from "./anthropic.js";
import type { AgentSpec, McpServerEntry } from "./cases.js";
import { geminiApi } from "./gemini-api.js";
import { cliBinary, runAgent, type Sandbox, sandboxEnv } from "./harness.js";
import { openaiResponses } from "./openai-responses.js";

/**
 * The real agent CLIs as the tests run them: each headless, its model the scripted endpoint, in a
 * throwaway HOME. Claude Code (`claude -p`, ANTHROPIC_BASE_URL); Gemini CLI (`gemini -m
 * gemini-2.5-flash -p --yolo`: a named model skips the routing requests; GOOGLE_GEMINI_BASE_URL);
 * Copilot CLI (`copilot -p --allow-all-tools`, offline, a bring-your-own Anthropic provider); Codex
 * (`codex exec`, a `[model_providers.scripted]` entry speaking the Responses API).
 */

/** Write `servers` into a JSON settings file under `mcpServers`, keeping what else it holds. */
function mcpServersIn(file: string, servers: Record<string, unknown>): void {
  mkdirSync(join(file, ".."), { recursive: true });
  let doc: Record<string, unknown> = {};
  try {
    doc = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    doc = {};
  }
  writeFileSync(file, JSON.stringify({ ...doc, mcpServers: servers }, null, 2));
}

const each = (servers: Record<string, McpServerEntry>, extra: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(servers).map(([name, entry]) => [name, { ...extra, ...entry }]));

export const CLAUDE = cliBinary("claude", "@anthropic-ai/claude-code");
export const GEMINI = cliBinary("gemini", "@google/gemini-cli");
export const COPILOT = cliBinary("copilot", "@github/copilot");
export const CODEX = cliBinary("codex", "@openai/codex");

export const claudeCode: AgentSpec = {
  cli: "claude-code",
  vendor: anthropic,
  shellTool: (declared) => (declared.includes("Bash") ? "Bash" : undefined),
  shellArgs: (_tool, command) => ({ command, description: "touch the test's marker" }),
  files: {
    read: (path) => ({ tool: "Read", args: { file_path: path } }),
    write: (path, content) => ({ tool: "Write", args: { file_path: path, content } }),
  },
  mcp: {
    configure: (box: Sandbox, servers) =>
      mcpServersIn(join(box.home, ".claude.json"), each(servers, { type: "stdio" })),
    tool: (server, tool) => `mcp__${server}__${tool}`,
  },
  settings: (box) => join(box.home, ".claude", "settings.json"),
  run: (box, model, extra = {}) =>
    runAgent(
      CLAUDE,
      [
        "-p",
        "Touch the marker file.",
        "--allowedTools",
        "Bash Read Write mcp__postgres__query",
        "--output-format",
        "json",
      ],
      {
        cwd: box.project,
        env: sandboxEnv(box, {
          ANTHROPIC_BASE_URL: model,
          ANTHROPIC_API_KEY: "sk-ant-test",
          DISABLE_AUTOUPDATER: "1",
          ...extra,
          // MCP tools declared to the model up front, not deferred behind its ToolSearch tool, and
          // only once the servers are connected: -p otherwise starts without a server still starting.
          ENABLE_TOOL_SEARCH: "false",
          MCP_CONNECTION_NONBLOCKING: "false",
        }),
      },
    ),
};

export const gemini: AgentSpec = {
  cli: "gemini",
  vendor: geminiApi,
  shellTool: (declared) => (declared.includes("run_shell_command") ? "run_shell_command" : undefined),
  shellArgs: (_tool, command) => ({ command, description: "touch the test's marker" }),
  files: {
    read: (path) => ({ tool: "read_file", args: { file_path: path } }),
    write: (path, content) => ({ tool: "write_file", args: { file_path: path, content } }),
  },
  mcp: {
    configure: (box: Sandbox, servers) =>
      mcpServersIn(join(box.home, ".gemini", "settings.json"), each(servers, {})),
    tool: (server, tool) => `mcp_${server}_${tool}`,
  },
  settings: (box) => join(box.home, ".gemini", "settings.json"),
  prepare: (box) => {
    // An API key sign-in, and no folder-trust prompt (headless runs cannot answer it).
    mkdirSync(join(box.home, ".gemini"), { recursive: true });
    const settings = {
      security: { auth: { selectedType: "gemini-api-key" }, folderTrust: { enabled: false } },
    };
    writeFileSync(join(box.home, ".gemini", "settings.json"), JSON.stringify(settings));
  },
  run: (box, model, extra = {}) =>
    runAgent(
      GEMINI,
      ["-m", "gemini-2.5-flash", "-p", "Touch the marker file.", "--yolo", "--output-format", "json"],
      {
        cwd: box.project,
        env: sandboxEnv(box, { GEMINI_API_KEY: "test-key", GOOGLE_GEMINI_BASE_URL: model, ...extra }),
      },
    ),
};

export const copilot: AgentSpec = {
  cli: "copilot",
  vendor: anthropic,
  shellTool: (declared) => (declared.includes("bash") ? "bash" : undefined),
  shellArgs: (_tool, command) => ({ command, description: "touch the test's marker" }),
  files: {
    read: (path) => ({ tool: "view", args: { path } }),
    write: (path, content) => ({ tool: "create", args: { path, file_text: content } }),
  },
  mcp: {
    configure: (box: Sandbox, servers) =>
      mcpServersIn(
        join(box.home, ".copilot", "mcp-config.json"),
        each(servers, { type: "local", tools: ["*"] }),
      ),
    tool: (server, tool) => `${server}-${tool}`,
  },
  settings: (box) => join(box.home, ".copilot", "hooks", "airlock.json"),
  run: (box, model, extra = {}) =>
    runAgent(COPILOT, ["-p", "Touch the marker file.", "--allow-all-tools"], {
      cwd: box.project,
      env: sandboxEnv(box, {
        COPILOT_OFFLINE: "true",
        COPILOT_PROVIDER_TYPE: "anthropic",
        COPILOT_PROVIDER_BASE_URL: model,
        COPILOT_PROVIDER_API_KEY: "test-key",
        COPILOT_MODEL: "claude-sonnet-4.5",
        ...extra,
      }),
    }),
};

export const codex: AgentSpec = {
  cli: "codex",
  vendor: openaiResponses,
  shellTool: (declared) => (declared.includes("exec_command") ? "exec_command" : undefined),
  shellArgs: (_tool, command) => ({ cmd: command }),
  mcp: {
    // As `codex mcp add NAME --env K=V -- COMMAND ARGS…` writes them, after the scripted provider.
    configure: (box: Sandbox, servers) => {
      const tables = Object.entries(servers).map(([name, entry]) =>
        [
          "",
          `[mcp_servers.${name}]`,
          `command = ${JSON.stringify(entry.command)}`,
          `args = [${entry.args.map((a) => JSON.stringify(a)).join(", ")}]`,
          "",
          `[mcp_servers.${name}.env]`,
          ...Object.entries(entry.env).map(([k, v]) => `${k} = ${JSON.stringify(v)}`),
          "",
        ].join("\n"),
      );
      appendFileSync(join(box.home, ".codex", "config.toml"), tables.join(""));
    },
    tool: (server, tool) => `mcp__${server}__${tool}`,
  },
  settings: (box) => join(box.home, ".codex", "hooks.json"),
  prepare: (box, model) => {
    mkdirSync(join(box.home, ".codex"), { recursive: true });
    writeFileSync(
      join(box.home, ".codex", "config.toml"),
      [
        'model = "gpt-scripted"',
        'model_provider = "scripted"',
        'approval_policy = "never"',
        'sandbox_mode = "danger-full-access"',
        "",
        "[model_providers.scripted]",
        'name = "scripted"',
        `base_url = "${model}/v1"`,
        'wire_api = "responses"',
        'env_key = "SCRIPTED_API_KEY"',
        "",
      ].join("\n"),
    );
  },
  // A changed hooks.json is a changed hook: trust it again through Codex, as its owner would.
  afterTamper: async (box) => {
    const hooks = await trustAirlockCodexHooks(CODEX, box.project, sandboxEnv(box));
    expect(hooks.map((h) => h.trustStatus)).toEqual(["trusted"]);
  },
  run: (box, _model, extra = {}) =>
    runAgent(CODEX, ["exec", "--skip-git-repo-check", "Touch the marker file."], {
      cwd: box.project,
      env: sandboxEnv(box, { SCRIPTED_API_KEY: "test-key", ...extra }),
    }),
};
