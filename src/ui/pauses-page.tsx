import { scopeText } from "../gate/overrides.js";
import type { PauseRecord } from "../store/port.js";
import { CsrfField, type Flash, FlashMessage, Layout } from "./layout.js";
import type { Session } from "./session.js";

/** A kill-switch change an admin asked for, waiting for the confirmation step. */
export interface PauseChange {
  verb: "pause" | "resume";
  scope: string;
  reason?: string;
}

function PauseForm(props: { session: Session }) {
  return (
    <form class="vote" method="post" action="/pauses/confirm">
      <CsrfField session={props.session} />
      <input type="hidden" name="verb" value="pause" />
      <select name="kind" aria-label="What to pause">
        <option value="agent">Agent</option>
        <option value="onBehalfOf">Agents acting for</option>
        <option value="env">Environment</option>
        <option value="all">Every agent</option>
      </select>
      <input name="name" maxlength={200} placeholder="name (not needed for every agent)" aria-label="Name" />
      <textarea name="reason" maxlength={2000} placeholder="Why (for the audit log and the agents)" />
      <button class="deny" type="submit">
        Pause…
      </button>
    </form>
  );
}

/** The pauses in force; for an admin, a form to pause and a resume button on each. */
export function PausesPage(props: { session: Session; pauses: PauseRecord[]; flash?: Flash }) {
  const { session, pauses } = props;
  const admin = session.identity.role === "admin";
  return (
    <Layout title="Kill switch" session={session} here="pauses">
      <h1>Kill switch</h1>
      <p class="sub">
        A pause denies everything but reads for its scope, from the next request on, including actions already
        approved but not yet used.
      </p>
      <FlashMessage flash={props.flash} />
      {pauses.length === 0 ? (
        <div class="empty">Nothing is paused.</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Paused</th>
              <th>By</th>
              <th>Since</th>
              <th>Why</th>
              {admin && <th />}
            </tr>
          </thead>
          <tbody>
            {pauses.map((p) => (
              <tr>
                <td>{scopeText(p.scope)}</td>
                <td>{p.by}</td>
                <td class="mono">{p.at}</td>
                <td>{p.reason ?? ""}</td>
                {admin && (
                  <td>
                    <form method="post" action="/pauses/confirm">
                      <CsrfField session={session} />
                      <input type="hidden" name="verb" value="resume" />
                      <input type="hidden" name="scope" value={p.scope} />
                      <button class="cancel" type="submit">
                        Resume…
                      </button>
                    </form>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {admin ? (
        <div class="card">
          <h3>Pause</h3>
          <PauseForm session={session} />
        </div>
      ) : (
        <p class="note">Only an admin pauses and resumes.</p>
      )}
    </Layout>
  );
}

/** The confirmation step: says plainly what will happen, and only this form applies it. */
export function ConfirmPausePage(props: { session: Session; change: PauseChange }) {
  const { session, change } = props;
  const what = scopeText(change.scope);
  const effect =
    change.verb === "pause"
      ? `Everything but reads will be denied for ${what}, from the next request on.`
      : `${what[0]?.toUpperCase()}${what.slice(1)} will be able to act again, as the policy allows.`;
  return (
    <Layout title="Confirm" session={session} here="pauses">
      <h1>{change.verb === "pause" ? `Pause ${what}?` : `Resume ${what}?`}</h1>
      <p class="sub">{effect} This is recorded in the audit log under your name.</p>
      <form class="vote" method="post" action="/pauses/apply">
        <CsrfField session={session} />
        <input type="hidden" name="verb" value={change.verb} />
        <input type="hidden" name="scope" value={change.scope} />
        {change.reason && <input type="hidden" name="reason" value={change.reason} />}
        <input type="hidden" name="confirm" value="yes" />
        <button class={change.verb === "pause" ? "deny" : "approve"} type="submit">
          {change.verb === "pause" ? `Yes, pause ${what}` : `Yes, resume ${what}`}
        </button>
        <a href="/pauses">No, go back</a>
      </form>
    </Layout>
  );
}
