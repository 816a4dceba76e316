import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CliName } from "../../../../src/ingress/hooks/types.js";
import { type AgentRun, install, markerCommand, rewrite, type Sandbox, sandbox, told } from "./harness.js";
import { type ModelServer, type ScriptedCall, type ScriptedPick, startModelServer } from "./model-server.js";

/**
 * The four checks every real CLI must pass with airlock installed the default way: a deny blocks,
 * an allow runs, a hook that cannot start blocks, and a malformed answer blocks. Each is one headless
 * run in its own sandbox, with the model scripted to make one shell tool call.
 */

export interface AgentSpec {
  cli: CliName;
  /** The vendor API the model endpoint speaks. */
  vendor: (
    path: string,
    body: Record<string, unknown>,
    res: import("node:http").ServerResponse,
    pick: () => ScriptedPick,
  ) => boolean;
  /** The shell tool, from the names the CLI declares to the model. */
  shellTool: (declared: string[]) => string | undefined;
  /** The shell tool's arguments for a command line. */
  shellArgs: (tool: string, command: string, cwd: string) => Record<string, unknown>;
  /** The CLI's own file tools: reading a file, and writing one (with its content). */
  files?: {
    read: (path: string) => { tool: string; args: Record<string, unknown> };
    write: (path: string, content: string) => { tool: string; args: Record<string, unknown> };
  };
  /** Where the CLI keeps MCP servers (user scope), and the name it gives the model for a server's tool. */
  mcp?: {
    configure: (box: Sandbox, servers: Record<string, McpServerEntry>) => void;
    tool: (server: string, tool: string) => string;
  };
  /** Prepare the sandbox (config files) before `airlock install`. */
  prepare?: (box: Sandbox, model: string) => void;
  /** After the test changed the installed settings (Codex: trust the changed hook again, as a person would). */
  afterTamper?: (box: Sandbox) => Promise<void>;
  /** Run the CLI headless to its end (with `extra` variables in its environment). */
  run: (box: Sandbox, model: string, extra?: Record<string, string>) => Promise<AgentRun>;
  /** The settings file airlock installed into. */
  settings: (box: Sandbox) => string;
}

