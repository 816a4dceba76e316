import { loadModule, type ParseResult, parseSync, scanSync } from "libpg-query";
import type { Operation } from "../types.js";
import { type EngineResult, MAX_STATEMENTS, tooMany } from "./engine.js";
import { opaqueOp } from "./operation.js";
import { MAX_DEPTH, type PgContext } from "./pg-context.js";
import { classifyPgStatement } from "./pg-statement.js";
import { splitMetaCommands } from "./psql.js";

let loaded = false;

export async function loadPostgres(): Promise<void> {
  await loadModule();
  loaded = true;
}

export function postgresLoaded(): boolean {
  return loaded;
}

/**
 * Parse with the real Postgres parser. When the whole input fails, it is split at the scanner's
 * semicolons and each statement is parsed alone, so that a DROP hidden behind a statement the
 * parser rejects is still seen; the input as a whole stays opaque.
 */
export function analyzePostgres(sql: string): EngineResult {
  const session = { prepared: new Set<string>(), temporary: new Set<string>() };
  try {
    const tree = parseSync(sql);
    if ((tree.stmts?.length ?? 0) > MAX_STATEMENTS) return tooMany(tree.stmts?.length ?? 0);
    const operations = classifyTree(tree, context(sql, session, 0));
    return { operations, statements: tree.stmts?.length ?? 0, unparsed: 0, notes: [] };
  } catch (err) {
    return recover(sql, errorText(err), session);
  }
}

function recover(sql: string, error: string, session: Session): EngineResult {
  // Already opaque; a cheap bound spares scanning a huge input statement by statement.
  const semicolons = sql.split(";").length - 1;
  if (semicolons > MAX_STATEMENTS * 2) return tooMany(semicolons);
  const segments = splitMetaCommands(sql, scansCleanly);
  const operations: Operation[] = [];
  let unparsed = 0;
  let statements = 0;
  let database: string | undefined;
  for (const segment of segments ?? [{ sql }]) {
    if ("meta" in segment) {
      operations.push(runsIn(segment.meta, database));
      database = segment.database ?? database;
      continue;
    }
    if (segment.sql.trim() === "") continue;
    const pieces = splitStatements(segment.sql);
    if (!pieces) {
      operations.push(runsIn(unparseable(segment.sql, error), database));
      unparsed++;
      continue;
    }
    statements += pieces.length;
    if (statements > MAX_STATEMENTS) return tooMany(statements);
    for (const piece of pieces) {
      const seen = parsePiece(piece, session);
      if (seen.failed) unparsed++;
      operations.push(...seen.operations.map((op) => runsIn(op, database)));
    }
  }
  // The whole input failed even if every piece parsed alone: keep it opaque, unless psql
  // meta-commands (now classified) were what the parser rejected.
  if (unparsed === 0 && !segments) {
    operations.push(unparseable(sql, error));
    unparsed = 1;
  }
  const notes = [`parse failed (${error}); statements were parsed one by one`];
  return { operations, statements, unparsed, notes };
}

function parsePiece(piece: string, session: Session): { operations: Operation[]; failed: boolean } {
  try {
    return { operations: classifyTree(parseSync(piece), context(piece, session, 0)), failed: false };
  } catch (err) {
    return { operations: [unparseable(piece, errorText(err))], failed: true };
  }
}

/** After psql's `\c db`, what follows runs in db: that name is an environment hint for it. */
function runsIn(op: Operation, database: string | undefined): Operation {
  if (database && !op.envHints?.includes(database)) op.envHints = [...(op.envHints ?? []), database];
  return op;
}

function classifyTree(tree: ParseResult, ctx: PgContext): Operation[] {
  return (tree.stmts ?? []).flatMap((raw) =>
    raw.stmt ? classifyPgStatement(raw.stmt, { ...ctx, raw }) : [],
  );
}

/** What statements of one input learn about each other (prepared statements, temporary tables). */
type Session = Pick<PgContext, "prepared" | "temporary">;

function context(source: string, session: Session, depth: number): PgContext {
  return { source, ...session, depth, classify: classifyPgStatement, classifyText };
}

/** SQL found inside a statement (a function body, a PL/pgSQL statement). */
function classifyText(sql: string, ctx: PgContext): Operation[] {
  if (ctx.depth > MAX_DEPTH) return [opaqueOp("UNPARSEABLE", "SQL nested too deeply to follow")];
  try {
    return classifyTree(parseSync(sql), context(sql, ctx, ctx.depth));
  } catch (err) {
    return [unparseable(sql, errorText(err))];
  }
}

function unparseable(sql: string, error: string): Operation {
  const excerpt = sql.trim().replace(/\s+/g, " ").slice(0, 80);
  return opaqueOp("UNPARSEABLE", `cannot parse SQL (${error}): "${excerpt}" is treated as unknown`);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Statements split at top-level semicolons by Postgres's own scanner; undefined when it cannot scan. */
function splitStatements(sql: string): string[] | undefined {
  let tokens: ReturnType<typeof scanSync>["tokens"];
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    return undefined;
  }
  const bytes = encoder.encode(sql);
  const pieces: string[] = [];
  let start = 0;
  for (const token of tokens) {
    if (token.tokenName !== "ASCII_59") continue;
    pieces.push(decoder.decode(bytes.subarray(start, token.start)));
    start = token.end;
  }
  pieces.push(decoder.decode(bytes.subarray(start)));
  return pieces.filter((p) => p.trim().length > 0);
}

/** Whether the text ends outside any string or comment (the scanner throws on an unterminated one). */
function scansCleanly(sql: string): boolean {
  try {
    scanSync(sql);
    return true;
  } catch {
    return false;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
