import * as z from "zod/mini";
import { RequestStatus } from "../action/decision.js";
import type { RequestView } from "../sdk/client.js";
import { clientOf } from "./client.js";
import { clientOptions, seconds, text, withOptions } from "./options.js";

const ListOptions = z.object({ ...clientOptions, status: z.optional(RequestStatus) });
const VoteOptions = z.object({
  ...clientOptions,
  comment: text,
  digest: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/, "the 64-hex-digit digest of the action"))),
});
const CancelOptions = z.object({ ...clientOptions, comment: text });
const WaitOptions = z.object({ ...clientOptions, timeout: seconds });

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

export function runRequests(values: unknown): Promise<number> {
  return withOptions("requests", ListOptions, values, list);
}

async function list(opts: z.infer<typeof ListOptions>): Promise<number> {
  const client = clientOf(opts);
  if (!client) return 64;
  const result = await client.list(opts.status);
  if (!result.ok) return fail(result.error);
  if (opts.json) process.stdout.write(`${JSON.stringify(result.requests, null, 2)}\n`);
  else for (const r of result.requests) print(r, false);
  return 0;
}

/**
 * `airlock approve ID` / `airlock deny ID`: fetch the request, show what is being voted on, and vote
 * bound to its digest. With --digest, the vote is refused unless the request still holds exactly that.
 */
export function runVote(id: string, verdict: "approve" | "deny", values: unknown): Promise<number> {
  return withOptions(verdict, VoteOptions, values, (opts) => vote(id, verdict, opts));
}

async function vote(
  id: string,
  verdict: "approve" | "deny",
  opts: z.infer<typeof VoteOptions>,
): Promise<number> {
  const client = clientOf(opts);
  if (!client) return 64;
  const current = await client.request(id);
  if (!current.ok) return fail(current.error);
  const digest = opts.digest ?? current.request.digest;
  const result = await client.vote(id, verdict, digest, opts.comment);
  if (!result.ok) return fail(result.error);
  print(result.request, opts.json);
  return 0;
}

export function runCancel(id: string, values: unknown): Promise<number> {
  return withOptions("cancel", CancelOptions, values, (opts) => cancel(id, opts));
}

async function cancel(id: string, opts: z.infer<typeof CancelOptions>): Promise<number> {
  const client = clientOf(opts);
  if (!client) return 64;
  const result = await client.cancel(id, opts.comment);
  if (!result.ok) return fail(result.error);
  print(result.request, opts.json);
  return 0;
}

/** `airlock wait ID`: blocks until decided. Exits 0 when approved (or already used), 1 otherwise, 2 on timeout. */
export function runWait(id: string, values: unknown): Promise<number> {
  return withOptions("wait", WaitOptions, values, (opts) => wait(id, opts));
}

async function wait(id: string, opts: z.infer<typeof WaitOptions>): Promise<number> {
  const client = clientOf(opts);
  if (!client) return 64;
  const timeout = opts.timeout ?? 3600;
  if (timeout <= 0) return fail("--timeout is a number of seconds, more than 0");
  const result = await client.waitForDecision(id, { timeoutMs: timeout * 1000 });
  if (!result.ok) return fail(result.error);
  print(result.request, opts.json);
  if (result.request.status === "pending") return 2;
  return result.request.status === "approved" || result.request.status === "used" ? 0 : 1;
}