/** A stdio MCP server as the CLIs' configurations describe one. */
export interface McpServerEntry {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The airlock checkout whose paths the installed hook command holds. */
const CHECKOUT = new URL("../../../../", import.meta.url).pathname.replace(/\/$/, "");

interface Scenario {
  box: Sandbox;
  model: ModelServer;
  run: AgentRun;
  marker: string;
}

const daemons: Sandbox[] = [];

/** A sandbox whose hook daemon `stopDaemons` ends. */
export function trackedSandbox(name: string): Sandbox {
  const box = sandbox(name);
  daemons.push(box);
  return box;
}

/** One headless run: `command` (default: touch the marker) is the scripted tool call. */
export function scenario(
  spec: AgentSpec,
  markerName: string,
  tamper?: (box: Sandbox) => (() => void) | undefined,
  installArgs: string[] = [],
  script: (box: Sandbox, marker: string) => string = (_box, marker) => `touch ${marker}`,
): Promise<Scenario> {
  return scriptedScenario(
    spec,
    markerName,
    (box, marker) => {
      const command = script(box, marker);
      return { tool: spec.shellTool, args: (tool) => spec.shellArgs(tool, command, box.project) };
    },
    tamper,
    installArgs,
  );
}

/** One headless run whose one tool call is `call` (made from the sandbox and the marker's path). */
export async function scriptedScenario(
  spec: AgentSpec,
  markerName: string,
  call: (box: Sandbox, marker: string) => ScriptedCall,
  tamper?: (box: Sandbox) => (() => void) | undefined,
  installArgs: string[] = [],
  before?: (box: Sandbox) => void,
): Promise<Scenario> {
  const box = trackedSandbox(spec.cli);
  const { marker } = markerCommand(box, markerName);
  before?.(box);
  const model = await startModelServer(spec.vendor, call(box, marker));
  let undo: (() => void) | undefined;
  try {
    spec.prepare?.(box, model.url);
    install(box, spec.cli, installArgs);
    undo = tamper?.(box);
    if (tamper) await spec.afterTamper?.(box);
    const run = await spec.run(box, model.url);
    return { box, model, run, marker };
  } finally {
    undo?.();
    await model.close();
  }
}

/** The scripted call of one of the CLI's file tools, when the CLI declares it. */
function fileTool(made: { tool: string; args: Record<string, unknown> }): ScriptedCall {
  return {
    tool: (declared) => (declared.includes(made.tool) ? made.tool : undefined),
    args: () => made.args,
  };
}

/** The daemons the hooks started on first use, one per sandbox. */
export async function stopDaemons(): Promise<void> {
  const { daemonHealth } = await import("../../../../src/cli/hook-daemon.js");
  for (const box of daemons.splice(0)) {
    const health = await daemonHealth(box.socket);
    const pid = Number(health?.split(" ")[1]);
    if (pid > 0) process.kill(pid, "SIGTERM");
  }
}

/** What the model was told the tool did: the tool results in the requests after the call. */
export function toolResults(model: ModelServer): string {
  return model.log
    .map((l) => JSON.stringify(l.body))
    .filter((t) => /tool_result|functionResponse|function_call_output|"role":"tool"/.test(t))
    .join("\n");
}

export function realCliCases(spec: AgentSpec): void {
  afterAll(stopDaemons);
  describe(`${spec.cli}: the real CLI with airlock installed`, () => {
    it("runs an allowed command", async () => {
      const s = await scenario(spec, "allow-marker");
      expect(s.model.calls.length, told(s.run)).toBeGreaterThan(0);
      expect(existsSync(s.marker), `the allowed command did not run: ${told(s.run)}`).toBe(true);
    });

    it("blocks a denied command, and the model is told why", async () => {
      const s = await scenario(spec, "airlock-deny-marker");
      expect(s.model.calls.length, told(s.run)).toBeGreaterThan(0);
      expect(existsSync(s.marker), `the denied command ran: ${told(s.run)}`).toBe(false);
      expect(toolResults(s.model)).toMatch(/airlock denied this action/);
    });

    it("blocks when the hook cannot start (airlock moved away)", async () => {
      const s = await scenario(spec, "moved-marker", (box) => {
        rewrite(spec.settings(box), CHECKOUT, "/nonexistent/airlock-moved");
        return undefined;
      });
      expect(s.model.calls.length, told(s.run)).toBeGreaterThan(0);
      expect(existsSync(s.marker), `the command ran with no hook: ${told(s.run)}`).toBe(false);
    });

    it("blocks when the hook cannot start (--no-daemon: node alone, airlock moved away)", async () => {
      const s = await scenario(
        spec,
        "moved-node-marker",
        (box) => {
          rewrite(spec.settings(box), CHECKOUT, "/nonexistent/airlock-moved");
          return undefined;
        },
        ["--no-daemon"],
      );
      expect(s.model.calls.length, told(s.run)).toBeGreaterThan(0);
      expect(existsSync(s.marker), `the command ran with no hook: ${told(s.run)}`).toBe(false);
    });

    it("blocks when node is gone", async () => {
      const s = await scenario(spec, "no-node-marker", (box) => {
        rewrite(spec.settings(box), process.execPath, "/nonexistent/node");
        return undefined;
      });
      expect(s.model.calls.length, told(s.run)).toBeGreaterThan(0);
      expect(existsSync(s.marker), `the command ran with no node: ${told(s.run)}`).toBe(false);
    });

    const files = spec.files;
    if (files) {
      it("sends its own read tool to the policy: a read it denies is blocked, another runs", async () => {
        const secret = "TOPSECRET-4711";
        const open = "PUBLIC-0815";
        const put = (box: Sandbox) => {
          writeFileSync(join(box.project, "airlock-deny-secret.txt"), `${secret}\n`);
          writeFileSync(join(box.project, "readable.txt"), `${open}\n`);
        };
        const denied = await scriptedScenario(
          spec,
          "read-denied",
          (box) => fileTool(files.read(join(box.project, "airlock-deny-secret.txt"))),
          undefined,
          [],
          put,
        );
        expect(denied.model.calls.length, told(denied.run)).toBeGreaterThan(0);
        expect(toolResults(denied.model), told(denied.run)).toMatch(/airlock denied this action/);
        expect(toolResults(denied.model)).not.toContain(secret);
        const allowed = await scriptedScenario(
          spec,
          "read-allowed",
          (box) => fileTool(files.read(join(box.project, "readable.txt"))),
          undefined,
          [],
          put,
        );
        expect(allowed.model.calls.length, told(allowed.run)).toBeGreaterThan(0);
        expect(toolResults(allowed.model), told(allowed.run)).toContain(open);
      });

      it("sends its own write tool inside the project to the policy: a write it denies is blocked, another runs", async () => {
        const denied = await scriptedScenario(spec, "airlock-deny-written.txt", (_box, marker) =>
          fileTool(files.write(marker, "written by the agent\n")),
        );
        expect(denied.model.calls.length, told(denied.run)).toBeGreaterThan(0);
        expect(existsSync(denied.marker), `the denied write ran: ${told(denied.run)}`).toBe(false);
        expect(toolResults(denied.model)).toMatch(/airlock denied this action/);
        const allowed = await scriptedScenario(spec, "written.txt", (_box, marker) =>
          fileTool(files.write(marker, "written by the agent\n")),
        );
        expect(allowed.model.calls.length, told(allowed.run)).toBeGreaterThan(0);
        expect(existsSync(allowed.marker), `the allowed write did not run: ${told(allowed.run)}`).toBe(true);
        expect(readFileSync(allowed.marker, "utf8")).toContain("written by the agent");
      });
    }

    it("blocks when the hook daemon answers something malformed", async () => {
      let close = () => {};
      const s = await scenario(spec, "malformed-marker", (box) => {
        mkdirSync(dirname(box.socket), { recursive: true, mode: 0o700 });
        const server = createServer((_req, res) =>
          res.writeHead(200).end("airlock-hook/1\nexit 0\nstdout {\n"),
        );
        server.listen(box.socket);
        close = () => server.close();
        return () => close();
      });
      expect(s.model.calls.length, told(s.run)).toBeGreaterThan(0);
      expect(existsSync(s.marker), `the command ran on a malformed answer: ${told(s.run)}`).toBe(false);
      expect(toolResults(s.model)).toMatch(/answered something unreadable/);
    });
  });
}
