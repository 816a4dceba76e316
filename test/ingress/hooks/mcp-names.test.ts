import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copilot } from "../../../src/ingress/hooks/copilot.js";
import { gemini } from "../../../src/ingress/hooks/gemini.js";

/** MCP tools under Gemini's and Copilot's own names, and the Gemini tools airlock knows as harmless. */

const root = mkdtempSync(join(tmpdir(), "airlock-mcp-names-"));
const project = join(root, "shop");
const home = join(root, "home");
mkdirSync(join(home, ".gemini"), { recursive: true });
mkdirSync(join(home, ".copilot"), { recursive: true });
mkdirSync(project);
writeFileSync(
  join(home, ".gemini", "settings.json"),
  JSON.stringify({ mcpServers: { pg_prod: { command: "x" } } }),
);
writeFileSync(
  join(home, ".copilot", "mcp-config.json"),
  JSON.stringify({ mcpServers: { "pg-prod": { command: "x" } } }),
);
const env = { HOME: home };

const geminiCall = (tool: string) =>
  gemini.read(
    { hook_event_name: "BeforeTool", cwd: project, tool_name: tool, tool_input: { sql: "DROP TABLE t" } },
    env,
  );
const copilotCall = (tool: string) =>
  copilot.read({ cwd: project, toolName: tool, toolArgs: { sql: "DROP TABLE t" } }, env);

describe("MCP tool names", () => {
  it("Gemini mcp_<server>_<tool>: the configured server wins over the first underscore", () => {
    expect(geminiCall("mcp_pg_prod_run_query")).toMatchObject({
      action: { kind: "mcp", server: "pg_prod", tool: "run_query" },
    });
    expect(geminiCall("mcp_files_read_text")).toMatchObject({
      action: { server: "files", tool: "read_text" },
    });
  });

  it("Copilot <server>-<tool>: the configured server wins over the first hyphen", () => {
    expect(copilotCall("pg-prod-query")).toMatchObject({
      action: { kind: "mcp", server: "pg-prod", tool: "query" },
    });
    expect(copilotCall("github-list_issues")).toMatchObject({
      action: { server: "github", tool: "list_issues" },
    });
    // Built-in tools have no hyphen: still Copilot's own.
    expect(copilotCall("write_agent")).toMatchObject({ action: { server: "copilot", tool: "write_agent" } });
  });

  it.each(["invoke_agent", "activate_skill", "enter_plan_mode", "exit_plan_mode"])(
    "Gemini %s is its own known tool: sent to the gate (judged and audited), not passed",
    (tool) => {
      expect(geminiCall(tool)).toMatchObject({
        kind: "act",
        action: { kind: "mcp", server: "gemini", tool, intent: `gemini tool ${tool}` },
      });
    },
  );
});
