import type { SqlAction } from "../../action/schema.js";
import type { UpstreamTarget } from "./config.js";
import type { UpstreamSession } from "./upstream.js";
import { openOwnSession, quoteLiteral, sessionQuery } from "./upstream-query.js";

type CalledFunction = NonNullable<SqlAction["functions"]>[number];

/** What the catalog says of the functions a statement calls. */
export interface FunctionCalls {
  /** Functions of these names outside pg_catalog and information_schema: the Action carries them. */
  userDefined: CalledFunction[];
  /**
   * Built-in functions called with a volatile overload (nextval, pg_advisory_lock, pg_notify…): the
   * statement may change something even when it reads like a read. Every name when the look-up failed.
   */
  volatile: string[];
}

/**
 * Which functions a statement calls that are not Postgres's own, from the upstream's catalog: any
 * function of that name outside pg_catalog and information_schema (an overload or a function earlier
 * in the search path could be what runs); and which built-in ones are volatile. One connection of
 * airlock's own per database, one query at a time; when the look-up fails, every called name is
 * reported, so the statement is judged opaque.
 */
export class FunctionCatalog {
  #session: Promise<UpstreamSession> | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly target: UpstreamTarget) {}

  async calls(names: readonly string[]): Promise<FunctionCalls> {
    if (names.length === 0) return { userDefined: [], volatile: [] };
    const run = this.#queue.then(() => this.#lookUp(names));
    this.#queue = run.catch(() => undefined);
    try {
      return await run;
    } catch (err) {
      this.#session = undefined;
      return {
        userDefined: names.map((name) => ({
          name,
          volatility: `unknown: the catalog look-up failed (${(err as Error).message})`,
        })),
        volatile: [...names],
      };
    }
  }

  async #lookUp(names: readonly string[]): Promise<FunctionCalls> {
    this.#session ??= openOwnSession(this.target);
    const session = await this.#session;
    const list = names.map(quoteLiteral).join(", ");
    const rows = await sessionQuery(
      session.pull,
      `SELECT DISTINCT p.proname, n.nspname, p.provolatile::text, pg_get_userbyid(p.proowner), l.lanname,
              n.nspname IN ('pg_catalog', 'information_schema')
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
        WHERE p.proname IN (${list}) AND (n.nspname NOT IN ('pg_catalog', 'information_schema') OR p.provolatile = 'v')
        ORDER BY 1, 2`,
    );
    const userDefined: CalledFunction[] = [];
    const volatile = new Set<string>();
    for (const [name, schema, volatility, owner, language, builtIn] of rows) {
      if (builtIn === "t") {
        volatile.add(name ?? "");
        continue;
      }
      userDefined.push({
        name: name ?? "",
        ...(schema ? { schema } : {}),
        ...(volatility ? { volatility } : {}),
        ...(owner ? { owner } : {}),
        ...(language ? { language } : {}),
      });
    }
    return { userDefined, volatile: [...volatile] };
  }

  close(): void {
    this.#session?.then((s) => s.pull.socket.destroy()).catch(() => undefined);
  }
}

/** The names of the functions called anywhere in a statement's syntax tree (the last part, as Postgres folds it). */
export function calledFunctionNames(tree: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, inner] of Object.entries(v)) {
        if (k === "FuncCall") {
          const names = (inner as { funcname?: { String?: { sval?: string } }[] }).funcname ?? [];
          const last = names.at(-1)?.String?.sval;
          if (last) found.add(last);
        }
        walk(inner);
      }
    }
  };
  walk(tree);
  return [...found];
}
