import { Decision, type DecisionOperation } from "../action/decision.js";
import type { ApprovalRequest } from "../approvals/request.js";
import type { Session } from "./session.js";
import { Clock } from "./time.js";
import { VotePanel } from "./vote-panel.js";
import {
  actionFields,
  BLAST_RADIUS_WORDS,
  headline,
  REVERSIBILITY_WORDS,
  reasonWithoutSummary,
} from "./words.js";

/** The stored decision, typed; a request is only ever made from a valid one, but the page must not trust that. */
function decisionOf(r: ApprovalRequest): Decision | undefined {
  const parsed = Decision.safeParse(r.decision);
  return parsed.success ? parsed.data : undefined;
}

function WhatItRuns(props: { action: Record<string, unknown> }) {
  return (
    <dl class="fields">
      {actionFields(props.action).map((f) => (
        <>
          <dt>{f.name}</dt>
          <dd>
            {f.text.includes("\n") || f.text.length > 60 ? <pre>{f.text}</pre> : <code>{f.text}</code>}
            {f.omitted > 0 && (
              <span class="note"> … and {f.omitted} more characters (see the full action)</span>
            )}
          </dd>
        </>
      ))}
    </dl>
  );
}

function Risk(props: { decision: Decision }) {
  const { reversibility, blastRadius, environment } = props.decision.risk;
  return (
    <ul class="risk">
      <li class={reversibility === "irreversible" ? "high" : undefined}>
        {REVERSIBILITY_WORDS[reversibility]} ({reversibility})
      </li>
      <li class={["environment", "account", "host"].includes(blastRadius) ? "high" : undefined}>
        {BLAST_RADIUS_WORDS[blastRadius]} ({blastRadius})
      </li>
      <li class={environment === "production" ? "high" : undefined}>environment: {environment}</li>
    </ul>
  );
}

function Operations(props: { operations: DecisionOperation[] }) {
  return (
    <ul class="plain">
      {props.operations.map((op) => (
        <li>
          {op.targets.map((t) => (
            <span class="target">
              {t.type} {t.name}
            </span>
          ))}
          {op.summary}
          {op.opaque && <strong> airlock cannot see what this does.</strong>}
        </li>
      ))}
    </ul>
  );
}

/**
 * One request in plain words: what the agent wants to do, why it says so, what it would destroy and how
 * far that reaches, which rules held it, and where the votes and clocks stand.
 */
export function RequestCard(props: { r: ApprovalRequest; session: Session; now: number; link?: boolean }) {
  const { r, session, now } = props;
  const decision = decisionOf(r);
  const href = `/requests/${encodeURIComponent(r.id)}`;
  return (
    <article class={`card ${r.status}`} id={r.id} data-status={r.status}>
      <div class="meta">
        <span class={`badge ${r.status}`}>{r.status}</span>
        {props.link ? <a href={href}>{r.id}</a> : <span class="mono">{r.id}</span>}
        <span>
          agent <strong>{r.agent}</strong>
          {r.onBehalfOf && (
            <>
              {" "}
              acting for <strong>{r.onBehalfOf}</strong>
            </>
          )}
        </span>
        <span>
          asked <Clock iso={r.createdAt} />
        </span>
        <span class="push mono" title={r.digest}>
          digest {r.digest.slice(0, 12)}…
        </span>
      </div>
      <h2>{decision ? headline(decision.operations) : "An action airlock could not read back"}</h2>
      <div class="grid">
        <div>
          <h3>What it would run</h3>
          <WhatItRuns action={r.action} />
        </div>
        <div>
          <h3>Risk</h3>
          {decision ? (
            <Risk decision={decision} />
          ) : (
            <p class="unverified">The stored decision cannot be read.</p>
          )}
        </div>
      </div>
      <h3>Why the agent says it wants to</h3>
      {r.intent ? (
        <blockquote class="intent">{r.intent}</blockquote>
      ) : (
        <p class="note">The agent gave no reason.</p>
      )}
      {r.intent && <p class="note">In the agent's own words; airlock has not checked them.</p>}
      {decision && decision.operations.length > 0 && (
        <>
          <h3>What it would change or destroy</h3>
          <Operations operations={decision.operations} />
        </>
      )}
      {decision && (
        <>
          <h3>Why it is held</h3>
          <ul class="plain">
            {decision.reasons.map((reason) => (
              <li>{reasonWithoutSummary(reason, decision.operations)}</li>
            ))}
          </ul>
          <p class="note">
            Rules:{" "}
            {decision.rules.map((id) => (
              <span class="rule">{id}</span>
            ))}
          </p>
        </>
      )}
      <VotePanel r={r} session={session} now={now} />
    </article>
  );
}
