import type { ApprovalRequest, Vote } from "../approvals/request.js";
import type { RefusalCode } from "../approvals/transitions.js";
import { approve } from "../approvals/transitions.js";
import { CsrfField } from "./layout.js";
import type { Session } from "./session.js";
import { Clock, Countdown } from "./time.js";
import { duration, ordinal } from "./words.js";

/** The first words of a refusal, said to the person; the service's message follows with the details. */
export const REFUSAL_LEAD: Record<RefusalCode | "not_found", string> = {
  four_eyes: "Someone else must review this: the agent that asked for it acts for you.",
  already_voted: "You have already voted on this request; each person counts once.",
  not_in_group: "You are not in a group this request needs.",
  digest_mismatch: "The request is not the one you reviewed; nothing was recorded.",
  request_closed: "This request is closed and takes no more votes.",
  expires_before_release: "Too late: the wait after your approval would outlast the request.",
  wrong_role: "Only approvers vote on requests.",
  not_found: "There is no such request.",
};

function VoteLine(props: { vote: Vote; verdict: "approved" | "denied" }) {
  const { vote, verdict } = props;
  return (
    <li>
      <strong>{vote.by}</strong> {verdict} at <Clock iso={vote.at} />
      {vote.comment && <>: “{vote.comment}”</>}
    </li>
  );
}

/** Where the request stands: its votes, what it still needs, and the clocks that run on it. */
function Standing(props: { r: ApprovalRequest }) {
  const { r } = props;
  const need = r.requirement;
  const missing = Math.max(0, need.required - r.approvals.length);
  const from = need.groups?.length ? `from ${need.groups.join(" or ")}` : "from any approver";
  const open = r.status === "pending" || r.status === "approved";
  return (
    <div>
      <h3>Approvals</h3>
      <div class="votes">
        <span class="progress">
          {r.approvals.length} of {need.required} approvals
        </span>
        {r.status === "pending" && missing > 0 && (
          <span>
            needs {missing} more {from}
            {need.delaySeconds > 0 &&
              `; after the ${ordinal(need.required)} approval, a mandatory wait of ${duration(need.delaySeconds * 1000)} begins`}
          </span>
        )}
        {open && (
          <span class="push">
            expires in <Countdown until={r.expiresAt} done="now (expired)" />
          </span>
        )}
      </div>
      {r.approvals.length + r.denials.length > 0 && (
        <ul class="plain">
          {r.approvals.map((v) => (
            <VoteLine vote={v} verdict="approved" />
          ))}
          {r.denials.map((v) => (
            <VoteLine vote={v} verdict="denied" />
          ))}
        </ul>
      )}
      {r.status === "pending" && r.releasableAt && (
        <div class="wait">
          All approvals are in. Mandatory wait: releasable in{" "}
          <Countdown until={r.releasableAt} done="now, releasing" /> (at <Clock iso={r.releasableAt} />
          ).
        </div>
      )}
      {r.status === "approved" && (
        <div class="wait done">
          Approved. When the agent retries the identical action, it will be allowed once.
        </div>
      )}
      {!open && r.closedAt && (
        <p class="note">
          Closed <Clock iso={r.closedAt} />
          {r.closedBy && ` by ${r.closedBy}`}.
        </p>
      )}
    </div>
  );
}

/** The buttons this person may press: approve or deny for an approver who may vote, cancel for an admin. */
function Controls(props: { r: ApprovalRequest; session: Session; now: number }) {
  const { r, session, now } = props;
  const me = session.identity;
  const base = `/requests/${encodeURIComponent(r.id)}`;
  if (me.role === "admin" && (r.status === "pending" || r.status === "approved")) {
    return (
      <form class="vote" method="post" action={`${base}/cancel`}>
        <CsrfField session={session} />
        <textarea name="comment" maxlength={2000} placeholder="Why it is cancelled (optional)" />
        <button class="cancel" type="submit">
          Cancel request
        </button>
      </form>
    );
  }
  if (me.role !== "approver" || r.status !== "pending") return null;
  // A dry run of the vote: the same rules the service applies, so the page never offers a vote it would refuse.
  const trial = approve(r, me, r.digest, now);
  if (!trial.ok) {
    return (
      <p class="flash info">
        {REFUSAL_LEAD[trial.code]} {trial.message}.
      </p>
    );
  }
  return (
    <form class="vote" method="post" action={`${base}/vote`}>
      <CsrfField session={session} />
      <input type="hidden" name="digest" value={r.digest} />
      <textarea name="comment" maxlength={2000} placeholder="Comment (optional)" aria-label="Comment" />
      <button class="approve" type="submit" name="verdict" value="approve">
        Approve
      </button>
      <button class="deny" type="submit" name="verdict" value="deny">
        Deny
      </button>
    </form>
  );
}

export function VotePanel(props: { r: ApprovalRequest; session: Session; now: number }) {
  return (
    <>
      <Standing r={props.r} />
      <Controls {...props} />
    </>
  );
}
