/**
 * A store's two failures, thrown (never returned): a commit either happened, was refused by the gate
 * (a value, `CommitResult`), or failed with one of these and wrote nothing.
 */

/** Someone else changed the same request first (or opened the same one): read again and retry. */
export class StoreConflict extends Error {
  override name = "StoreConflict";
  readonly code = "store_conflict";
}

/** Stable codes of an unavailable store: unreachable or failing, a row that fails its schema, a schema too new. */
export type StoreUnavailableCode = "store_unavailable" | "store_corrupt" | "store_schema_newer";

/** The store could not be read or written. Nothing was decided; the caller fails closed (deny). */
export class StoreUnavailable extends Error {
  override name = "StoreUnavailable";
  constructor(
    message: string,
    readonly code: StoreUnavailableCode = "store_unavailable",
  ) {
    super(message);
  }
}
