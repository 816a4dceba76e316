export type LogFormat = "text" | "json";
export const LOG_FORMATS: readonly LogFormat[] = ["text", "json"];
export type LogLevel = "info" | "warn" | "error";

/** Structured fields of a log line; `level` defaults to info. Never a token, a secret or an Action's content. */
export interface LogFields {
  level?: LogLevel;
  [field: string]: unknown;
}

/** What every part of `airlock serve` logs through; `(line) => void` callers need no change. */
export type Log = (line: string, fields?: LogFields) => void;

/**
 * The server's log on stderr, one line per event. `text` is the line as written, for a person (every
 * line says what its fields would); `json` is one JSON object per line, `{"time","level","msg",…fields}`,
 * for a log shipper.
 */
export function createLog(
  format: LogFormat,
  write: (text: string) => void = (text) => process.stderr.write(text),
  now: () => Date = () => new Date(),
): Log {
  if (format === "json")
    return (line, { level = "info", ...fields } = {}) =>
      write(`${JSON.stringify({ time: now().toISOString(), level, msg: line, ...fields })}\n`);
  return (line) => write(`${line}\n`);
}
