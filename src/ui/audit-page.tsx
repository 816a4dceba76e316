import type { AuditStatus } from "./audit-status.js";
import { FULL_CHECK_LIMIT } from "./audit-status.js";
import { Layout } from "./layout.js";
import type { Session } from "./session.js";

function Latest(props: { status: AuditStatus; verifierKey: string }) {
  const latest = props.status.latest;
  if (!latest) return <div class="empty">No checkpoint has been signed yet.</div>;
  const sig = latest.signature;
  return (
    <div class="card">
      <h3>Latest checkpoint</h3>
      <p>
        {sig.ok ? (
          <span class="verified" data-verified="true">
            Signature verified
          </span>
        ) : (
          <span class="unverified" data-verified="false">
            Signature NOT verified: {sig.error}
          </span>
        )}{" "}
        with the server's verifier key. It covers the first {latest.size} entries.
      </p>
      <pre>{latest.note}</pre>
      <p class="note">
        Verifier key: <code>{props.verifierKey}</code>. Keep a copy of it, and of this checkpoint, somewhere
        this server cannot write: <code>airlock audit verify --from FILE</code> then proves the log still
        holds, unchanged, everything it covered.
      </p>
    </div>
  );
}

function FullCheck(props: { status: AuditStatus }) {
  const full = props.status.full;
  if (!full) {
    return (
      <p class="note">
        The log has more than {FULL_CHECK_LIMIT} entries, too many to recompute on every view: run{" "}
        <code>airlock audit verify</code> to check every entry against every checkpoint.
      </p>
    );
  }
  return full.ok ? (
    <p class="verified" data-full="ok">
      Every entry recomputed: the log matches all {props.status.checkpoints} signed checkpoints.
    </p>
  ) : (
    <div class="flash refused" data-full="failed">
      The log does not match its checkpoints:
      <ul class="plain">
        {full.problems.map((p) => (
          <li>{p}</li>
        ))}
      </ul>
    </div>
  );
}

/** The audit log at a glance: how large it is, and whether its latest signed checkpoint holds. */
export function AuditPage(props: { session: Session; status: AuditStatus; verifierKey: string }) {
  const { session, status, verifierKey } = props;
  return (
    <Layout title="Audit log" session={session} here="audit">
      <h1>Audit log</h1>
      <p class="sub">
        {status.entries} entries, {status.checkpoints} signed checkpoint{status.checkpoints === 1 ? "" : "s"}.
        Every action, decision, vote, release and refusal is an entry of an append-only Merkle tree.
      </p>
      <Latest status={status} verifierKey={verifierKey} />
      <FullCheck status={status} />
    </Layout>
  );
}
