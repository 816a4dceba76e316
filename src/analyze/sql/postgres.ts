import { loadModule, type ParseResult, parseSync } from "libpg-query";
import type { Operation } from "../types.js";
import { type EngineResult, MAX_STATEMENTS, tooMany } from "./engine.js";
import { opaqueOp } from "./operation.js";
import { MAX_DEPTH, type PgContext, withStatement } from "./pg-context.js";
import { PgSplitter } from "./pg-split.js";
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
  let tree: ParseResult;
  try {
    tree = parseSync(sql);
  } catch (err) {
    return recover(sql, errorText(err), session, true);
  }
  try {
    if ((tree.stmts?.length ?? 0) > MAX_STATEMENTS) return tooMany(tree.stmts?.length ?? 0);
    const operations = classifyTree(tree, context(sql, session, 0));
    return { operations, statements: tree.stmts?.length ?? 0, unparsed: 0, notes: [] };
  } catch (err) {
    return recover(sql, errorText(err), session, false);
  }
}

/** `parseFailed`: the error is the parser's own for the whole input, so a piece that is the whole input fails alike. */
function recover(sql: string, error: string, session: Session, parseFailed: boolean): EngineResult {
  // Already opaque; a cheap bound spares scanning a huge input statement by statement.
  const semicolons = sql.split(";").length - 1;
  if (semicolons > MAX_STATEMENTS * 2) return tooMany(semicolons);
  const splitter = new PgSplitter();
  const segments = splitMetaCommands(sql, (before) => splitter.scansCleanly(before));
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
    const pieces = splitter.split(segment.sql);
    if (!pieces) {
      operations.push(runsIn(unparseable(segment.sql, error), database));
      unparsed++;
      continue;
    }
    statements += pieces.length;
    if (statements > MAX_STATEMENTS) return tooMany(statements);
    for (const piece of pieces) {
      const seen =
        parseFailed && piece === sql
          ? { operations: [unparseable(piece, error)], failed: true }
          : parsePiece(piece, session);
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
    raw.stmt ? classifyPgStatement(raw.stmt, withStatement(ctx, raw)) : [],
  );
}

/** What statements of one input learn about each other (prepared statements, temporary tables). */
type Session = Pick<PgContext, "prepared" | "temporary">;

function context(source: string, session: Session, depth: number): PgContext {
  const { prepared, temporary } = session;
  return { source, prepared, temporary, depth, classify: classifyPgStatement, classifyText, raw: undefined };
}

/** SQL found inside a statement (a function body, a PL/pgSQL statement). */
function classifyText(sql: string, ctx: PgContext): Operation[] {
  if (ctx.depth > MAX_DEPTH) return [opaqueOp("UNPARSEABLE", "SQL nested too deeply to follow")];
  try {
    // The nested parse keeps the enclosing source (as the original `{ source, ...ctx }` did).
    return classifyTree(parseSync(sql), context(ctx.source, ctx, ctx.depth));
  } catch (err) {
    return [unparseable(sql, errorText(err))];
  }
}

function unparseable(sql: string, error: string): Operation {
  const excerpt = sql.trim().replace(/\s+/g, " ").slice(0, 80);
  return opaqueOp("UNPARSEABLE", `cannot parse SQL (${error}): "${excerpt}" is treated as unknown`);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
