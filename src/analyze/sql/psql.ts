import type { Operation } from "../types.js";
import { opaqueOp, readOp, sqlOp } from "./operation.js";

/**
 * psql meta-commands (`\c db`, `\i file`, `\! cmd`) are lines of the client, not SQL. Scripts that
 * agents run through psql carry them, so when Postgres rejects the input these lines are cut out
 * and classified here, in order with the SQL between them (`\c` changes where what follows runs).
 */
export type Segment = { sql: string } | { meta: Operation; database?: string };

const META_LINE = /^[ \t]*\\(\S+)[ \t]*(.*)$/gm;

/**
 * A line starting with a backslash is a meta-command only where psql would see one: outside
 * strings and comments, which `isClosed(sqlBefore)` (the Postgres scanner) tells.
 * Undefined when the input has no meta-command.
 */
export function splitMetaCommands(
  sql: string,
  isClosed: (sqlBefore: string) => boolean,
): Segment[] | undefined {
  if (!sql.includes("\\")) return undefined;
  const segments: Segment[] = [];
  let start = 0;
  for (const match of sql.matchAll(META_LINE)) {
    const before = sql.slice(start, match.index);
    if (before.trim() !== "" && !isClosed(before)) continue;
    segments.push({ sql: before });
    const meta = metaOperation(match[1] ?? "", (match[2] ?? "").trim());
    segments.push(meta.name === "\\connect" ? { meta, database: meta.envHints?.[0] ?? "" } : { meta });
    start = match.index + match[0].length;
  }
  if (segments.length === 0) return undefined;
  segments.push({ sql: sql.slice(start) });
  return segments;
}

function metaOperation(command: string, rest: string): Operation {
  const line = `\\${command}${rest ? ` ${rest}` : ""}`;
  switch (command) {
    case "c":
    case "connect": {
      const database = rest.split(/\s+/)[0] ?? "";
      return readOp("\\connect", `${line}: switches the connection to database ${database}`, [], [database]);
    }
    case "!":
      return sqlOp({
        name: "\\!",
        effect: "execute",
        reversibility: "irreversible",
        blastRadius: "host",
        opaque: true,
        targets: [{ type: "command", name: rest }],
        summary: `${line}: runs a shell command on the client machine`,
      });
    case "i":
    case "ir":
    case "include":
    case "include_relative":
      return opaqueOp("\\include", `${line}: runs SQL from a file airlock cannot see`, [
        { type: "path", name: rest },
      ]);
    case "gexec":
      return opaqueOp("\\gexec", `${line}: runs every value the query returns as SQL`);
    case "copy":
      return opaqueOp("\\copy", `${line}: client-side COPY (may run a program)`);
    default:
      return readOp(`\\${command}`, `${line}: a psql client command`);
  }
}
