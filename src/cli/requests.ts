import { AirlockClient, type RequestView } from "../sdk/client.js";

export interface ServerOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

/** The client from --url/--token or AIRLOCK_URL/AIRLOCK_TOKEN; undefined (with a message) when either is missing. */
function clientFrom(opts: ServerOptions): AirlockClient | undefined {
  const url = opts.url ?? process.env.AIRLOCK_URL;
  const token = opts.token ?? process.env.AIRLOCK_TOKEN;
  if (!url || !token) {
    process.stderr.write(
      "airlock: set AIRLOCK_URL and AIRLOCK_TOKEN (or --url and --token) to reach `airlock serve`\n",
    );
    return undefined;
  }
  return new AirlockClient({ url, token, timeoutMs: 15_000 });
}

function summary(r: RequestView): string {
  const decision = r.decision as { operations?: { summary?: string }[] } | undefined;
  const all = decision?.operations?.map((o) => o.summary).join("; ") ?? "";
  const what = all.length > 100 ? `${all.slice(0, 99)}…` : all;
  const approvals = (r.approvals as { by: string }[] | undefined) ?? [];
  const requirement = r.requirement as { required?: number } | undefined;
  const when = r.status === "pending" && r.releasableAt ? `, releasable at ${r.releasableAt}` : "";
  return `${r.id}  ${r.status.padEnd(9)} ${approvals.length}/${requirement?.required ?? "?"} approvals${when}  ${r.agent as string}: ${what}`;
}

function print(r: RequestView, json: boolean | undefined): void {
  process.stdout.write(json ? `${JSON.stringify(r, null, 2)}\n` : `${summary(r)}\n`);
}

function fail(error: string): number {
  process.stderr.write(`airlock: ${error}\n`);
  return 1;
}

export async function runRequests(opts: ServerOptions & { status?: string }): Promise<number> {
  const client = clientFrom(opts);
  if (!client) return 64;
  const result = await client.list(opts.status as RequestView["status"] | undefined);
  if (!result.ok) return fail(result.error);
  if (opts.json) process.stdout.write(`${JSON.stringify(result.requests, null, 2)}\n`);
  else for (const r of result.requests) print(r, false);
  return 0;
}

/**
 * `airlock approve ID` / `airlock deny ID`: fetch the request, show what is being voted on, and vote
 * bound to its digest. With --digest, the vote is refused unless the request still holds exactly that.
 */
export async function runVote(
  id: string,
  verdict: "approve" | "deny",
  opts: ServerOptions & { comment?: string; digest?: string },
): Promise<number> {
  const client = clientFrom(opts);
  if (!client) return 64;
  const current = await client.request(id);
  if (!current.ok) return fail(current.error);
  const digest = opts.digest ?? current.request.digest;
  const result = await client.vote(id, verdict, digest, opts.comment);
  if (!result.ok) return fail(result.error);
  print(result.request, opts.json);
  return 0;
}

export async function runCancel(id: string, opts: ServerOptions & { comment?: string }): Promise<number> {
  const client = clientFrom(opts);
  if (!client) return 64;
  const result = await client.cancel(id, opts.comment);
  if (!result.ok) return fail(result.error);
  print(result.request, opts.json);
  return 0;
}

/** `airlock wait ID`: blocks until decided. Exits 0 when approved (or already used), 1 otherwise, 2 on timeout. */
export async function runWait(id: string, opts: ServerOptions & { timeout?: string }): Promise<number> {
  const client = clientFrom(opts);
  if (!client) return 64;
  const seconds = opts.timeout === undefined ? 3600 : Number(opts.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) return fail("--timeout is a number of seconds");
  const result = await client.waitForDecision(id, { timeoutMs: seconds * 1000 });
  if (!result.ok) return fail(result.error);
  print(result.request, opts.json);
  if (result.request.status === "pending") return 2;
  return result.request.status === "approved" || result.request.status === "used" ? 0 : 1;
}
