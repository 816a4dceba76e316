import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { patchedFiles } from "../../../src/analyze/shell/apply-patch.js";
import { claudeCode } from "../../../src/ingress/hooks/claude-code.js";
import { codex } from "../../../src/ingress/hooks/codex.js";
import { cursor } from "../../../src/ingress/hooks/cursor.js";
import { gemini } from "../../../src/ingress/hooks/gemini.js";
import { kiro } from "../../../src/ingress/hooks/kiro.js";
import { isInside } from "../../../src/ingress/hooks/project.js";
import { budgetFor } from "../../../src/ingress/hooks/run.js";

/** How each CLI's tool call becomes an Action (in-process: the adapters are pure apart from paths). */

const root = mkdtempSync(join(tmpdir(), "airlock-translate-"));
const project = join(root, "shop");
mkdirSync(join(project, "src"), { recursive: true });

describe("tool calls to Actions", () => {
  it("Claude Code Bash: a shell action in the session's directory, named by the CLI only", () => {
    const call = claudeCode.read(
      {
        session_id: "s1",
        cwd: project,
        hook_event_name: "PreToolUse",
        tool_name: "Bash",
        tool_input: { command: "ls -la" },
        tool_use_id: "toolu_1",
      },
      { AIRLOCK_ENVIRONMENT: "staging" },
    );
    expect(call).toEqual({
      kind: "act",
      action: {
        kind: "shell",
        command: "ls -la",
        cwd: project,
        id: "toolu_1",
        agent: { id: "claude-code" },
        intent: "claude-code Bash tool runs a command",
        context: { environment: "staging" },
      },
    });
  });

  it("MCP names: mcp__server__tool, keeping underscores in the server and the rest as the tool", () => {
    const call = claudeCode.read(
      { cwd: project, tool_name: "mcp__my_db__run__query", tool_input: { sql: "select 1" } },
      {},
    );
    expect(call).toMatchObject({ action: { kind: "mcp", server: "my_db", tool: "run__query" } });
  });

  it("Kiro use_aws: an aws action in the AWS CLI's spelling", () => {
    const call = kiro.read(
      {
        hook_event_name: "preToolUse",
        cwd: project,
        tool_name: "use_aws",
        tool_input: {
          service_name: "rds",
          operation_name: "delete-db-instance",
          parameters: { "db-instance-identifier": "orders-prod", "skip-final-snapshot": true },
          region: "eu-west-1",
          profile_name: "prod",
          label: "Remove the old database",
        },
      },
      {},
    );
    expect(call).toMatchObject({
      kind: "act",
      action: {
        kind: "aws",
        service: "rds",
        operation: "delete-db-instance",
        params: { "db-instance-identifier": "orders-prod", "skip-final-snapshot": true },
        region: "eu-west-1",
        profile: "prod",
        intent: "Remove the old database",
      },
    });
  });

  it("Gemini run_shell_command: dir_path is the command's directory", () => {
    const call = gemini.read(
      {
        cwd: project,
        hook_event_name: "BeforeTool",
        tool_name: "run_shell_command",
        tool_input: { command: "make", dir_path: "src" },
      },
      {},
    );
    expect(call).toMatchObject({ action: { kind: "shell", command: "make", cwd: join(project, "src") } });
  });

  it("Codex: an argv command is read through its shell, and apply_patch names its files", () => {
    const call = codex.read(
      {
        cwd: project,
        hook_event_name: "PreToolUse",
        tool_name: "Bash",
        tool_input: { command: ["bash", "-lc", "rm -rf dist"] },
      },
      {},
    );
    expect(call).toMatchObject({ action: { command: "rm -rf dist" } });
    expect(
      patchedFiles(
        "*** Begin Patch\n*** Update File: a.ts\n*** Move to: b.ts\n*** Delete File: /etc/x\n*** Add File: c.ts\n*** End Patch",
      ),
    ).toEqual({ writes: ["a.ts", "b.ts", "c.ts"], deletes: ["/etc/x"] });
    const deleting = codex.read(
      {
        cwd: project,
        tool_name: "apply_patch",
        tool_input: {
          command: "*** Begin Patch\n*** Add File: src/x.ts\n+1\n*** Delete File: /etc/hosts\n*** End Patch",
        },
      },
      {},
    );
    expect(deleting).toMatchObject({ kind: "act", action: { kind: "shell", command: "rm -- /etc/hosts" } });
  });

  it("Cursor beforeMCPExecution: the server is named from its command, the arguments parsed from JSON", () => {
    const call = cursor.read(
      {
        hook_event_name: "beforeMCPExecution",
        workspace_roots: [project],
        tool_name: "query",
        tool_input: '{"sql":"select 1"}',
        command: "npx -y @modelcontextprotocol/server-postgres postgres://db/orders",
      },
      {},
    );
    expect(call).toMatchObject({
      action: { kind: "mcp", server: "server-postgres", tool: "query", arguments: { sql: "select 1" } },
    });
  });

  it("an unknown tool is judged like an MCP tool of the CLI itself", () => {
    const call = claudeCode.read({ cwd: project, tool_name: "FrobnicateTool", tool_input: { x: 1 } }, {});
    expect(call).toMatchObject({
      kind: "act",
      action: { kind: "mcp", server: "claude-code", tool: "FrobnicateTool" },
    });
  });

  it("another event than the one installed is refused", () => {
    expect(
      claudeCode.read({ hook_event_name: "PostToolUse", tool_name: "Bash", tool_input: {} }, {}).kind,
    ).toBe("refuse");
  });
});

describe("the project boundary", () => {
  it("follows symbolic links: a link inside the project to a directory outside is outside", () => {
    const outside = join(root, "elsewhere");
    mkdirSync(outside);
    symlinkSync(outside, join(project, "link"));
    expect(isInside(join(project, "src", "new.ts"), project)).toBe(true);
    expect(isInside(join(project, "link", "new.ts"), project)).toBe(false);
    expect(isInside(join(project, "..", "shop-other", "x"), project)).toBe(false);
  });
});

describe("the hook's budget", () => {
  it("is 8 s to decide, plus the wait when connected, ending 3 s before the CLI's timeout", () => {
    expect(budgetFor({})).toEqual({ ms: 8000, waitSeconds: 0 });
    expect(budgetFor({ AIRLOCK_WAIT_SECONDS: "60" })).toEqual({ ms: 8000, waitSeconds: 0 });
    const connected = { AIRLOCK_URL: "http://x", AIRLOCK_WAIT_SECONDS: "60" };
    expect(budgetFor(connected)).toEqual({ ms: 68_000, waitSeconds: 60 });
    expect(budgetFor(connected, 30)).toEqual({ ms: 27_000, waitSeconds: 19 });
    expect(budgetFor({ AIRLOCK_HOOK_TIMEOUT_MS: "500" }, 2)).toEqual({ ms: 500, waitSeconds: 0 });
    expect(budgetFor({}, 2)).toEqual({ ms: 1000, waitSeconds: 0 });
  });
});
