import type { ApprovalRequest } from "../approvals/request.js";
import { AwsPreview } from "./aws-preview.js";
import { type Flash, FlashMessage, Layout } from "./layout.js";
import { RequestCard } from "./request-card.js";
import type { Session } from "./session.js";

/** The open requests, those waiting on people first, then those approved and waiting for the agent. */
export function RequestsPage(props: {
  session: Session;
  pending: ApprovalRequest[];
  approved: ApprovalRequest[];
  now: number;
}) {
  const { session, pending, approved, now } = props;
  return (
    <Layout title="Requests" session={session} here="requests">
      <h1>Requests waiting on people</h1>
      <p class="sub">
        {pending.length === 0
          ? "Nothing is waiting for a decision."
          : `${pending.length} waiting for a decision`}
        {approved.length > 0 && `; ${approved.length} approved and waiting for the agent to retry`}.
      </p>
      {pending.map((r) => (
        <RequestCard r={r} session={session} now={now} link />
      ))}
      {pending.length === 0 && <div class="empty">No agent is waiting for an approval.</div>}
      {approved.length > 0 && (
        <>
          <h1>Approved, waiting for the agent</h1>
          <p class="sub">The agent's identical action will be allowed once; any other action will not.</p>
          {approved.map((r) => (
            <RequestCard r={r} session={session} now={now} link />
          ))}
        </>
      )}
    </Layout>
  );
}

/** One request, at the address decisions link to, with the action exactly as the agent sent it. */
export function RequestPage(props: { session: Session; r: ApprovalRequest; now: number; flash?: Flash }) {
  const { session, r, now, flash } = props;
  return (
    <Layout title={`Request ${r.id}`} session={session} here="requests">
      <p class="note">
        <a href="/requests">← All requests</a>
      </p>
      <FlashMessage flash={flash} />
      <RequestCard r={r} session={session} now={now} />
      <AwsPreview action={r.action} recoveryPoints={r.recoveryPoints} />
      <details class="card">
        <summary>The action exactly as the agent sent it</summary>
        <pre>{JSON.stringify(r.action, null, 2)}</pre>
      </details>
      <details class="card">
        <summary>The decision that held it</summary>
        <pre>{JSON.stringify(r.decision, null, 2)}</pre>
      </details>
    </Layout>
  );
}

export function NotFoundPage(props: { session: Session; id: string }) {
  return (
    <Layout title="No such request" session={props.session} here="requests">
      <h1>No such request</h1>
      <p class="sub">
        There is no request {props.id}. It may have been mistyped; the list of requests is below.
      </p>
      <p>
        <a href="/requests">All requests</a> · <a href="/history">History</a>
      </p>
    </Layout>
  );
}
