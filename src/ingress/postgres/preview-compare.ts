import { DEFAULT_PREVIEW_TOLERANCE, type PreviewTolerance } from "../../policy/schema.js";

/** What a write would touch, measured on the upstream before it is held; shown to the approvers. */
export type Preview = Record<string, unknown>;

type Table = { table: string; rowEstimate?: number | null; bytes?: number };
type Column = { column?: string; rowsWithData?: number };

/** Whether `now` is within `by` of `then`: by the count, or by the percent of `then`, whichever is more. */
function within(then: number, now: number, by: { count: number; percent: number }): boolean {
  return Math.abs(now - then) <= Math.max(by.count, (Math.abs(then) * by.percent) / 100);
}

const figure = (n: unknown) => (typeof n === "number" && Number.isFinite(n) ? n : undefined);
const shown = (n: unknown) => String(figure(n) ?? "an unknown number of");

/**
 * Why an approval no longer describes the statement: a figure moved beyond the policy's tolerance
 * (settings.previewTolerance; by default any change in the rows of a DELETE or UPDATE or in a dropped
 * column's rows, a table's estimate moved by more than a fifth, or its size doubled). Undefined when
 * the approval still holds. A figure that could be measured at one time and not the other has moved.
 */
export function movedBeyondTolerance(
  approved: Preview,
  now: Preview,
  tolerance: PreviewTolerance = DEFAULT_PREVIEW_TOLERANCE,
): string | undefined {
  if (approved.kind === "rows") {
    const [then, current] = [figure(approved.rows), figure(now.rows)];
    if (then === current) return undefined;
    if (then === undefined || current === undefined || !within(then, current, tolerance.rows))
      return `the statement matched ${shown(approved.rows)} rows when approved and matches ${shown(now.rows)} now`;
    return undefined;
  }
  if (approved.kind === "columns") {
    const after = (now.columns ?? []) as Column[];
    for (const b of (approved.columns ?? []) as Column[]) {
      const a = after.find((c) => c.column === b.column);
      const [then, current] = [figure(b.rowsWithData), figure(a?.rowsWithData)];
      if (then === current) continue;
      if (then === undefined || current === undefined || !within(then, current, tolerance.columns))
        return `column ${b.column} held data in ${shown(b.rowsWithData)} rows when approved and in ${shown(a?.rowsWithData)} now`;
    }
    return undefined;
  }
  const after = (now.tables ?? []) as Table[];
  for (const b of (approved.tables ?? []) as Table[]) {
    const a = after.find((t) => t.table === b.table);
    if (!a) return `${b.table} is no longer measured`;
    const rb = b.rowEstimate ?? 0;
    const ra = a.rowEstimate ?? 0;
    if (!within(rb, ra, tolerance.tables))
      return `${b.table} held about ${rb} rows when approved and about ${ra} now`;
    if ((a.bytes ?? 0) > tolerance.tables.growth * Math.max(b.bytes ?? 0, 8192))
      return `${b.table} grew from ${b.bytes} to ${a.bytes} bytes since the approval`;
  }
  return undefined;
}
