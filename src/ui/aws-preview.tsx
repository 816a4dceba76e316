/**
 * What the AWS endpoint read upstream before showing the request (docs/aws.md): for a stack's deletion,
 * every resource with its type and DeletionPolicy. Shown only when the endpoint set it; the API strips
 * the field from what agents send.
 */
interface PreviewResource {
  logicalId: string;
  physicalId: string;
  type: string;
  deletionPolicy: string;
}

export function AwsPreview(props: { action: Record<string, unknown> }) {
  const preview = props.action.airlockPreview as
    | { summary?: string; error?: string; resources?: PreviewResource[] }
    | undefined;
  if (!preview || typeof preview !== "object") return null;
  return (
    <div class="card">
      <h2>What this would change (read upstream by airlock)</h2>
      <p>{preview.summary}</p>
      {preview.error && <p class="note">Could not read it: {preview.error}</p>}
      {preview.resources && preview.resources.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>resource</th>
              <th>type</th>
              <th>physical id</th>
              <th>DeletionPolicy</th>
            </tr>
          </thead>
          <tbody>
            {preview.resources.map((r) => (
              <tr>
                <td>{r.logicalId}</td>
                <td>{r.type}</td>
                <td>{r.physicalId}</td>
                <td>{r.deletionPolicy === "Delete" ? "Delete (goes with the stack)" : r.deletionPolicy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
