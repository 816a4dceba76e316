import { Decision } from "../action/decision.js";
import type { ApprovalRequest } from "../approvals/request.js";
import { Layout } from "./layout.js";
import type { Session } from "./session.js";
import { Clock } from "./time.js";
import { headline } from "./words.js";

function what(r: ApprovalRequest): string {
  const decision = Decision.safeParse(r.decision);
  return decision.success ? headline(decision.data.operations) : "(the stored decision cannot be read)";
}

function votes(r: ApprovalRequest): string {
  const parts = [
    ...r.approvals.map((v) => `${v.by} approved`),
    ...r.denials.map((v) => `${v.by} denied${v.comment ? ` (“${v.comment}”)` : ""}`),
  ];
  return parts.length > 0 ? parts.join(", ") : "no votes";
}

/** Closed requests, newest first: read-only, for looking back at who let what through. */
export function HistoryPage(props: { session: Session; closed: ApprovalRequest[] }) {
  const { session, closed } = props;
  return (
    <Layout title="History" session={session} here="history">
      <h1>History</h1>
      <p class="sub">
        Closed requests, newest first: used, denied, expired and cancelled. The audit log has every step.
      </p>
      {closed.length === 0 ? (
        <div class="empty">No request has been closed yet.</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Status</th>
              <th>What</th>
              <th>Agent</th>
              <th>Votes</th>
              <th>Closed</th>
            </tr>
          </thead>
          <tbody>
            {closed.map((r) => (
              <tr data-status={r.status}>
                <td>
                  <span class={`badge ${r.status}`}>{r.status}</span>
                </td>
                <td>
                  <a href={`/requests/${encodeURIComponent(r.id)}`}>{what(r)}</a>
                  {r.intent && <div class="note">“{r.intent}”</div>}
                </td>
                <td>
                  {r.agent}
                  {r.onBehalfOf && <div class="note">for {r.onBehalfOf}</div>}
                </td>
                <td>{votes(r)}</td>
                <td>
                  {r.closedAt ? <Clock iso={r.closedAt} /> : "—"}
                  {r.closedBy && <div class="note">by {r.closedBy}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
