import { type CreateFunctionStmt, type Node, parsePlPgSQLSync } from "libpg-query";
import type { Operation } from "../types.js";
import { createOp } from "./objects.js";
import { opaqueOp, readOp, sqlOp, within } from "./operation.js";
import { defElems, dotted, isRecord, sval } from "./pg-ast.js";
import { deeper, type Handlers, MAX_DEPTH, type PgContext, statementText } from "./pg-context.js";

/** What could be seen of a piece of procedural code, and what could not. */
interface CodeView {
  ops: Operation[];
  hidden: string[];
}

/** Statements that run or define code: DO, CREATE FUNCTION/PROCEDURE, CALL, LOAD. */
export const CODE_HANDLERS: Handlers = {
  DoStmt: (s, ctx) => {
    const language = optionText(s.args, "language") ?? "plpgsql";
    if (language !== "plpgsql")
      return [opaqueOp("DO", `DO block in ${language}: runs code airlock cannot see through`)];
    const view = plpgsqlView(statementText(ctx), ctx);
    const inner = within(view.ops, "a DO block");
    if (view.hidden.length > 0)
      return [opaqueOp("DO", `DO block: ${view.hidden.join("; ")}`), ...dropsUnseen(ctx), ...inner];
    return [readOp("DO", "DO block: runs the statements analysed with it"), ...inner];
  },
  CreateFunctionStmt: (s, ctx) => functionDefinition(s, ctx),
  CallStmt: (s) => {
    const name = dotted(s.funccall?.funcname);
    return [
      opaqueOp("CALL", `CALL ${name}(): runs a stored procedure airlock cannot see into`, [
        { type: "procedure", name },
      ]),
    ];
  },
  LoadStmt: (s) => [
    sqlOp({
      name: "LOAD",
      effect: "execute",
      reversibility: "irreversible",
      blastRadius: "host",
      opaque: true,
      targets: [{ type: "path", name: s.filename ?? "?" }],
      summary: `LOAD '${s.filename ?? ""}': loads a native library into the database server`,
    }),
  ],
};

const DESTRUCTIVE_WORDS = /\b(DROP|TRUNCATE|DELETE)\b/i;

/** A DO block whose dynamic SQL names DROP, TRUNCATE or DELETE: irreversible even unseen. */
function dropsUnseen(ctx: PgContext): Operation[] {
  if (!DESTRUCTIVE_WORDS.test(statementText(ctx))) return [];
  return [
    sqlOp({
      name: "DO (drops)",
      effect: "delete",
      reversibility: "irreversible",
      blastRadius: "environment",
      opaque: true,
      tags: ["data-loss"],
      summary: "DO block: its dynamic SQL drops, truncates or deletes what airlock cannot name",
    }),
  ];
}

/**
 * A function's body runs later, when it is called; its statements are reported now, marked as such,
 * because a function is created to be run (often in the same script).
 */
function functionDefinition(s: CreateFunctionStmt, ctx: PgContext): Operation[] {
  const word = s.is_procedure ? "PROCEDURE" : "FUNCTION";
  const name = dotted(s.funcname);
  const language = (optionText(s.options, "language") ?? "sql").toLowerCase();
  let view: CodeView;
  if (s.sql_body)
    view = { ops: bodyStatements(s.sql_body).flatMap((n) => ctx.classify(n, deeper(ctx))), hidden: [] };
  else if (language === "sql")
    view = { ops: ctx.classifyText(bodyText(s.options) ?? "", deeper(ctx)), hidden: [] };
  else if (language === "plpgsql") view = plpgsqlView(statementText(ctx), ctx);
  else view = { ops: [], hidden: [`its body is ${language} code`] };
  const inner = within(view.ops, `${word.toLowerCase()} ${name}, when called`);
  if (view.hidden.length > 0) {
    return [
      opaqueOp(
        `CREATE ${word}`,
        `CREATE ${word} ${name}: airlock cannot see through it (${view.hidden.join("; ")})`,
      ),
      ...inner,
    ];
  }
  return [createOp(word, [name], { replace: s.replace === true }), ...inner];
}

/** BEGIN ATOMIC bodies arrive as a list holding a list of statements. */
function bodyStatements(body: Node): Node[] {
  if (!("List" in body)) return [body];
  return (body.List.items ?? []).flatMap((item) => ("List" in item ? (item.List.items ?? []) : [item]));
}

function optionText(options: Node[] | undefined, name: string): string | undefined {
  return sval(defElems(options).find((d) => d.defname === name)?.arg);
}

function bodyText(options: Node[] | undefined): string | undefined {
  const arg = defElems(options).find((d) => d.defname === "as")?.arg;
  if (arg && "List" in arg) return sval(arg.List.items?.[0]);
  return sval(arg);
}

/** Parse PL/pgSQL (a DO block or a CREATE FUNCTION) and classify every SQL statement and expression in it. */
function plpgsqlView(text: string, ctx: PgContext): CodeView {
  if (ctx.depth >= MAX_DEPTH) return { ops: [], hidden: ["code nested too deeply"] };
  let tree: unknown;
  try {
    tree = parsePlPgSQLSync(text);
  } catch (err) {
    return {
      ops: [],
      hidden: [`PL/pgSQL did not parse (${err instanceof Error ? err.message : String(err)})`],
    };
  }
  const view: CodeView = { ops: [], hidden: [] };
  visit(tree, deeper(ctx), view);
  return view;
}

const DYNAMIC = new Set(["PLpgSQL_stmt_dynexecute", "PLpgSQL_stmt_dynfors", "dynquery"]);

function visit(value: unknown, ctx: PgContext, view: CodeView): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, ctx, view);
    return;
  }
  if (!isRecord(value)) return;
  for (const key in value) {
    const child = value[key];
    if (DYNAMIC.has(key)) {
      if (!view.hidden.includes("dynamic SQL (EXECUTE of a built string)"))
        view.hidden.push("dynamic SQL (EXECUTE of a built string)");
      continue;
    }
    if (key === "PLpgSQL_expr" && isRecord(child)) {
      view.ops.push(...expressionOps(String(child.query ?? ""), Number(child.parseMode ?? 0), ctx));
      continue;
    }
    visit(child, ctx, view);
  }
}

/** parseMode 0 is a whole statement; other modes are expressions or assignments (`n := f(x)`). */
function expressionOps(query: string, parseMode: number, ctx: PgContext): Operation[] {
  if (parseMode === 0) return ctx.classifyText(query, ctx);
  const assigned = query.indexOf(":=");
  const expr = assigned >= 0 ? query.slice(assigned + 2) : query;
  const ops = ctx.classifyText(`SELECT ${expr}`, ctx);
  // Drop the SELECT that only wraps the expression; keep what the expression itself does.
  return ops[0]?.name === "SELECT" ? ops.slice(1) : ops;
}
