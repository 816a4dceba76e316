import type { SqlAction } from "../../action/schema.js";
import type { UpstreamTarget } from "./config.js";
import { reachedQuery, readReached } from "./reached.js";
import { asksCatalog, type Relations } from "./relations.js";
import type { UpstreamSession } from "./upstream.js";
import { openOwnSession, sessionQuery } from "./upstream-query.js";

type CalledFunction = NonNullable<SqlAction["functions"]>[number];
/** An answer, from when it was asked; `refreshing` once it is being asked again (see #refresh). */
type CacheEntry = { at: number; answer: Promise<Answer>; refreshing?: true };
/** An answer, marked when the look-up failed (it is then not kept). */
type Answer = FunctionCalls & { failed?: true };

/** What the catalog says of the functions a statement calls, and of what its relations run. */
export interface FunctionCalls {
  /**
   * Functions of these names outside pg_catalog and information_schema, and the functions the
   * relations run out of sight (with `via`): the Action carries them.
   */
  userDefined: CalledFunction[];
  /**
   * Built-in functions called with a volatile overload (nextval, pg_advisory_lock, pg_notify…), also
   * through a view: the statement may change something even when it reads like a read. Every name
   * when the look-up failed.
   */
  volatile: string[];
  /** Rewrite rules on the relations written to. */
  rules: NonNullable<SqlAction["rules"]>;
  /** Whether any of these functions runs while the statement's query is evaluated (a preview would run it). */
  inQuery: boolean;
}

const NO_RELATIONS: Relations = { read: [], written: [] };
const NOTHING: FunctionCalls = { userDefined: [], volatile: [], rules: [], inQuery: false };
/**
 * How long an answer is reused. Any statement forwarded through the proxy that may change the catalog
 * (anything but a plain read, and COMMIT) clears it at once; this bounds how long a change made
 * elsewhere (a direct connection) goes unseen.
 */
export const CATALOG_TTL_MS = 2000;
/**
 * From this age on, an answer still in use is asked again in the background while it is served (it
 * is still within CATALOG_TTL_MS), so that a read of relations in steady use never waits for the
 * catalog's round trip (1–8 ms) when its answer expires.
 */
export const CATALOG_REFRESH_AFTER_MS = 1500;
/** Distinct questions kept; past this the cache starts over. */
const CACHE_SIZE = 10_000;

/**
 * Which functions a statement calls that are not Postgres's own, from the upstream's catalog: any
 * function of that name outside pg_catalog and information_schema (an overload or a function earlier
 * in the search path could be what runs); which built-in ones are volatile; and what the relations it
 * uses, the operators and types it names, and DDL's event triggers run out of sight (reached.ts), all
 * in one query. One connection of airlock's own per database, one query at a time, answers reused for CATALOG_TTL_MS unless the proxy forwarded a change (and asked again in the
 * background near the end, see #refresh); when the look-up fails, every called name and everything asked about is
 * reported unknown, so the statement is judged opaque.
 */
export class FunctionCatalog {
  #session: Promise<UpstreamSession> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #cache = new Map<string, CacheEntry>();
  /** Catalog round trips made (for tests and the bench). */
  lookups = 0;

  constructor(
    private readonly target: UpstreamTarget,
    private readonly now: () => number = Date.now,
  ) {}

  calls(names: readonly string[], relations: Relations = NO_RELATIONS): Promise<FunctionCalls> {
    if (names.length === 0 && !asksCatalog(relations)) return Promise.resolve(NOTHING);
    const key = JSON.stringify([[...names].sort(), relations]);
    const hit = this.#cache.get(key);
    const age = hit ? this.now() - hit.at : Number.POSITIVE_INFINITY;
    if (hit && age < CATALOG_TTL_MS) {
      if (age >= CATALOG_REFRESH_AFTER_MS && !hit.refreshing) this.#refresh(key, hit, names, relations);
      return hit.answer;
    }
    if (this.#cache.size >= CACHE_SIZE) this.#cache.clear();
    const entry: CacheEntry = { at: this.now(), answer: this.#ask(names, relations) };
    this.#cache.set(key, entry);
    // A failed look-up is not kept: the next statement asks again.
    entry.answer.then((a) => {
      if (a.failed && this.#cache.get(key) === entry) this.#cache.delete(key);
    });
    return entry.answer;
  }

  /**
   * Ask again while `hit` is served. The new answer replaces it only if `hit` is still the entry for
   * this key when the answer comes: changed() drops every entry, so an answer asked before something
   * forwarded may have changed the catalog is never kept. It counts from when it was asked, like a
   * miss's; a failed look-up leaves `hit` to expire, and the next statement then waits for its own.
   */
  #refresh(key: string, hit: CacheEntry, names: readonly string[], relations: Relations): void {
    hit.refreshing = true;
    const at = this.now();
    void this.#ask(names, relations).then((answer) => {
      if (!answer.failed && this.#cache.get(key) === hit)
        this.#cache.set(key, { at, answer: Promise.resolve(answer) });
    });
  }

  /** The proxy forwarded something that may have changed the catalog: ask again from now on. */
  changed(): void {
    this.#cache.clear();
  }

  async #ask(names: readonly string[], relations: Relations): Promise<Answer> {
    const run = this.#queue.then(() => this.#lookUp(names, relations));
    this.#queue = run.catch(() => undefined);
    try {
      return await run;
    } catch (err) {
      this.#session = undefined;
      const why = `unknown: the catalog look-up failed (${(err as Error).message})`;
      const named = (r: { schema?: string; name: string }) => (r.schema ? `${r.schema}.${r.name}` : r.name);
      const vias = [
        ...[...relations.read, ...relations.written].map((r) => `relation ${named(r)}`),
        ...(relations.operators ?? []).map((o) => `operator ${o}`),
        ...(relations.types ?? []).map((t) => `type ${named(t)}`),
        ...(relations.ddl ? ["event triggers"] : []),
      ];
      return {
        userDefined: [
          ...names.map((name) => ({ name, volatility: why })),
          ...vias.map((via) => ({ name: "(not looked up)", volatility: why, via })),
        ],
        volatile: [...names],
        rules: [],
        inQuery: true,
        failed: true,
      };
    }
  }

  async #lookUp(names: readonly string[], relations: Relations): Promise<FunctionCalls> {
    const query = reachedQuery(relations, names);
    if (!query) return NOTHING;
    this.lookups++;
    this.#session ??= openOwnSession(this.target);
    const session = await this.#session;
    const reached = readReached(await sessionQuery(session.pull, query));
    return {
      userDefined: reached.functions,
      volatile: [...new Set(reached.volatile)],
      rules: reached.rules,
      inQuery: reached.inQuery,
    };
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
