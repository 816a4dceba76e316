import { writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliName } from "../../../src/ingress/hooks/types.js";
import { CLIS, expectBlocked, fixture, hookEnv, runHook, sandbox } from "./run-hook.js";

/**
 * Every way a hook call can go wrong answers the CLI's blocking form, with a reason the agent can act
 * on: these CLIs run the tool when a hook crashes, prints nonsense or times out.
 */

const dirs = sandbox();
const env = hookEnv(dirs.home);

const brokenPolicy = join(dirs.home, "broken.yaml");
writeFileSync(brokenPolicy, "version: 1\nrules: [ { id: x, decision: maybe\n");

/** A server that accepts connections and never answers. */
let silent: Server;
const sockets: Socket[] = [];
let silentUrl = "";
/** A port nothing listens on. */
let closedUrl = "";

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );
}

beforeAll(async () => {
  silent = createServer((socket) => sockets.push(socket));
  silentUrl = `http://127.0.0.1:${await listen(silent)}`;
  const probe = createServer();
  closedUrl = `http://127.0.0.1:${await listen(probe)}`;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(() => {
  for (const s of sockets) s.destroy();
  silent.close();
});

/** A shell command that is allowed when all goes well, so a denial can only come from the failure. */
const harmless = (cli: CliName) => fixture(cli, "allow", dirs);

describe.each(CLIS)("airlock hook %s fails closed", (cli) => {
  it("on input that is not JSON", async () => {
    for (const input of ["this is not json {", ""]) {
      expect(expectBlocked(cli, await runHook(cli, input, env))).toMatch(/not valid JSON/);
    }
  });

  it("on a tool call of the wrong shape", async () => {
    expect(expectBlocked(cli, await runHook(cli, fixture(cli, "bad-shape", dirs), env))).toMatch(
      /airlock could not read the .* tool call/,
    );
  });

  it("when the policy cannot be loaded", async () => {
    const run = await runHook(cli, harmless(cli), { ...env, AIRLOCK_POLICY: brokenPolicy });
    expect(expectBlocked(cli, run)).toMatch(/policy could not be loaded.*\[policy_error\]/s);
  });

  it("when the command is beyond what the analysis can see", async () => {
    const input = JSON.parse(harmless(cli)) as Record<string, unknown>;
    const long = `echo ${"a".repeat(200_000)}`;
    const text = JSON.stringify(input).replace("git status && git log --oneline -5", long);
    expect(expectBlocked(cli, await runHook(cli, text, env))).toContain("[parse_limit]");
  });

  it("when the airlock server cannot be reached", async () => {
    const run = await runHook(cli, harmless(cli), { ...env, AIRLOCK_URL: closedUrl, AIRLOCK_TOKEN: "t" });
    expect(expectBlocked(cli, run)).toMatch(/could not get a decision.*\[server_unavailable\]/s);
  });

  it("when the server is configured without a token or with a bad wait", async () => {
    let run = await runHook(cli, harmless(cli), { ...env, AIRLOCK_URL: closedUrl });
    expect(expectBlocked(cli, run)).toContain("AIRLOCK_TOKEN is not");
    run = await runHook(cli, harmless(cli), {
      ...env,
      AIRLOCK_URL: closedUrl,
      AIRLOCK_TOKEN: "t",
      AIRLOCK_WAIT_SECONDS: "soon",
    });
    expect(expectBlocked(cli, run)).toContain("AIRLOCK_WAIT_SECONDS");
  });

  it("when no decision comes in time, by its own timer", async () => {
    const run = await runHook(cli, harmless(cli), {
      ...env,
      AIRLOCK_URL: silentUrl,
      AIRLOCK_TOKEN: "t",
      AIRLOCK_HOOK_TIMEOUT_MS: "700",
    });
    expect(expectBlocked(cli, run)).toMatch(/did not reach a decision within 0.7 s/);
  });
});

describe("the hook's own deadline", () => {
  it("ends 3 s before the CLI's timeout for the hook, as installed (--timeout)", async () => {
    for (const cli of ["claude-code", "kiro"] as const) {
      const run = await runHook(cli, harmless(cli), { ...env, AIRLOCK_URL: silentUrl, AIRLOCK_TOKEN: "t" }, [
        "--timeout",
        "4",
      ]);
      expect(expectBlocked(cli, run)).toMatch(/did not reach a decision within 1 s/);
    }
  });
});

describe("airlock hook <unknown cli>", () => {
  it("exits 2, the blocking exit status of most agent CLIs, and says what is known", async () => {
    const run = await runHook("vim", "{}", env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown CLI "vim"; use one of claude-code, gemini/);
  });
});
