import { loadModule, type ParseResult, parseSync, scanSync } from "libpg-query";
import type { Operation } from "../types.js";
import { opaqueOp } from "./operation.js";
import { MAX_DEPTH, type PgContext } from "./pg-context.js";
import { classifyPgStatement } from "./pg-statement.js";

/** What an engine saw: its operations, and how many statements it could not parse. */
export interface EngineResult {
  operations: Operation[];
  statements: number;
  unparsed: number;
  notes: string[];
}

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
    const operations = classifyTree(tree, context(sql, session, 0));
    return { operations, statements: tree.stmts?.length ?? 0, unparsed: 0, notes: [] };
  } catch (err) {
    return recover(sql, errorText(err), session);
  }
}

function recover(sql: string, error: string, session: Session): EngineResult {
  const whole = unparseable(sql, error);
  const pieces = splitStatements(sql);
  if (!pieces) return { operations: [whole], statements: 1, unparsed: 1, notes: [`parse failed: ${error}`] };
  const operations: Operation[] = [];
  let unparsed = 0;
  let statements = 0;
  for (const piece of pieces) {
    try {
      const tree = parseSync(piece);
      statements += tree.stmts?.length ?? 0;
      operations.push(...classifyTree(tree, context(piece, session, 0)));
    } catch (err) {
      statements += 1;
      unparsed += 1;
      operations.push(unparseable(piece, errorText(err)));
    }
  }
  // The whole input failed even if every piece parsed alone: keep it opaque.
  if (unparsed === 0) {
    operations.push(whole);
    unparsed = 1;
  }
  return { operations, statements, unparsed, notes: [`parse failed (${error}); statements were parsed one by one`] };
}

function classifyTree(tree: ParseResult, ctx: PgContext): Operation[] {
  return (tree.stmts ?? []).flatMap((raw) => (raw.stmt ? classifyPgStatement(raw.stmt, { ...ctx, raw }) : []));
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

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
