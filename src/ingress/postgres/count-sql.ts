import { parseSync, scanSync } from "libpg-query";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The read-only twin of a DELETE or UPDATE: `SELECT count(…)` over the same tables and WHERE, cut
 * from the statement's own text at its top-level keywords (so what is counted is exactly what the
 * statement would match). Undefined when the statement is not one of these, or uses WHERE CURRENT OF.
 */
export function countSql(sql: string): string | undefined {
  return selectOver(sql, "count");
}

/** The rows a single-table DELETE or UPDATE would change, as they are now (`SELECT t.* …`). */
export function rowsSql(sql: string): string | undefined {
  return selectOver(sql, "rows");
}

function selectOver(sql: string, mode: "count" | "rows"): string | undefined {
  let tree: ReturnType<typeof parseSync>;
  try {
    tree = parseSync(sql);
  } catch {
    return undefined;
  }
  const stmt = tree.stmts?.[0]?.stmt as Record<string, Record<string, unknown>> | undefined;
  if (!stmt || (tree.stmts?.length ?? 0) !== 1) return undefined;
  const kind = Object.keys(stmt)[0];
  const node = kind ? stmt[kind] : undefined;
  if (!node || (kind !== "DeleteStmt" && kind !== "UpdateStmt")) return undefined;
  if (JSON.stringify(node.whereClause ?? {}).includes("CurrentOfExpr")) return undefined;
  const keywords = topLevelKeywords(sql);
  const bytes = encoder.encode(sql);
  const text = (from: number, to: number) => decoder.decode(bytes.subarray(from, to)).trim();
  const lead = kind === "DeleteStmt" ? "DELETE" : "UPDATE";
  const start = keywords.find((k) => k.word === lead);
  if (!start) return undefined;
  const after = (word: string, from: number) => keywords.find((k) => k.word === word && k.start >= from);
  const returning = after("RETURNING", start.end);
  const end = returning?.start ?? bytes.length;
  const where = after("WHERE", start.end);
  const whereText = where && where.start < end ? text(where.end, end) : undefined;
  const beforeWhere = where && where.start < end ? where.start : end;
  let target: string;
  let others: string | undefined;
  if (kind === "DeleteStmt") {
    const from = after("FROM", start.end);
    if (!from) return undefined;
    const using = after("USING", from.end);
    const usingHere = using && using.start < beforeWhere ? using : undefined;
    target = text(from.end, usingHere?.start ?? beforeWhere);
    others = usingHere ? text(usingHere.end, beforeWhere) : undefined;
  } else {
    const set = after("SET", start.end);
    if (!set) return undefined;
    const from = after("FROM", set.end);
    const fromHere = from && from.start < beforeWhere ? from : undefined;
    target = text(start.end, set.start);
    others = fromHere ? text(fromHere.end, beforeWhere) : undefined;
  }
  const relation = node.relation as { relname?: string; alias?: { aliasname?: string } } | undefined;
  const name = relation?.alias?.aliasname ?? relation?.relname ?? "";
  const ref = `"${name.replace(/"/g, '""')}"`;
  // Joined rows can repeat a target row; each is changed once, so count the distinct ones.
  if (mode === "rows" && others) return undefined;
  const counted =
    mode === "rows" ? `${ref}.*` : others ? `count(DISTINCT (${ref}.tableoid, ${ref}.ctid))` : "count(*)";
  const prefix = text(0, start.start);
  const built =
    `${prefix} SELECT ${counted} FROM ${target}${others ? `, ${others}` : ""}${whereText ? ` WHERE ${whereText}` : ""}`.trim();
  return isOneSelect(built) ? built : undefined;
}

interface Keyword {
  word: string;
  start: number;
  end: number;
}

function topLevelKeywords(sql: string): Keyword[] {
  let depth = 0;
  const found: Keyword[] = [];
  for (const t of scanSync(sql).tokens) {
    if (t.text === "(" || t.text === "[") depth++;
    else if (t.text === ")" || t.text === "]") depth--;
    else if (depth === 0 && t.keywordKind > 0)
      found.push({ word: t.text.toUpperCase(), start: t.start, end: t.end });
  }
  return found;
}

function isOneSelect(sql: string): boolean {
  try {
    const stmts = parseSync(sql).stmts ?? [];
    return stmts.length === 1 && stmts[0]?.stmt !== undefined && "SelectStmt" in stmts[0].stmt;
  } catch {
    return false;
  }
}
