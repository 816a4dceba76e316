import type { Operation } from "../types.js";
import { type EngineResult, MAX_STATEMENTS, tooMany } from "./engine.js";
import { rec } from "./mysql-ast.js";
import { classifyMysqlKeywords, type KeywordContext } from "./mysql-keywords.js";
import { type MyStatement, type SplitResult, splitMysql } from "./mysql-lexer.js";
import { classifyMysqlAst } from "./mysql-statement.js";
import { opaqueOp } from "./operation.js";

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
 * A backslash before a quote means different things under sql_mode NO_BACKSLASH_ESCAPES
 * (`'a\\'; DROP TABLE t; -- '`), which airlock cannot know: when the two readings split
 * differently, the operations of both are reported.
 */
export function analyzeMysql(sql: string, depth = 0): EngineResult {
  const primarySplit = splitMysql(sql);
  if (primarySplit.statements.length > MAX_STATEMENTS) return tooMany(primarySplit.statements.length);
  const parsed: ParseMemo = new Map();
  const primary = analyzeSplit(primarySplit, depth, parsed);
  if (!BACKSLASH_QUOTE.test(sql)) return primary;
  const alternateSplit = splitMysql(sql, { backslashEscapes: false });
  if (alternateSplit.error || sameTexts(primarySplit, alternateSplit)) return primary;
  const alternate = analyzeSplit(alternateSplit, depth, parsed);
  const seen = new Set(primary.operations.map(identity));
  const extra = alternate.operations.filter((op) => !seen.has(identity(op)));
  const note = "the SQL reads differently under sql_mode NO_BACKSLASH_ESCAPES; both readings were analysed";
  return { ...primary, operations: [...primary.operations, ...extra], notes: [...primary.notes, note] };
}

const BACKSLASH_QUOTE = /\\['"]/;

function sameTexts(a: SplitResult, b: SplitResult): boolean {
  return (
    a.statements.length === b.statements.length &&
    a.statements.every((s, i) => s.text === b.statements[i]?.text)
  );
}

function identity(op: Operation): string {
  return `${op.name}|${JSON.stringify(op.targets)}`;
}

function analyzeSplit(split: SplitResult, depth: number, parsed: ParseMemo): EngineResult {
  const operations: Operation[] = [];
  const notes: string[] = [];
  let unparsed = 0;
  const ctx: KeywordContext = {
    prepared: new Set(),
    reanalyze: (text) =>
      depth >= MAX_DEPTH
        ? [opaqueOp("UNPARSEABLE", "SQL nested too deeply to follow")]
        : analyzeMysql(text, depth + 1).operations,
  };
  let database: string | undefined;
  for (const stmt of split.statements) {
    const seen = analyzeStatement(stmt, ctx, parsed);
    // After `USE db`, what follows runs in db: that name is an environment hint for it.
    for (const op of seen.operations) {
      if (database && !op.envHints?.includes(database)) op.envHints = [...(op.envHints ?? []), database];
      if (op.name === "USE") database = op.envHints?.[0] ?? database;
    }
    operations.push(...seen.operations);
    if (seen.fallback)
      notes.push(`keyword classification for "${stmt.text.trim().slice(0, 40)}": ${seen.fallback}`);
    if (seen.fallback && seen.operations.some((op) => op.opaque)) unparsed++;
  }
  if (split.error) {
    operations.push(
      opaqueOp("UNPARSEABLE", `cannot split the SQL (${split.error}); the rest is treated as unknown`),
    );
    unparsed++;
    notes.push(`lexer: ${split.error}`);
  }
  return { operations, statements: split.statements.length, unparsed, notes };
}

function analyzeStatement(
  stmt: MyStatement,
  ctx: KeywordContext,
  parsed: ParseMemo,
): { operations: Operation[]; fallback?: string } {
  const ast = parse(stmt.text, parsed);
  if (ast instanceof ParseFailure) {
    return { operations: classifyMysqlKeywords(stmt, ctx), fallback: `parser: ${ast.message}` };
  }
  const trees = (Array.isArray(ast) ? ast : [ast]).map(rec);
  const operations: Operation[] = [];
  for (const tree of trees) {
    const ops = tree ? classifyMysqlAst(tree) : undefined;
    if (!ops)
      return {
        operations: classifyMysqlKeywords(stmt, ctx),
        fallback: `no rule for "${String(tree?.type)}"`,
      };
    operations.push(...ops);
  }
  return { operations };
}

class ParseFailure {
  constructor(readonly message: string) {}
}

/**
 * Parse results by statement text, within one analyzeMysql call: the NO_BACKSLASH_ESCAPES reading
 * repeats most statements of the first. Trees are only read, never changed, so sharing one is safe.
 */
type ParseMemo = Map<string, unknown>;

function parse(text: string, parsed: ParseMemo): unknown {
  if (parsed.has(text)) return parsed.get(text);
  let result: unknown;
  try {
    result = parser?.astify(text, { database: "mysql" });
  } catch (err) {
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    result = new ParseFailure(String(message));
  }
  parsed.set(text, result);
  return result;
}
