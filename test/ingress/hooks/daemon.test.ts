import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORWARDED_ENV } from "../../../src/ingress/hooks/daemon.js";
import type { CliName } from "../../../src/ingress/hooks/types.js";
import {
  airlock,
  BIN,
  CLIS,
  expectAllowed,
  expectBlocked,
  fixture,
  type HookRun,
  hookEnv,
  runHook,
  runWithInput,
  sandbox,
} from "./run-hook.js";

/** The fast path: bin/airlock-hook.sh and `airlock hook-daemon` answer exactly as `airlock hook`. */

const CLIENT = new URL("../../../bin/airlock-hook.sh", import.meta.url).pathname;
const ENTRY = new URL("../../../dist/airlock-hook.mjs", import.meta.url).pathname;
const dirs = sandbox();
const sockets = mkdtempSync(join(tmpdir(), "airlock-sock-"));
const SOCKET = join(sockets, "d", "hook.sock");
let daemon: ChildProcess;

/** No Node here: an answer from a client given this one came from the daemon, not the slow hook. */
const NO_NODE = "/nonexistent/node";

/** The fast client, run as the CLI runs it: through sh, in the project, the input on stdin. */
function fast(
  cli: string,
  input: string,
  env: NodeJS.ProcessEnv,
  args = ["--timeout", "30"],
  node = process.execPath,
): Promise<HookRun> {
  return runWithInput("sh", [CLIENT, node, ENTRY, cli, ...args], input, { env, cwd: dirs.project });
}

/**
 * Resolves once the daemon says it answers (it prints that line after it listens), however long a busy
 * machine makes that take; rejects with what it printed if it exits first. No clock: a slow start is
 * not a failure.
 */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      said += chunk.toString("utf8");
      if (said.includes("answering hooks on")) resolve();
    });
    child.once("exit", (code) =>
      reject(new Error(`airlock hook-daemon exited (${code}) before listening: ${said}`)),
    );
  });
}

/** A stand-in daemon on its own socket that answers every call with `handler`. */
async function fakeDaemon(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; socket: string }> {
  const socket = join(mkdtempSync(join(tmpdir(), "airlock-fake-")), "hook.sock");
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return { server, socket };
}

const env = hookEnv(dirs.home, { AIRLOCK_HOOK_SOCKET: SOCKET });

beforeAll(async () => {
  // The daemon's own environment points at a server that does not exist: a call must use the caller's.
  daemon = spawn(process.execPath, [BIN, "hook-daemon"], {
    env: hookEnv(dirs.home, {
      AIRLOCK_HOOK_SOCKET: SOCKET,
      AIRLOCK_URL: "http://127.0.0.1:9",
      AIRLOCK_TOKEN: "t",
    }),
    stdio: ["ignore", "ignore", "pipe"],
  });
  await ready(daemon);
});

afterAll(() => {
  daemon.kill("SIGTERM");
});

describe("airlock hook-daemon", () => {
  it("listens on a socket only its user can reach", () => {
    expect(statSync(SOCKET).mode & 0o777).toBe(0o600);
    expect(statSync(join(sockets, "d")).mode & 0o777).toBe(0o700);
  });

  it.each(CLIS)("answers %s exactly as `airlock hook` does", async (cli) => {
    for (const name of ["allow", "deny", "write-outside", "bad-shape"]) {
      const input = fixture(cli, name, dirs);
      const [quick, slow] = await Promise.all([
        fast(cli, input, env, ["--timeout", "30"], NO_NODE),
        runHook(cli, input, env, ["--timeout", "30"]),
      ]);
      expect(quick, `${cli} ${name}`).toEqual(slow);
    }
    expectAllowed(cli, await fast(cli, fixture(cli, "allow", dirs), env));
    expectBlocked(cli, await fast(cli, fixture(cli, "deny", dirs), env));
  });

  it("uses the caller's environment and directory, not its own", async () => {
    const input = fixture("claude-code", "allow", dirs);
    const viaDaemon = (extra: Record<string, string>, args: string[] = []) =>
      fast("claude-code", input, { ...env, ...extra }, ["--timeout", "30", ...args], NO_NODE);
    writeFileSync(join(dirs.project, "broken.yaml"), "version: 1\nrules: [ {\n");
    const policy = await viaDaemon({ AIRLOCK_POLICY: "broken.yaml" });
    expect(expectBlocked("claude-code", policy)).toMatch(/broken\.yaml.*\[policy_error\]/s);
    const viaFlag = await viaDaemon({}, ["--policy", "broken.yaml"]);
    expect(expectBlocked("claude-code", viaFlag)).toContain("[policy_error]");
    const remote = await viaDaemon({ AIRLOCK_URL: "http://127.0.0.1:9" });
    expect(expectBlocked("claude-code", remote)).toContain("AIRLOCK_TOKEN is not");
    // The daemon's own AIRLOCK_URL is not used for a caller without one.
    expectAllowed("claude-code", await viaDaemon({}));
  });

  it("denies an agent's kill of the daemon's own pid: the daemon is airlock", async () => {
    const input = JSON.stringify({
      session_id: "s",
      cwd: dirs.project,
      hook_event_name: "PreToolUse",
      tool_name: "Bash",
      tool_input: { command: `kill -9 ${daemon.pid}` },
    });
    const run = await fast("claude-code", input, env, ["--timeout", "30"], NO_NODE);
    expect(expectBlocked("claude-code", run)).toMatch(/stop airlock/);
  });

  it("is listed by the client with the same variables", () => {
    const script = readFileSync(CLIENT, "utf8");
    for (const name of FORWARDED_ENV) expect(script).toContain(name);
  });
});

