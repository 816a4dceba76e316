import type { UpstreamTarget } from "./config.js";
import { readErrorFields } from "./replies.js";
import type { SocketPull } from "./socket-pull.js";
import { connectUpstream, UpstreamError } from "./upstream.js";
import { cstring, message } from "./wire.js";

/**
 * A query of airlock's own on a fresh upstream connection (previews): every row of every statement
 * as text. Only for small answers; the agent's results never go through here.
 */
export async function upstreamQuery(target: UpstreamTarget, sql: string): Promise<(string | null)[][]> {
  const session = await openOwnSession(target);
  try {
    return await sessionQuery(session.pull, sql);
  } finally {
    session.pull.socket.end(message("X"));
  }
}

/** An upstream login of airlock's own (not an agent's session). */
export function openOwnSession(target: UpstreamTarget) {
  return connectUpstream(
    target,
    new Map([
      ["client_encoding", "UTF8"],
      ["application_name", "airlock"],
    ]),
  );
}

/** One simple query on an open session of airlock's own: its rows as text, or the error thrown. */
export async function sessionQuery(pull: SocketPull, sql: string): Promise<(string | null)[][]> {
  pull.socket.write(message("Q", cstring(sql)));
  const rows: (string | null)[][] = [];
  let error: Map<string, string> | undefined;
  for (;;) {
    const m = await pull.message();
    if (m.type === "D") rows.push(dataRow(m.body));
    else if (m.type === "E") error ??= readErrorFields(m.body);
    else if (m.type === "Z") break;
  }
  if (error) throw new UpstreamError(`${error.get("C")}: ${error.get("M")}`, error);
  return rows;
}

function dataRow(body: Buffer): (string | null)[] {
  const n = body.readInt16BE(0);
  const values: (string | null)[] = [];
  let at = 2;
  for (let i = 0; i < n; i++) {
    const length = body.readInt32BE(at);
    at += 4;
    values.push(length < 0 ? null : body.toString("utf8", at, at + length));
    at += Math.max(length, 0);
  }
  return values;
}

/** A string as a SQL literal (standard_conforming_strings on). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
