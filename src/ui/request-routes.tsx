import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApprovalRequest } from "../approvals/request.js";
import type { Outcome } from "../approvals/service.js";
import { API_ERROR_STATUS } from "../ingress/http/errors.js";
import { AuditPage } from "./audit-page.js";
import { auditStatus } from "./audit-status.js";
import { field, type PageDeps, postedForm, Refused, signedIn } from "./guard.js";
import { HistoryPage } from "./history-page.js";
import { type Flash, sendPage } from "./layout.js";
import { NotFoundPage, RequestPage, RequestsPage } from "./requests-page.js";
import type { Session } from "./session.js";
import { REFUSAL_LEAD } from "./vote-panel.js";

const CLOSED = ["used", "denied", "expired", "cancelled"] as const;
const HISTORY_ROWS = 200;

/** What a redirect after a vote says; fixed words, so a crafted link cannot put words on the page. */
const DONE: Record<string, string> = {
  approve: "Your approval is recorded in the audit log.",
  deny: "Your denial is recorded in the audit log.",
  cancel: "The request is cancelled; the agent's action will not run.",
};

/** The requests, one request, the votes and cancellations on it, the history, and the audit view. */
export function mountRequests(ui: Hono, deps: PageDeps): void {
  const { service } = deps;
  const now = () => deps.clock?.() ?? Date.now();

  function showRequest(
    c: Context,
    session: Session,
    r: ApprovalRequest | undefined,
    id: string,
    flash?: Flash,
    status: ContentfulStatusCode = 200,
  ) {
    if (!r) return sendPage(c, <NotFoundPage session={session} id={id} />, 404);
    return sendPage(c, <RequestPage session={session} r={r} now={now()} flash={flash} />, status);
  }

  /** After a vote or cancellation: back to the request, or the request again with the refusal said plainly. */
  async function answer(c: Context, session: Session, id: string, done: string, outcome: Outcome) {
    if (outcome.ok) return c.redirect(`/requests/${encodeURIComponent(id)}?done=${done}`, 303);
    const flash: Flash = { kind: "refused", text: `${REFUSAL_LEAD[outcome.code]} ${outcome.message}.` };
    return showRequest(c, session, await service.get(id), id, flash, API_ERROR_STATUS[outcome.code]);
  }

  ui.get("/", (c) => c.redirect("/requests", 303));

  ui.get("/requests", async (c) => {
    const session = await signedIn(c, deps);
    if (session instanceof Response) return session;
    const [pending, approved] = await Promise.all([
      service.list({ status: "pending" }),
      service.list({ status: "approved" }),
    ]);
    return sendPage(c, <RequestsPage session={session} pending={pending} approved={approved} now={now()} />);
  });

  ui.get("/requests/:id", async (c) => {
    const session = await signedIn(c, deps);
    if (session instanceof Response) return session;
    const id = c.req.param("id");
    const done = DONE[c.req.query("done") ?? ""];
    return showRequest(
      c,
      session,
      await service.get(id),
      id,
      done ? { kind: "done", text: done } : undefined,
    );
  });

  ui.post("/requests/:id/vote", async (c) => {
    const posted = await postedForm(c, deps);
    if (posted instanceof Response) return posted;
    const { session, form } = posted;
    const id = c.req.param("id");
    const verdict = field(form, "verdict");
    const digest = field(form, "digest") ?? "";
    const comment = field(form, "comment");
    if (
      (verdict !== "approve" && verdict !== "deny") ||
      !/^[0-9a-f]{64}$/.test(digest) ||
      (comment?.length ?? 0) > 2000
    ) {
      const text =
        "The form was incomplete (approve or deny, the digest of the request, a comment up to 2000 characters).";
      return sendPage(c, <Refused title="Nothing was recorded" session={session} text={text} />, 400);
    }
    return answer(
      c,
      session,
      id,
      verdict,
      await service.vote(id, session.identity, verdict, digest, comment),
    );
  });

  ui.post("/requests/:id/cancel", async (c) => {
    const posted = await postedForm(c, deps);
    if (posted instanceof Response) return posted;
    const { session, form } = posted;
    const id = c.req.param("id");
    const comment = field(form, "comment")?.slice(0, 2000);
    return answer(c, session, id, "cancel", await service.cancel(id, session.identity, comment));
  });

  ui.get("/history", async (c) => {
    const session = await signedIn(c, deps);
    if (session instanceof Response) return session;
    const lists = await Promise.all(CLOSED.map((status) => service.list({ status, limit: HISTORY_ROWS })));
    const closed = lists
      .flat()
      .sort((a, b) => (b.closedAt ?? b.createdAt).localeCompare(a.closedAt ?? a.createdAt))
      .slice(0, HISTORY_ROWS);
    return sendPage(c, <HistoryPage session={session} closed={closed} />);
  });

  ui.get("/audit", async (c) => {
    const session = await signedIn(c, deps);
    if (session instanceof Response) return session;
    const status = await auditStatus(deps.store, deps.verifierKey);
    return sendPage(c, <AuditPage session={session} status={status} verifierKey={deps.verifierKey} />);
  });
}
