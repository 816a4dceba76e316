import { type JudgeContext, type Judgement, judgeStatement } from "./judge.js";
import type { Outcomes } from "./outcomes.js";
import type { Pipeline } from "./pipeline.js";
import type { Refusals } from "./refusals.js";
import { mayChangeCatalog, type Relations } from "./relations.js";
import { SQLSTATE } from "./replies.js";
import {
  inlineParameters,
  type ParameterSlot,
  parameterSlots,
  RENAMES_PREPARED,
  splitStatements,
} from "./statements.js";
import { type Member, settleTogether } from "./together.js";
import { BodyReader } from "./wire.js";

/**
 * Protocol-level prepared statements of a connection: name → the SQL it was parsed from, with what
 * its one parse found (its node, the functions it calls, where its parameters are), so that each
 * execution is not parsed for them again.
 */
export type Prepared = Map<
  string,
  { sql: string; node?: string; functions?: string[]; relations?: Relations; slots: ParameterSlot[] }
>;

export interface RequestContext {
  judge: JudgeContext;
  refusals: Refusals;
  outcomes: Outcomes;
  prepared: Prepared;
  /** The Binds held until their Sync, once one of them would use an approval (see pipeline.ts). */
  pipeline: Pipeline;
  /** A forwarded read's audit entry could not be written: the session ends (fail closed). */
  unrecorded: (err: Error) => void;
}

/** A simple Query: every statement judged in order; the message goes on whole only if all are allowed. */
export async function judgeQuery(ctx: RequestContext, raw: Buffer, body: Buffer): Promise<Buffer> {
  try {
    return await judgeQueryStatements(ctx, raw, body);
  } finally {
    // Its ReadyForQuery ends what it was expected to do.
    ctx.outcomes.cycle();
  }
}

async function judgeQueryStatements(ctx: RequestContext, raw: Buffer, body: Buffer): Promise<Buffer> {
  const text = new BodyReader(body).cstring();
  const statements = splitStatements(text);
  for (const statement of statements) {
    const encoding = encodingChange(statement.sql);
    if (encoding) return refuseNow(ctx, encoding);
  }
  // One implicit transaction: every statement is judged before any is sent, and all go or none.
  const members: Member[] = [];
  let unsettled = ctx.outcomes.unsettled;
  for (const statement of statements) {
    const judgement = await judgeStatement(ctx.judge, { ...statement, unsettled }, "simple query");
    members.push({ sql: statement.sql, ...(statement.node ? { node: statement.node } : {}), judgement });
    // What the statements before it create is not in the catalog yet when it is judged.
    if (mayChangeCatalog(statement.node)) unsettled = true;
  }
  const refusal = await settleTogether(members);
  for (const m of members) {
    const expected = expectation(ctx, m.judgement, m.sql, m.node);
    if (refusal) {
      // Its entry says allowed: what is recorded next is that it did not run.
      if (!m.judgement.refusal && !m.judgement.spend)
        ctx.outcomes.notRun(expected, "not run: another statement sent with it was refused");
    } else ctx.outcomes.expect(expected);
  }
  if (refusal) return ctx.refusals.query(refusal);
  if (statements.some((s) => s.node && RENAMES_PREPARED.has(s.node))) ctx.prepared.clear();
  return raw;
}

/**
 * A Parse only remembers the text: nothing runs until a Bind, which is what is judged. Reusing a
 * name still in use is refused here, as Postgres would refuse it, so the text airlock remembers
 * is always the text the upstream holds.
 */
export function trackParse(ctx: RequestContext, raw: Buffer, body: Buffer): Buffer {
  const reader = new BodyReader(body);
  const name = reader.cstring();
  const sql = reader.cstring();
  if (name !== "" && ctx.prepared.has(name))
    return ctx.refusals.parse({ code: "42P05", message: `prepared statement "${name}" already exists` });
  const encoding = encodingChange(sql);
  if (encoding) return ctx.refusals.parse(encoding);
  const trimmed = sql.trim();
  const [first] = splitStatements(trimmed);
  ctx.prepared.set(name, {
    sql: trimmed,
    ...(first?.node ? { node: first.node } : {}),
    ...(first?.functions ? { functions: first.functions } : {}),
    ...(first?.relations ? { relations: first.relations } : {}),
    slots: parameterSlots(trimmed),
  });
  return raw;
}

/** A Bind: the prepared statement with these parameter values is one execution, judged as such. */
export async function judgeBind(ctx: RequestContext, raw: Buffer, body: Buffer): Promise<Buffer> {
  const reader = new BodyReader(body);
  reader.cstring();
  const name = reader.cstring();
  const formats = Array.from({ length: reader.int16() }, () => reader.int16());
  const values = Array.from({ length: reader.int16() }, () => {
    const n = reader.int32();
    return n < 0 ? null : reader.bytes(n);
  });
  const known = ctx.prepared.get(name);
  // A name prepared with SQL PREPARE (or renamed since) is not known here: judged as an EXECUTE of it.
  const sql = known?.sql ?? `EXECUTE "${name.replace(/"/g, '""')}"`;
  const binary = (i: number) => (formats.length === 1 ? formats[0] === 1 : formats[i] === 1);
  // Parameters are values: the inlined statement has the node and function calls of its text.
  const judged = await judgeStatement(
    ctx.judge,
    {
      sql: inlineParameters(sql, values, binary, known?.slots),
      ...(known?.node ? { node: known.node } : {}),
      ...(known?.functions ? { functions: known.functions } : {}),
      ...(known?.relations ? { relations: known.relations } : {}),
      unsettled: ctx.outcomes.unsettled,
    },
    "extended query",
  );
  const expected = judged.refusal ? undefined : expectation(ctx, judged, sql, known?.node);
  if (expected) ctx.outcomes.expect(expected);
  ctx.pipeline.join(sql, judged, expected);
  if (judged.refusal) return ctx.refusals.parse(judged.refusal);
  if (known?.node && RENAMES_PREPARED.has(known.node)) ctx.prepared.clear();
  return raw;
}

export function refuseFunctionCall(ctx: RequestContext): Buffer {
  ctx.outcomes.cycle();
  return ctx.refusals.query({
    code: SQLSTATE.featureNotSupported,
    message:
      "airlock does not pass the fast-path function call; call the function in SQL, where it is judged",
  });
}

function refuseNow(ctx: RequestContext, fields: { code: string; message: string }): Buffer {
  return ctx.refusals.query(fields);
}

function expectation(ctx: RequestContext, judged: Judgement, sql: string, node: string | undefined) {
  judged.recorded?.catch((err: Error) => ctx.unrecorded(err));
  const digest = judged.decision.digest;
  return {
    ...(digest ? { digest } : {}),
    // Once it ran, the catalog may say something else (see catalog.ts).
    changes: judged.catalogMayChange === true || mayChangeCatalog(node),
    ddl: mayChangeCatalog(node),
    environment: ctx.judge.database.environment,
    sql,
    ...(judged.queued ? { after: judged.queued } : {}),
  };
}

/** SQL is judged as UTF-8: a statement that could switch the session to another encoding is refused. */
function encodingChange(sql: string): { code: string; message: string } | undefined {
  if (!/client_encoding|\bset\s+(session\s+|local\s+)?names\b/i.test(sql)) return undefined;
  return {
    code: SQLSTATE.featureNotSupported,
    message: "airlock judges SQL as UTF8; changing client_encoding is not allowed through it",
  };
}
