import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../../src/store/sqlite/store.js";
import { call, makeToken, startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let agent: string;
let approver: string;

beforeAll(async () => {
  server = await startTestServer();
  agent = makeToken(server.dataDir, ["--name", "bot", "--role", "agent", "--on-behalf-of", "erin"]);
  approver = makeToken(server.dataDir, ["--name", "fay", "--role", "approver"]);
});

afterAll(async () => {
  await server?.stop();
});

/** What the log and the requests hold now, read from the store beside the running server. */
async function snapshot() {
  const store = await SqliteStore.open(server.dataDir, { readonly: true });
  try {
    const size = await store.auditSize();
    const last = size > 0 ? await store.auditEntry(size - 1) : undefined;
    const requests = (await store.listRequests({ limit: 1000 })).length;
    return { size, requests, last: last ? (JSON.parse(last.bytes) as Record<string, unknown>) : undefined };
  } finally {
    await store.close();
  }
}

/** A refused call writes exactly one audit entry, of type request.rejected, and nothing else. */
async function expectOnlyRejection(
  send: () => Promise<{ status: number; json: Record<string, unknown> }>,
  status: number,
  code: string,
) {
  const before = await snapshot();
  const response = await send();
  expect(response.status).toBe(status);
  expect(response.json.error).toMatchObject({ code });
  expect((response.json.error as { message: string }).message.length).toBeGreaterThan(10);
  const after = await snapshot();
  expect(after.requests).toBe(before.requests);
  expect(after.size).toBe(before.size + 1);
  expect(after.last).toMatchObject({ type: "request.rejected", code });
}

describe("abuse of the HTTP API", () => {
  it("answers 401 without a token or with an unknown one", async () => {
    await expectOnlyRejection(
      () => call(server, "POST", "/v1/actions", undefined, { kind: "shell", command: "ls" }),
      401,
      "unauthorized",
    );
    await expectOnlyRejection(
      () => call(server, "POST", "/v1/actions", "alk_forged", { kind: "shell", command: "ls" }),
      401,
      "unauthorized",
    );
  });

  it("answers 403 to a token of another role, before looking at the request id", async () => {
    await expectOnlyRejection(
      () => call(server, "POST", "/v1/actions", approver, { kind: "shell", command: "ls" }),
      403,
      "wrong_role",
    );
    // The same answer for an id that exists and one that does not: nothing leaks.
    await expectOnlyRejection(
      () => call(server, "POST", "/v1/requests/r_nonexistent/approve", agent, { digest: "a".repeat(64) }),
      403,
      "wrong_role",
    );
  });

  it("refuses malformed JSON, a wrong content type and an oversized body with a clear 4xx", async () => {
    await expectOnlyRejection(
      () => call(server, "POST", "/v1/actions", agent, "{not json"),
      400,
      "invalid_json",
    );
    await expectOnlyRejection(
      () =>
        call(server, "POST", "/v1/actions", agent, "kind=shell", {
          "content-type": "application/x-www-form-urlencoded",
        }),
      415,
      "unsupported_media_type",
    );
    const huge = JSON.stringify({ kind: "shell", command: `echo ${"x".repeat(5 * 1024 * 1024)}` });
    await expectOnlyRejection(() => call(server, "POST", "/v1/actions", agent, huge), 413, "body_too_large");
    await expectOnlyRejection(
      () => call(server, "POST", "/v1/requests/r_x/approve", approver, { digest: "short" }),
      400,
      "invalid_body",
    );
  });

  it("answers an Action that is not one with a deny Decision that names the field", async () => {
    const response = await call(server, "POST", "/v1/actions", agent, { kind: "teleport", target: "prod" });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ decision: "deny", code: "invalid_action" });
    expect((response.json.reasons as string[])[0]).toMatch(/kind/);
  });

  it("answers 404 for an unknown request to a caller allowed to ask", async () => {
    const response = await call(server, "GET", "/v1/requests/r_nonexistent", approver);
    expect(response.status).toBe(404);
  });

  it("ignores the agent and person claimed in the body: the token decides who it is", async () => {
    const response = await call(server, "POST", "/v1/actions", agent, {
      kind: "k8s",
      verb: "delete",
      resource: "namespaces",
      name: "payments",
      kubeContext: "prod-eu",
      agent: { id: "someone-else", onBehalfOf: "fay" },
    });
    expect(response.json.decision).toBe("hold");
    const id = (response.json.request as { id: string }).id;
    const request = await call(server, "GET", `/v1/requests/${id}`, approver);
    expect(request.json).toMatchObject({ agent: "bot", onBehalfOf: "erin" });
    // fay was named in the body but is not the person the token acts for, so fay may review it.
    const vote = await call(server, "POST", `/v1/requests/${id}/approve`, approver, {
      digest: response.json.digest,
    });
    expect(vote.status).toBe(200);
  });

  it("is still serving after all of it", async () => {
    expect((await call(server, "GET", "/healthz")).json).toEqual({ ok: true });
  });
});
