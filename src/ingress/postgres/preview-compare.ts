/** What a write would touch, measured on the upstream before it is held; shown to the approvers. */
export type Preview = Record<string, unknown>;

/** Table estimates move with autovacuum; a fifth either way still describes the same table. */
const TABLE_TOLERANCE = 0.2;

/**
 * Why an approval no longer describes the statement: the exact row count of a DELETE or UPDATE
 * changed at all, a table's estimate moved by more than the tolerance, or its size doubled. Undefined
 * when it still holds.
 */
export function movedBeyondTolerance(approved: Preview, now: Preview): string | undefined {
  if (approved.kind === "rows") {
    if (approved.rows !== now.rows)
      return `the statement matched ${String(approved.rows ?? "an unknown number of")} rows when approved and matches ${String(now.rows ?? "an unknown number of")} now`;
    return undefined;
  }
  if (approved.kind === "columns") {
    const same = JSON.stringify(approved.columns) === JSON.stringify(now.columns);
    return same ? undefined : "the rows holding data in the dropped columns changed since the approval";
  }
  const before = (approved.tables ?? []) as { table: string; rowEstimate?: number | null; bytes?: number }[];
  const after = (now.tables ?? []) as typeof before;
  for (const b of before) {
    const a = after.find((t) => t.table === b.table);
    if (!a) return `${b.table} is no longer measured`;
    const rb = b.rowEstimate ?? 0;
    const ra = a.rowEstimate ?? 0;
    if (Math.abs(ra - rb) > Math.max(1, rb * TABLE_TOLERANCE))
      return `${b.table} held about ${rb} rows when approved and about ${ra} now`;
    if ((a.bytes ?? 0) > 2 * Math.max(b.bytes ?? 0, 8192))
      return `${b.table} grew from ${b.bytes} to ${a.bytes} bytes since the approval`;
  }
  return undefined;
}
