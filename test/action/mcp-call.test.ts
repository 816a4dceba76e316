import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import type { Decision } from "../../src/action/decision.js";
import { actionDigest, actionIdentity } from "../../src/action/digest.js";
import { mcpAction } from "../../src/action/mcp-call.js";
import type { Action } from "../../src/action/schema.js";
import { loadCliHook } from "../../src/ingress/hooks/registry.js";
import { AirlockClient } from "../../src/sdk/client.js";
import { toolCall } from "../../src/sdk/tool-actions.js";
import { makeToken, startTestServer, type TestServer } from "../ingress/http/harness.js";
import { decision, throughProxy } from "../ingress/mcp/in-process.js";

/**
 * One builder of `mcp` Actions (src/action/mcp-call.ts) behind the three doors a tool call comes in
 * by: an agent CLI's hook, the MCP proxy, the SDK's `toolCall`. The same call is the same Action, and
 * `airlock serve` gives it the same digest, whichever door it came through.
 */

const SERVER = "sdk"; // the SDK's `toolCall` names its tools' server "sdk"; the other doors can too
const TOOL = "create_issue";

/** What the hook of Claude Code makes of the call (Claude Code sends `{}` for a call without arguments). */
async function throughHook(args: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv = {}) {
  const hook = await loadCliHook("claude-code");
  const read = hook.read(
    {
      hook_event_name: "PreToolUse",
      tool_name: `mcp__${SERVER}__${TOOL}`,
      tool_input: args ?? {},
      tool_use_id: "toolu_01",
      cwd: tmpdir(),
    },
    env,
  );
  if (read.kind !== "act") throw new Error(`the hook did not act: ${JSON.stringify(read)}`);
  return read.action;
}

/** The Action the MCP proxy hands its decider for the call, through a real proxy session. */
async function throughProxyDoor(args: Record<string, unknown> | undefined, environment?: string) {
  const server = new McpServer({ name: SERVER, version: "1.0.0" });
  server.registerTool(TOOL, { inputSchema: { title: z.optional(z.string()) } }, async () => ({
    content: [{ type: "text", text: "created" }],
  }));
  const seen: unknown[] = [];
  const decider = {
    decide: async (action: unknown): Promise<Decision> => {
      seen.push(action);
      return decision("allow");
    },
  };
  const { client, session } = await throughProxy(server, { decider }, SERVER, environment);
  await client.callTool({ name: TOOL, ...(args !== undefined ? { arguments: args } : {}) });
  await client.close();
  await session.close();
  expect(seen).toHaveLength(1);
  return seen[0] as Action;
}

async function throughSdk(input: unknown) {
  return toolCall(TOOL)(input);
}

/** The identity without the agent, which only the hook names (its CLI) and the server replaces from the token. */
function identityBeyondAgent(action: Action) {
  const { agent: _agent, ...rest } = actionIdentity(action);
  return rest;
}

describe("the one builder of mcp Actions", () => {
  it("takes none for arguments as {} and keeps the door's environment under context", () => {
    const built = mcpAction({ server: "github", tool: "list_issues", environment: "production" });
    expect(built).toEqual({
      ok: true,
      action: {
        kind: "mcp",
        server: "github",
        tool: "list_issues",
        arguments: {},
        context: { environment: "production" },
      },
    });
    expect(mcpAction({ server: "github", tool: "list_issues", arguments: null })).toEqual(
      mcpAction({ server: "github", tool: "list_issues", arguments: {} }),
    );
  });

  it("refuses what is not a call, naming the field, and keeps the draft for the gate to refuse", () => {
    const cases = [
      [{ server: "", tool: "t" }, "server"],
      [{ server: "s", tool: "" }, "tool"],
      [{ server: "s", tool: "t", arguments: "rm -rf /" }, "arguments"],
      [{ server: "s", tool: "t", arguments: ["a"] }, "arguments"],
      [{ server: "s", tool: "t", annotations: { readOnlyHint: "yes" } }, "annotations.readOnlyHint"],
    ] as const;
    for (const [call, field] of cases) {
      const built = mcpAction(call);
      expect(built.ok, JSON.stringify(call)).toBe(false);
      if (built.ok) continue;
      expect(built.field).toBe(field);
      expect(built.draft).toMatchObject({ kind: "mcp", server: call.server, tool: call.tool });
    }
  });
});

describe("the three doors", () => {
  const args = { title: "Rotate the deploy key", labels: ["security"] };

  it("build the same Action for the same call: hook, MCP proxy and SDK", async () => {
    const hook = await throughHook(args);
    const proxy = await throughProxyDoor(args);
    const sdk = await throughSdk(args);
    expect(proxy).toEqual({ kind: "mcp", server: SERVER, tool: TOOL, arguments: args });
    expect(sdk).toEqual(proxy);
    // The hook adds commentary (its call id, an intent) and names its CLI, which the server replaces.
    expect(hook).toMatchObject({ ...proxy, id: "toolu_01", agent: { id: "claude-code" } });
    expect(identityBeyondAgent(hook)).toEqual(actionIdentity(proxy));
    expect(actionDigest(sdk)).toBe(actionDigest(proxy));
  });

  it("build the same Action for a call without arguments, whichever way 'none' was said", async () => {
    const proxy = await throughProxyDoor(undefined);
    expect(proxy).toEqual({ kind: "mcp", server: SERVER, tool: TOOL, arguments: {} });
    expect(await throughSdk(undefined)).toEqual(proxy);
    expect(await throughSdk(null)).toEqual(proxy);
    expect(identityBeyondAgent(await throughHook({}))).toEqual(actionIdentity(proxy));
    expect(await throughProxyDoor({})).toEqual(proxy);
  });

  it("put the environment each door is configured with in the same place", async () => {
    const hook = await throughHook(args, { AIRLOCK_ENVIRONMENT: "production" });
    const proxy = await throughProxyDoor(args, "production");
    expect(proxy.context).toEqual({ environment: "production" });
    expect(identityBeyondAgent(hook)).toEqual(actionIdentity(proxy));
  });
});

describe("the three doors, judged by airlock serve", () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "airlock-mcp-doors-")), "data");
    token = makeToken(dataDir, ["--name", "agent-7", "--role", "agent", "--on-behalf-of", "alice"]);
    server = await startTestServer({ dataDir });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("gives the same call from each door the same digest", async () => {
    const client = new AirlockClient({ url: server.url, token });
    for (const args of [{ title: "Rotate the deploy key" }, undefined]) {
      const actions = [await throughHook(args), await throughProxyDoor(args), await throughSdk(args)];
      const decisions = await Promise.all(actions.map((a) => client.submit(a)));
      const digests = decisions.map((d) => d.digest);
      expect(digests[0], JSON.stringify(decisions[0])).toMatch(/^[0-9a-f]{64}$/);
      expect(new Set(digests).size, JSON.stringify(digests)).toBe(1);
    }
  });
});
