import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Decision, RequestStatus } from "../../../src/action/decision.js";
import { createDecider } from "../../../src/ingress/decider.js";

/**
 * A stand-in for `airlock serve`, speaking its documented HTTP API over a real socket: decisions come
 * from the real gate under the built-in policy; a hold opens a request (201) that the test approves
 * or denies; once approved, the identical action is allowed exactly once (`released`).
 */

export interface FakeRequest {
  id: string;
  key: string;
  status: RequestStatus;
  releasableAt?: string;
}

export interface FakeServe {
  url: string;
  token: string;
  /** Every Action body POSTed to /v1/actions, in order. */
  submitted: Record<string, unknown>[];
  requests: Map<string, FakeRequest>;
  setStatus(id: string, status: RequestStatus, releasableAt?: string): void;
  /** Called on each GET of a request, before it is answered (to approve "while the hook waits"). */
  onPoll?: (request: FakeRequest) => void;
  close(): Promise<void>;
}

/** What the server binds an approval to: the action without its `id` (commentary). */
function keyOf(action: Record<string, unknown>): string {
  const { id: _id, ...rest } = action;
  return JSON.stringify(rest);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function body(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text;
}

export async function startFakeServe(token = "agent-token"): Promise<FakeServe> {
  const gate = createDecider();
  const requests = new Map<string, FakeRequest>();
  const submitted: Record<string, unknown>[] = [];
  let base = "";
  const view = (r: FakeRequest) => ({
    id: r.id,
    status: r.status,
    digest: "d".repeat(64),
    url: `${base}/requests/${r.id}`,
    expiresAt: "2030-01-01T00:00:00.000Z",
    ...(r.releasableAt ? { releasableAt: r.releasableAt } : {}),
  });
  const fake: FakeServe = {
    url: "",
    token,
    submitted,
    requests,
    setStatus(id, status, releasableAt) {
      const r = requests.get(id);
      if (r) Object.assign(r, { status }, releasableAt ? { releasableAt } : {});
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(res, 401, { error: { code: "unauthorized", message: "a valid bearer token is required" } });
    const path = new URL(req.url ?? "/", base).pathname;
    const asked = /^\/v1\/requests\/([^/]+)$/.exec(path);
    if (req.method === "GET" && asked?.[1]) {
      const r = requests.get(decodeURIComponent(asked[1]));
      if (!r) return send(res, 404, { error: { code: "not_found", message: "no such request" } });
      fake.onPoll?.(r);
      return send(res, 200, { ...view(r), approvals: [] });
    }
    if (req.method !== "POST" || path !== "/v1/actions")
      return send(res, 404, { error: { code: "not_found", message: path } });
    const action = JSON.parse(await body(req)) as Record<string, unknown>;
    submitted.push(action);
    const decision: Decision = await gate.decide(action);
    if (decision.decision !== "hold") return send(res, 200, decision);
    const key = keyOf(action);
    const approved = [...requests.values()].find((r) => r.key === key && r.status === "approved");
    if (approved && (!approved.releasableAt || Date.parse(approved.releasableAt) <= Date.now())) {
      approved.status = "used";
      return send(res, 200, {
        ...decision,
        decision: "allow",
        code: "released",
        reasons: [`released by approved request ${approved.id}`],
      });
    }
    const pending = [...requests.values()].find((r) => r.key === key && r.status === "pending");
    const request = pending ?? { id: `req-${requests.size + 1}`, key, status: "pending" as const };
    requests.set(request.id, request);
    return send(res, pending ? 200 : 201, { ...decision, request: view(request) });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  fake.url = base;
  return fake;
}
