/**
 * What the AWS endpoint read upstream before showing the request (docs/aws.md): a stack's resources
 * with their DeletionPolicy, an environment's resources, a DB instance and its final snapshot, a
 * table's items, a bucket's objects, instances and their volumes, a policy's actions. Shown only when
 * the endpoint set it; the API strips the field from what agents send. Then the recovery points
 * airlock took before it forwarded the released call, with how to restore each.
 */
type Row = Record<string, string | number | boolean>;

interface RecoveryPoint {
  kind?: string;
  id?: string;
  restore?: string;
  at?: string;
}

const cell = (v: string | number | boolean | undefined): string =>
  v === undefined ? "" : typeof v === "boolean" ? (v ? "yes" : "no") : String(v);

export function AwsPreview(props: { action: Record<string, unknown>; recoveryPoints?: unknown }) {
  const preview = props.action.airlockPreview as
    | { summary?: string; error?: string; resources?: Row[]; recoveryPoint?: string }
    | undefined;
  const points = Array.isArray(props.recoveryPoints) ? (props.recoveryPoints as RecoveryPoint[]) : [];
  if ((!preview || typeof preview !== "object") && points.length === 0) return null;
  const rows = Array.isArray(preview?.resources) ? preview.resources : [];
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <div class="card">
      {preview && (
        <>
          <h2>What this would change (read upstream by airlock)</h2>
          <p>{preview.summary}</p>
          {preview.error && <p class="note">Could not read it: {preview.error}</p>}
          {preview.recoveryPoint && <p>Before it runs: {preview.recoveryPoint}</p>}
          {rows.length > 0 && (
            <table>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    {columns.map((c) => (
                      <td>{cell(r[c])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {points.length > 0 && (
        <>
          <h2>Recovery points airlock took before forwarding</h2>
          <ul>
            {points.map((p) => (
              <li>
                {p.kind}: <code>{p.id}</code>
                {p.at ? ` (${p.at})` : ""}. To restore: <code>{p.restore}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
