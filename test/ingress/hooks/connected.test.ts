import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliName } from "../../../src/ingress/hooks/types.js";
import { type FakeServe, startFakeServe } from "./fake-serve.js";
import { CLIS, expectAllowed, expectBlocked, fixture, hookEnv, runHook, sandbox } from "./run-hook.js";

/**
 * Connected mode: AIRLOCK_URL and an agent token. A hold comes back as a denial carrying the request
 * id, the approval page and the instruction to retry the identical command; after approval, the
 * identical retry is let through once. The server is a stand-in speaking the documented API.
 */

const dirs = sandbox();
let serve: FakeServe;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  serve = await startFakeServe();
  env = hookEnv(dirs.home, { AIRLOCK_URL: serve.url, AIRLOCK_TOKEN: serve.token });
});

afterAll(() => serve.close());

/** The one request opened since `before` requests existed. */
function newestRequest(): string {
  const ids = [...serve.requests.keys()];
  return ids[ids.length - 1] ?? "";
}

describe.each(CLIS)("airlock hook %s, connected", (cli: CliName) => {
  it("lets an allowed action through without opening a request", async () => {
    const before = serve.requests.size;
    expectAllowed(cli, await runHook(cli, fixture(cli, "allow", dirs), env));
    expect(serve.requests.size).toBe(before);
  });

  it("stops the deletion of the production stack, then lets the identical retry through once after approval", async () => {
    const input = fixture(cli, cli === "kiro" ? "aws-hold" : "stack", dirs);
    const first = expectBlocked(cli, await runHook(cli, input, env));
    const id = newestRequest();
    expect(first).toContain(`Approval request ${id} (pending)`);
    expect(first).toContain(`${serve.url}/requests/${id}`);
    expect(first).toMatch(/retry the identical command/);
    expect(first).toMatch(/2 approvers, then a 10 min wait/);

    // Still pending: the retry is stopped again, on the same request.
    expect(expectBlocked(cli, await runHook(cli, input, env))).toContain(`Approval request ${id} (pending)`);

    serve.setStatus(id, "approved");
    expectAllowed(cli, await runHook(cli, input, env));
    expect(serve.requests.get(id)?.status).toBe("used");

    // Once: the next identical call needs a new approval.
    const again = expectBlocked(cli, await runHook(cli, input, env));
    expect(again).not.toContain(`request ${id} `);

    const bodies = serve.submitted.slice(-4).map((a) => JSON.stringify({ ...a, id: undefined }));
    expect(new Set(bodies).size).toBe(1);
  });

  it("with AIRLOCK_WAIT_SECONDS, waits for the approval and answers with the released action", async () => {
    serve.onPoll = (r) => {
      if (r.status === "pending") serve.setStatus(r.id, "approved");
    };
    try {
      const input = fixture(cli, "hold", dirs);
      expectAllowed(cli, await runHook(cli, input, { ...env, AIRLOCK_WAIT_SECONDS: "20" }));
      expect(serve.requests.get(newestRequest())?.status).toBe("used");
    } finally {
      serve.onPoll = undefined;
    }
  });
});

describe("connected, refused", () => {
  it("denies what an approver refused while the hook waited, and says not to retry", async () => {
    serve.onPoll = (r) => serve.setStatus(r.id, "denied");
    try {
      const run = await runHook("claude-code", fixture("claude-code", "mcp-hold", dirs), {
        ...env,
        AIRLOCK_WAIT_SECONDS: "20",
      });
      expect(expectBlocked("claude-code", run)).toMatch(/an approver refused it.*Do not retry it/s);
    } finally {
      serve.onPoll = undefined;
    }
  });

  it("denies everything when the token is refused", async () => {
    const run = await runHook("gemini", fixture("gemini", "allow", dirs), { ...env, AIRLOCK_TOKEN: "wrong" });
    expect(expectBlocked("gemini", run)).toMatch(/HTTP 401.*\[server_unavailable\]/s);
  });
});
