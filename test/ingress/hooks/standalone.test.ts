import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliName } from "../../../src/ingress/hooks/types.js";
import {
  CLIS,
  expectAllowed,
  expectAsked,
  expectBlocked,
  fixture,
  hookEnv,
  runHook,
  sandbox,
} from "./run-hook.js";

/**
 * Standalone mode (no AIRLOCK_URL): the local policy decides. One realistic input per CLI per case,
 * in test/ingress/hooks/fixtures/<cli>/<case>.json.
 */

const dirs = sandbox();
const env = hookEnv(dirs.home);
const run = (cli: CliName, name: string) => runHook(cli, fixture(cli, name, dirs), env);

/** The CLIs whose hooks can ask the person at the keyboard (Cursor: for shell and MCP events). */
const CAN_ASK: ReadonlySet<CliName> = new Set(["claude-code", "cursor", "copilot"]);
const CAN_ASK_FOR_FILES: ReadonlySet<CliName> = new Set(["claude-code", "copilot"]);

describe.each(CLIS)("airlock hook %s, standalone", (cli) => {
  it("lets a read-only command through without an opinion", async () => {
    expectAllowed(cli, await run(cli, "allow"));
  });

  it("lets read tools and writes inside the project through (the default policy allows them)", async () => {
    expectAllowed(cli, await run(cli, "read-tool"));
    expectAllowed(cli, await run(cli, "write-inside"));
  });

  it("denies what the policy denies, saying why and not to work around it", async () => {
    const reason = expectBlocked(cli, await run(cli, "deny"));
    expect(reason).toContain("wipe-denied");
    expect(reason).toMatch(/Do not try another way/);
  });

  it("denies a hold that needs approvers, since no server can collect them", async () => {
    const reason = expectBlocked(cli, await run(cli, "hold"));
    expect(reason).toContain("production-destruction");
    expect(reason).toMatch(/2 approvers, then a 10 min wait/);
    expect(reason).toContain("AIRLOCK_URL");
  });

  it("asks the person at the keyboard about a low-risk hold, where the CLI can ask", async () => {
    const result = await run(cli, "ask");
    if (CAN_ASK.has(cli)) expect(expectAsked(cli, result)).toContain("unknown-environment-destruction");
    else expect(expectBlocked(cli, result)).toMatch(/cannot ask the person at the keyboard/);
  });

  it("needs a person for writes outside the project", async () => {
    const result = await run(cli, "write-outside");
    const reason = CAN_ASK_FOR_FILES.has(cli) ? expectAsked(cli, result) : expectBlocked(cli, result);
    expect(reason).toMatch(/outside the project/);
  });

  it("denies the file tool's write to the agent's own hook settings: airlock protects itself", async () => {
    const reason = expectBlocked(cli, await run(cli, "write-settings"));
    expect(reason).toMatch(/airlock protects itself/);
    expect(reason).toMatch(/ask your user/);
  });

  it("judges MCP tool calls as mcp actions, SQL arguments included", async () => {
    expectAllowed(cli, await run(cli, "mcp-allow"));
    expect(expectBlocked(cli, await run(cli, "mcp-hold"))).toMatch(/DROP DATABASE|database orders_prod/i);
  });

  it("holds the deletion of a production stack", async () => {
    expect(expectBlocked(cli, await run(cli, "stack"))).toMatch(/DeleteStack|delete-stack/);
  });
});

/** A policy that keeps the agent out of one file and one folder: reads and writes are under policy too. */
const FENCED = `version: 1
name: fenced
rules:
  - id: no-secrets-folder
    reason: The agent stays out of the secrets folder
    match: {}
    when: 'op.targets.exists(t, t.name.contains("/secrets/"))'
    decision: deny
  - id: everything-else
    reason: The rest is allowed
    match: {}
    decision: allow
`;

describe.each(CLIS)("airlock hook %s: reads and writes inside the project are under policy", (cli) => {
  const policy = join(dirname(dirs.project), "fenced.yaml");
  writeFileSync(policy, FENCED);
  const fenced = { ...env, AIRLOCK_POLICY: policy };
  const secret = (text: string) => text.replaceAll(`${dirs.project}/`, `${dirs.project}/secrets/`);
  // Codex reads through its shell: its read-tool fixture is an MCP call, judged as such.
  const cases = cli === "codex" ? ["write-inside"] : ["read-tool", "write-inside"];

  it("a policy can deny a read tool and a write inside the project", async () => {
    for (const name of cases) {
      const input = fixture(cli, name, dirs);
      expectAllowed(cli, await runHook(cli, input, fenced));
      const reason = expectBlocked(cli, await runHook(cli, secret(input), fenced));
      expect(reason).toContain("no-secrets-folder");
    }
  });
});

describe("CLI specifics", () => {
  it("kiro: use_aws is an aws action", async () => {
    expectAllowed("kiro", await run("kiro", "aws-allow"));
    const reason = expectBlocked("kiro", await run("kiro", "aws-hold"));
    expect(reason).toContain("cloudformation:DeleteStack on stack prod-payments");
  });

  it("cursor: a shell call in preToolUse is left to beforeShellExecution, which judges it", async () => {
    expectAllowed("cursor", await run("cursor", "shell-in-pretooluse"));
  });

  it("copilot: the VS Code compatible (PascalCase) payload is read too", async () => {
    expectBlocked("copilot", await run("copilot", "pascal-case"));
  });

  it("claude-code: the project is CLAUDE_PROJECT_DIR when Claude Code sets it", async () => {
    const input = fixture("claude-code", "write-outside", dirs);
    const result = await runHook("claude-code", input, { ...env, CLAUDE_PROJECT_DIR: dirs.outside });
    expectAllowed("claude-code", result);
  });
});
