import { randomBytes } from "node:crypto";
import { type ErrorFields, errorResponse } from "./replies.js";
import { cstring, int16, message } from "./wire.js";

/**
 * A statement airlock refuses is replaced by one the upstream rejects at once (a syntax error naming
 * a random marker), so that the refusal arrives exactly where the statement's own answer would have,
 * Postgres skips the rest of the batch, and an open transaction is aborted, as for any error. The
 * upstream's error is then swapped for airlock's own.
 */
export class Refusals {
  readonly #pending = new Map<string, ErrorFields>();

  /** A simple Query to send in place of the refused one. */
  query(fields: ErrorFields): Buffer {
    return message("Q", cstring(this.#marker(fields)));
  }

  /** A Parse to send in place of a refused Bind (or Parse): it fails the same way. */
  parse(fields: ErrorFields): Buffer {
    const marker = this.#marker(fields);
    return message("P", cstring(marker.toLowerCase()), cstring(marker), int16(0));
  }

  /** Airlock's ErrorResponse when this upstream error is one of its markers. */
  rewrite(errorBody: Buffer): Buffer | undefined {
    const text = errorBody.toString("latin1");
    const at = text.indexOf("AIRLOCK_REFUSED_");
    if (at < 0) return undefined;
    const marker = text.slice(at, at + MARKER_LENGTH);
    const fields = this.#pending.get(marker);
    if (!fields) return undefined;
    this.#pending.delete(marker);
    return errorResponse(fields);
  }

  /** At ReadyForQuery: markers skipped by the upstream (after an earlier error) are forgotten. */
  clear(): void {
    this.#pending.clear();
  }

  #marker(fields: ErrorFields): string {
    const marker = `AIRLOCK_REFUSED_${randomBytes(12).toString("hex")}`;
    this.#pending.set(marker, fields);
    return marker;
  }
}

const MARKER_LENGTH = "AIRLOCK_REFUSED_".length + 24;
