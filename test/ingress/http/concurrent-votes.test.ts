import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../../src/store/sqlite/store.js";
import { call, makeToken, startTestServer, type TestServer } from "./harness.js";

const APPROVERS = 20;
let server: TestServer;
let agent: string;
const approvers: { name: string; token: string }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  agent = makeToken(server.dataDir, ["--name", "bot", "--role", "agent", "--on-behalf-of", "ann"]);
  for (let i = 0; i < APPROVERS; i++) {
    const name = `approver-${i}`;
    approvers.push({ name, token: makeToken(server.dataDir, ["--name", name, "--role", "approver"]) });
  }
});

afterAll(async () => {
  await server?.stop();
});

async function held(command: string): Promise<{ id: string; digest: string; required: number }> {
  const r = await call(server, "POST", "/v1/actions", agent, { kind: "shell", command });
  expect(r.json.decision, JSON.stringify(r.json)).toBe("hold");
  const request = r.json.request as { id: string };
  const view = await call(server, "GET", `/v1/requests/${request.id}`, agent);
  const json = view.json as { digest: string; requirement: { required: number } };
  return { id: request.id, digest: json.digest, required: json.requirement.required };
}

/** Every vote's audit entries for a request, by who cast it. */
async function auditedVotes(requestId: string): Promise<Map<string, string[]>> {
  const store = await SqliteStore.open(server.dataDir, { readonly: true });
  const by = new Map<string, string[]>();
  try {
    for await (const e of store.auditEntries()) {
      const entry = JSON.parse(e.bytes) as { type: string; requestId?: string; by?: string; code?: string };
      if (entry.requestId !== requestId || !entry.by?.startsWith("approver-")) continue;
      by.set(entry.by, [...(by.get(entry.by) ?? []), entry.code ?? entry.type]);
    }
  } finally {
    await store.close();
  }
  return by;
}

/** All twenty approvers vote at the same moment, over real HTTP (on connections opened beforehand). */
async function voteTogether(request: { id: string; digest: string }) {
  await Promise.all(approvers.map(() => fetch(`${server.url}/healthz`).then((r) => r.text())));
  return Promise.all(
    approvers.map((a) =>
      call(server, "POST", `/v1/requests/${request.id}/approve`, a.token, { digest: request.digest }),
    ),
  );
}

describe("twenty approvers voting on one request at once", () => {
  it("during a wait: every vote is recorded, answered and audited", async () => {
    const request = await held("kubectl --context prod delete namespace payments");
    const answers = await voteTogether(request);
    expect(answers.map((a) => a.status)).toEqual(Array(APPROVERS).fill(200));
    const after = await call(server, "GET", `/v1/requests/${request.id}`, agent);
    expect((after.json.approvals as unknown[]).length).toBe(APPROVERS);
    const audited = await auditedVotes(request.id);
    for (const a of approvers) expect(audited.get(a.name), a.name).toEqual(["request.approved"]);
  });

  it("when the first votes close it: each of the others is told it is closed, and that is audited", async () => {
    const request = await held("kubectl --context prod delete pod api-7");
    const answers = await voteTogether(request);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBe(request.required);
    expect(statuses.filter((s) => s === 409).length).toBe(APPROVERS - request.required);
    for (const a of answers.filter((x) => x.status === 409))
      expect(a.json.error).toMatchObject({ code: "request_closed" });
    const audited = await auditedVotes(request.id);
    expect([...audited.values()].flat().sort()).toEqual(
      [
        ...Array(request.required).fill("request.approved"),
        ...Array(APPROVERS - request.required).fill("request_closed"),
      ].sort(),
    );
  });

  it("the same approver voting twice at once: one recorded, one already voted", async () => {
    const request = await held("kubectl --context prod delete namespace billing");
    const [first] = approvers;
    const twice = await Promise.all(
      [1, 2].map(() =>
        call(server, "POST", `/v1/requests/${request.id}/approve`, first?.token, { digest: request.digest }),
      ),
    );
    expect(twice.map((t) => t.status).sort()).toEqual([200, 409]);
    expect(twice.find((t) => t.status === 409)?.json.error).toMatchObject({ code: "already_voted" });
  });
});
