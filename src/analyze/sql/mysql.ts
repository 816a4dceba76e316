import type { Operation } from "../types.js";
import { rec } from "./mysql-ast.js";
import { classifyMysqlKeywords } from "./mysql-keywords.js";
import { type MyStatement, splitMysql } from "./mysql-lexer.js";
import { classifyMysqlAst } from "./mysql-statement.js";
import { opaqueOp } from "./operation.js";
import type { EngineResult } from "./postgres.js";

interface MysqlParser {
  astify(sql: string, options: { database: string }): unknown;
}

let parser: MysqlParser | undefined;

/** Nested SQL text (EXPLAIN ANALYZE, PREPARE … FROM '…') deeper than this is opaque. */
const MAX_DEPTH = 3;

/** Loads node-sql-parser's MySQL grammar only (its full build holds every dialect). */
export async function loadMysql(): Promise<void> {
  if (parser) return;
  const mod = (await import("node-sql-parser/build/mysql.js")) as unknown as {
    default?: { Parser?: new () => MysqlParser };
    Parser?: new () => MysqlParser;
  };
  const Parser = mod.default?.Parser ?? mod.Parser;
  if (!Parser) throw new Error("node-sql-parser/build/mysql.js has no Parser export");
  parser = new Parser();
}

export function mysqlLoaded(): boolean {
  return parser !== undefined;
}

/**
 * Split into statements with a MySQL-aware lexer, then parse each with node-sql-parser; statements
 * it rejects (it lacks REVOKE, DROP USER, FLUSH …) go to a conservative keyword classifier.
 */
export function analyzeMysql(sql: string, depth = 0): EngineResult {
  const split = splitMysql(sql);
  const operations: Operation[] = [];
  const notes: string[] = [];
  let unparsed = 0;
  for (const stmt of split.statements) {
    const seen = analyzeStatement(stmt, depth);
    operations.push(...seen.operations);
    if (seen.fallback) notes.push(`keyword classification for "${stmt.text.trim().slice(0, 40)}": ${seen.fallback}`);
    if (seen.fallback && seen.operations.some((op) => op.opaque)) unparsed++;
  }
  if (split.error) {
    operations.push(opaqueOp("UNPARSEABLE", `cannot split the SQL (${split.error}); the rest is treated as unknown`));
    unparsed++;
    notes.push(`lexer: ${split.error}`);
  }
  return { operations, statements: split.statements.length, unparsed, notes };
}

function analyzeStatement(stmt: MyStatement, depth: number): { operations: Operation[]; fallback?: string } {
  const reanalyze = (text: string) =>
    depth >= MAX_DEPTH ? [opaqueOp("UNPARSEABLE", "SQL nested too deeply to follow")] : analyzeMysql(text, depth + 1).operations;
  let ast: unknown;
  try {
    ast = parser?.astify(stmt.text, { database: "mysql" });
  } catch (err) {
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return { operations: classifyMysqlKeywords(stmt, reanalyze), fallback: `parser: ${message}` };
  }
  const trees = (Array.isArray(ast) ? ast : [ast]).map(rec);
  const operations: Operation[] = [];
  for (const tree of trees) {
    const ops = tree ? classifyMysqlAst(tree) : undefined;
    if (!ops) return { operations: classifyMysqlKeywords(stmt, reanalyze), fallback: `no rule for "${String(tree?.type)}"` };
    operations.push(...ops);
  }
  return { operations };
}