describe("the fast client fails closed", () => {
  const cases: [string, CliName][] = [
    ["claude-code", "claude-code"],
    ["copilot", "copilot"],
    ["kiro", "kiro"],
  ];

  it("with neither a daemon nor Node, denies", async () => {
    const none = { ...env, AIRLOCK_HOOK_SOCKET: join(sockets, "none.sock") };
    const run = await fast("kiro", fixture("kiro", "allow", dirs), none, undefined, NO_NODE);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/cannot run .*the tool call is denied/);
  });

  it.each(cases)("%s: with no daemon, the slow hook answers", async (_, cli) => {
    const none = { ...env, AIRLOCK_HOOK_SOCKET: join(sockets, "none.sock") };
    expectAllowed(cli, await fast(cli, fixture(cli, "allow", dirs), none));
    expectBlocked(cli, await fast(cli, fixture(cli, "deny", dirs), none));
  });

  it.each(cases)(
    "%s: a daemon that refuses the call (HTTP error) leaves it to the slow hook",
    async (_, cli) => {
      const { server, socket } = await fakeDaemon((_req, res) => res.writeHead(503).end());
      const run = { ...env, AIRLOCK_HOOK_SOCKET: socket };
      expectAllowed(cli, await fast(cli, fixture(cli, "allow", dirs), run));
      expectBlocked(cli, await fast(cli, fixture(cli, "deny", dirs), run));
      server.close();
    },
  );

  it.each(cases)("%s: an unreadable answer is denied", async (_, cli) => {
    for (const body of [
      "garbage\n",
      "airlock-hook/1\nexit 0\nstdout \n",
      "airlock-hook/1\nexit x\nstdout \nstderr \nend\n",
    ]) {
      const { server, socket } = await fakeDaemon((_req, res) => res.writeHead(200).end(body));
      const run = await fast(cli, fixture(cli, "allow", dirs), { ...env, AIRLOCK_HOOK_SOCKET: socket });
      expect(expectBlocked(cli, run)).toMatch(/hook daemon answered something unreadable/);
      server.close();
    }
  });

  it.each(cases)("%s: a daemon that does not answer in time is denied", async (_, cli) => {
    const { server, socket } = await fakeDaemon(() => {});
    const run = await fast(cli, fixture(cli, "allow", dirs), { ...env, AIRLOCK_HOOK_SOCKET: socket }, [
      "--timeout",
      "5",
    ]);
    expect(expectBlocked(cli, run)).toMatch(/did not answer within 3 s/);
    server.closeAllConnections();
    server.close();
  });
});

describe("install --fast and doctor", () => {
  it("writes the fast client, which doctor finds blocking, and reports the daemon", () => {
    const home = sandbox();
    const extra = { AIRLOCK_HOOK_SOCKET: SOCKET };
    expect(airlock(["install", "claude-code", "--fast"], home, extra).status).toBe(0);
    const settings = readFileSync(join(home.home, ".claude", "settings.json"), "utf8");
    expect(settings).toContain("airlock-hook.sh");
    const run = airlock(["doctor"], home, extra);
    expect(run.stdout).toContain(`hook daemon: running on ${SOCKET}`);
    expect(run.stdout).toContain("Claude Code: protected");
    const down = airlock(["doctor"], home, { AIRLOCK_HOOK_SOCKET: join(sockets, "never.sock") });
    expect(down.stdout).toContain("hook daemon: not running");
    expect(down.stdout).toContain("Claude Code: protected");
    expect(airlock(["uninstall", "claude-code"], home, extra).stdout).toContain("removed");
  });
});

describe("the daemon the client starts on first use", () => {
  it("answers the next calls, and goes away when idle", async () => {
    const { daemonHealth } = await import("../../../src/cli/hook-daemon.js");
    const socket = join(mkdtempSync(join(tmpdir(), "airlock-auto-")), "run", "hook.sock");
    const auto = { ...env, AIRLOCK_HOOK_SOCKET: socket, AIRLOCK_HOOK_DAEMON_IDLE_SECONDS: "3" };
    // The first call: no daemon yet, so node answers, and a daemon is started.
    expectBlocked("claude-code", await fast("claude-code", fixture("claude-code", "deny", dirs), auto));
    // No clock of our own: however long a busy machine takes, the test runner's timeout is the limit.
    let health: string | undefined;
    while (!health) {
      health = existsSync(socket) ? await daemonHealth(socket) : undefined;
      if (!health) await new Promise((r) => setTimeout(r, 50));
    }
    expect(health).toMatch(/^airlock-hook\/1 \d+/);
    // No Node for the client: the daemon answers.
    expectBlocked(
      "claude-code",
      await fast("claude-code", fixture("claude-code", "deny", dirs), auto, undefined, NO_NODE),
    );
    expectAllowed(
      "claude-code",
      await fast("claude-code", fixture("claude-code", "allow", dirs), auto, undefined, NO_NODE),
    );
    // Idle for its 3 s: it exits and takes its socket with it.
    while (existsSync(socket)) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(socket)).toBe(false);
  });
});
