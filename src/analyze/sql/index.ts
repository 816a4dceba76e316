import type { SqlAction } from "../../action/schema.js";
import type { Analysis, AnalysisStatus } from "../types.js";
import { catalogFunctionOps, catalogRuleOps } from "./catalog-functions.js";
import { type EngineResult, MAX_STATEMENTS } from "./engine.js";
import { analyzeMysql, loadMysql, mysqlLoaded } from "./mysql.js";
import { opaqueOp, readOp } from "./operation.js";
import { analyzePostgres, loadPostgres, postgresLoaded } from "./postgres.js";

export { MAX_STATEMENTS };

/** Larger SQL is not parsed at all: one opaque operation, status "limited". */
export const MAX_SQL_BYTES = 1024 * 1024;

type Engine = NonNullable<SqlAction["engine"]>;

/** The parser an engine's SQL is read with: sqlite is read with the Postgres parser. */
function parserOf(engine: Engine): "postgres" | "mysql" {
  return engine === "mysql" ? "mysql" : "postgres";
}

/**
 * Load the parsers for the given engines (default: both). Await before analyzeSql. Loading only
 * the one an action needs keeps a cold start for Postgres SQL from paying for the MySQL grammar.
 */
export async function loadSql(engines: readonly Engine[] = ["postgres", "mysql"]): Promise<void> {
  const parsers = new Set(engines.map(parserOf));
  await Promise.all([
    parsers.has("postgres") ? loadPostgres() : undefined,
    parsers.has("mysql") ? loadMysql() : undefined,
  ]);
}

/** Whether analyzeSql can run for this engine without loading anything. */
export function sqlLoaded(engine: Engine): boolean {
  return parserOf(engine) === "mysql" ? mysqlLoaded() : postgresLoaded();
}

/**
 * Every statement of an sql Action, as operations. Pure and synchronous after loadSql();
 * any internal failure becomes an opaque operation, never an exception.
 */
export function analyzeSql(action: SqlAction): Analysis {
  const analysis = analyzeText(action);
  const called = [...catalogFunctionOps(action.functions), ...catalogRuleOps(action.rules)];
  if (called.length === 0) return analysis;
  const status = analysis.status === "complete" ? "partial" : analysis.status;
  return { ...analysis, status, operations: [...analysis.operations, ...called] };
}

function analyzeText(action: SqlAction): Analysis {
  const engine = action.engine ?? "postgres";
  if (!sqlLoaded(engine)) throw new Error(`analyzeSql called before loadSql(["${engine}"]) resolved`);
  const envHints = action.database ? [action.database] : [];
  try {
    const size = byteLength(action.sql);
    if (size > MAX_SQL_BYTES) {
      const op = opaqueOp(
        "TOO LARGE",
        `SQL of ${size} bytes is over the ${MAX_SQL_BYTES}-byte limit and was not parsed`,
      );
      return {
        status: "limited",
        operations: [op],
        envHints,
        notes: [`not parsed: over ${MAX_SQL_BYTES} bytes`],
      };
    }
    const blank = action.sql.trim() === "";
    const result = blank
      ? NOTHING
      : engine === "mysql"
        ? analyzeMysql(action.sql)
        : analyzePostgres(action.sql);
    if (result.tooMany) {
      const why = `${result.statements} statements, over the limit of ${MAX_STATEMENTS}; not classified`;
      return { status: "limited", operations: [opaqueOp("TOO LARGE", why)], envHints, notes: [why] };
    }
    const notes = [...engineNotes(engine, result), ...result.notes];
    if (result.operations.length === 0) {
      const empty = readOp("EMPTY", "no SQL statements (empty, or only comments)");
      return { status: "complete", operations: [empty], envHints, notes };
    }
    return { status: statusOf(result), operations: result.operations, envHints, notes };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const op = opaqueOp("UNPARSEABLE", `SQL analysis failed (${message}); treated as unknown`);
    return { status: "opaque", operations: [op], envHints, notes: [`internal error: ${message}`] };
  }
}

const NOTHING: EngineResult = { operations: [], statements: 0, unparsed: 0, notes: [] };

function statusOf(result: EngineResult): AnalysisStatus {
  const seen = result.operations.some((op) => !op.opaque);
  if (result.unparsed > 0) return seen ? "partial" : "opaque";
  if (result.operations.some((op) => op.opaque)) return seen ? "partial" : "opaque";
  return "complete";
}

function engineNotes(engine: string, result: EngineResult): string[] {
  const parser = engine === "mysql" ? "node-sql-parser (MySQL grammar)" : "libpg-query (the Postgres parser)";
  const notes = [`${result.statements} statement(s), parsed with ${parser}`];
  if (engine === "sqlite")
    notes.push("sqlite SQL is parsed with the Postgres grammar; what it rejects is opaque");
  return notes;
}

/** UTF-8 length, computed only when the string could be over the limit. */
function byteLength(sql: string): number {
  return sql.length * 3 <= MAX_SQL_BYTES ? sql.length : Buffer.byteLength(sql, "utf8");
}
