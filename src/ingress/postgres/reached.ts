import type { SqlAction } from "../../action/schema.js";
import type { RelationName, Relations } from "./relations.js";
import { quoteLiteral } from "./upstream-query.js";

type CalledFunction = NonNullable<SqlAction["functions"]>[number];
type Rule = NonNullable<SqlAction["rules"]>[number];

/** What runs when a statement runs: what it calls, and what runs out of sight of the call site. */
export interface Reached {
  /**
   * User functions it calls by name (no `via`), and those run by a view, a policy, a trigger, a
   * default, a constraint, an index, an operator, a cast, a type or an event trigger (with `via`).
   */
  functions: CalledFunction[];
  /** Built-in volatile functions among them (a view calling nextval): the statement is not a plain read. */
  volatile: string[];
  /** Rewrite rules on relations written to: they replace or add to what the statement does. */
  rules: Rule[];
  /** Whether one of them runs when the statement's query does (IN_QUERY): a preview would run it. */
  inQuery: boolean;
}

/** How deep views over views, policies' subqueries, cascades and partitions are followed. */
const DEPTH = 8;

/**
 * One catalog query for everything a statement's relations reach, following views (what their query
 * reads and calls), row-level security policies, and for relations written to, partitions and
 * foreign keys whose ON DELETE / ON UPDATE action changes another table, to: the functions those
 * views and policies call (user-defined ones, and volatile built-ins), also through the operators
 * they use; the non-internal triggers (their functions and WHEN clauses), rules, column defaults,
 * CHECK constraints and expression indexes of what is written, and its columns' types (a user type's
 * input function, a domain's CHECK constraints): user-defined functions only there (a built-in
 * trigger function such as suppress_redundant_updates_trigger is known). A name matches that
 * relation in every schema (the session's search_path is the agent's to set), or in its own schema
 * when qualified. In the same query, what the statement itself names (operators.ts): its operators'
 * functions, the casts, input functions and domain checks of the types it casts to (also of a type
 * named like a function it calls: `mytype('x')` is a cast when no such function exists), an operator
 * or a type the catalog does not have (unknown: created in a statement not committed yet), and for
 * DDL the enabled event triggers.
 */
export function reachedQuery(relations: Relations, functions: readonly string[] = []): string | undefined {
  const all = [...relations.read, ...relations.written];
  const operators = relations.operators ?? [];
  const types = relations.types ?? [];
  if (
    all.length === 0 &&
    operators.length === 0 &&
    types.length === 0 &&
    !relations.ddl &&
    functions.length === 0
  )
    return undefined;
  const named = `SELECT c.oid, bool_or(${matches(relations.written)}) AS written
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${matches(all)}
     GROUP BY c.oid`;
  const dependsOn = (catalog: string, object: string, on: string) =>
    `JOIN pg_depend d ON d.classid = '${catalog}'::regclass AND d.objid = ${object} AND d.refclassid = '${on}'::regclass`;
  // What an object's expression calls: functions, and the functions behind the operators it uses.
  const callsOf = (catalog: string, object: string) => `CROSS JOIN LATERAL (
      SELECT d.refobjid AS fn FROM pg_depend d
       WHERE d.classid = '${catalog}'::regclass AND d.objid = ${object} AND d.refclassid = 'pg_proc'::regclass
      UNION ALL
      SELECT v.fn FROM pg_depend d JOIN pg_operator o ON o.oid = d.refobjid,
        LATERAL (VALUES (o.oprcode::oid), (o.oprrest::oid), (o.oprjoin::oid)) v(fn)
       WHERE d.classid = '${catalog}'::regclass AND d.objid = ${object} AND d.refclassid = 'pg_operator'::regclass
         AND v.fn <> 0) c`;
  const typeNamed = `(${matches(types, "t.typname", "tn.nspname")}${
    functions.length > 0 ? ` OR t.typname IN (${functions.map(quoteLiteral).join(", ")})` : ""
  })`;
  const writtenColumns = `UNION ALL
  SELECT r.oid, a.attname, a.atttypid, a.atttypid, 0 FROM rels r
    JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped WHERE r.written`;
  const called = functions.length > 0;
  const written = relations.written.length > 0;
  const cast = types.length > 0 || called;
  const typed = cast || written;
  // Only what this statement can reach: each branch left out is less for Postgres to plan.
  const ctes = [
    ...(all.length > 0
      ? [
          `reach(oid, written, depth) AS (
  SELECT oid, written, 0 FROM (${named}) named
  UNION
  SELECT e.oid, e.written, r.depth + 1 FROM reach r, LATERAL (
    SELECT d.refobjid AS oid, r.written AS written FROM pg_rewrite w ${dependsOn("pg_rewrite", "w.oid", "pg_class")}
     WHERE w.ev_class = r.oid AND w.rulename = '_RETURN' AND d.refobjid <> r.oid
    UNION ALL
    SELECT d.refobjid, false FROM pg_policy p ${dependsOn("pg_policy", "p.oid", "pg_class")}
     WHERE p.polrelid = r.oid AND d.refobjid <> r.oid
    UNION ALL
    SELECT i.inhrelid, true FROM pg_inherits i WHERE r.written AND i.inhparent = r.oid
    UNION ALL
    SELECT k.conrelid, true FROM pg_constraint k
     WHERE r.written AND k.contype = 'f' AND k.confrelid = r.oid AND k.conrelid <> r.oid
       AND (k.confdeltype IN ('c', 'n', 'd') OR k.confupdtype IN ('c', 'n', 'd'))
  ) e WHERE r.depth < ${DEPTH}
), rels AS (SELECT oid, bool_or(written) AS written FROM reach GROUP BY oid)`,
        ]
      : []),
    ...(typed
      ? [
          `-- The types cast to, and the types of the columns written, with their domains' base types and arrays' elements.
types(rel, col, named, oid, depth) AS (
  SELECT NULL::oid, NULL::name, t.oid, t.oid, 0 FROM pg_type t JOIN pg_namespace tn ON tn.oid = t.typnamespace
   WHERE ${typeNamed}
  ${written ? writtenColumns : ""}
  UNION
  SELECT ty.rel, ty.col, ty.named, v.next, ty.depth + 1 FROM types ty JOIN pg_type t ON t.oid = ty.oid,
    LATERAL (VALUES (CASE WHEN t.typtype = 'd' THEN t.typbasetype END),
                    (CASE WHEN t.typlen = -1 AND t.typelem <> 0 THEN t.typelem END)) v(next)
   WHERE v.next IS NOT NULL AND ty.depth < ${DEPTH}
), typed AS (
  SELECT ty.*, CASE WHEN ty.rel IS NULL THEN 'type' ELSE 'column' END AS kind,
         CASE WHEN ty.rel IS NULL THEN format('%I.%I', tn.nspname, t.typname)
              ELSE format('%I (type %I.%I)', ty.col, tn.nspname, t.typname) END AS object
    FROM types ty JOIN pg_type t ON t.oid = ty.named JOIN pg_namespace tn ON tn.oid = t.typnamespace
)`,
        ]
      : []),
  ];
  const branches = (
    [
      [
        called,
        `SELECT 'call', NULL, NULL, p.oid FROM pg_proc p WHERE p.proname IN (${[...functions, ""].map(quoteLiteral).join(", ")})
   AND ${unseen("p.oid")}`,
      ],
      [
        all.length > 0,
        `SELECT 'view', r.oid, NULL, c.fn FROM rels r JOIN pg_rewrite w ON w.ev_class = r.oid AND w.rulename = '_RETURN'
    ${callsOf("pg_rewrite", "w.oid")}`,
      ],
      [
        all.length > 0,
        `SELECT 'policy', r.oid, p.polname::text, c.fn FROM rels r JOIN pg_policy p ON p.polrelid = r.oid
    ${callsOf("pg_policy", "p.oid")}`,
      ],
      [
        written,
        `SELECT 'trigger', r.oid, t.tgname::text, t.tgfoid FROM rels r JOIN pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
   WHERE r.written`,
      ],
      [
        written,
        `SELECT 'trigger', r.oid, t.tgname::text, c.fn FROM rels r JOIN pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
    ${callsOf("pg_trigger", "t.oid")} WHERE r.written`,
      ],
      [
        written,
        `SELECT 'rule', r.oid, w.rulename::text, NULL::oid FROM rels r JOIN pg_rewrite w ON w.ev_class = r.oid AND w.rulename <> '_RETURN'
   WHERE r.written`,
      ],
      [
        written,
        `SELECT 'default', r.oid, NULL, c.fn FROM rels r JOIN pg_attrdef a ON a.adrelid = r.oid
    ${callsOf("pg_attrdef", "a.oid")} WHERE r.written`,
      ],
      [
        written,
        `SELECT 'constraint', r.oid, k.conname::text, c.fn FROM rels r JOIN pg_constraint k ON k.conrelid = r.oid
    ${callsOf("pg_constraint", "k.oid")} WHERE r.written`,
      ],
      [
        written,
        `SELECT 'index', r.oid, NULL, c.fn FROM rels r JOIN pg_index i ON i.indrelid = r.oid
    ${callsOf("pg_class", "i.indexrelid")} WHERE r.written`,
      ],
      [
        typed,
        `SELECT ty.kind, ty.rel, ty.object, io.fn FROM typed ty JOIN pg_type t ON t.oid = ty.oid,
    LATERAL (VALUES (t.typinput::oid), (t.typreceive::oid), (t.typmodin::oid)) io(fn) WHERE io.fn <> 0 AND ${unseen("io.fn")}`,
      ],
      [
        typed,
        `SELECT ty.kind, ty.rel, ty.object, c.fn FROM typed ty JOIN pg_constraint k ON k.contypid = ty.oid
    ${callsOf("pg_constraint", "k.oid")}`,
      ],
      [
        cast,
        `SELECT 'cast to', NULL, format('%I.%I', tn.nspname, t.typname), k.castfunc FROM typed ty
    JOIN pg_cast k ON k.casttarget = ty.named AND k.castfunc <> 0
    JOIN pg_type t ON t.oid = ty.named JOIN pg_namespace tn ON tn.oid = t.typnamespace WHERE ty.rel IS NULL`,
      ],
      [
        operators.length > 0,
        `SELECT 'operator', NULL, format('%I.%s', n.nspname, o.oprname), v.fn FROM pg_operator o
    JOIN pg_namespace n ON n.oid = o.oprnamespace,
    LATERAL (VALUES (o.oprcode::oid), (o.oprrest::oid), (o.oprjoin::oid)) v(fn)
   WHERE o.oprname IN (${[...operators, ""].map(quoteLiteral).join(", ")}) AND v.fn <> 0 AND ${unseen("v.fn")}`,
      ],
      [
        operators.length > 0,
        `SELECT 'unknown', NULL, 'operator ' || x, NULL FROM unnest(ARRAY[${[...operators, ""].map(quoteLiteral).join(", ")}]) x
   WHERE x <> '' AND NOT EXISTS (SELECT FROM pg_operator o WHERE o.oprname = x)`,
      ],
      [
        types.length > 0,
        `SELECT 'unknown', NULL, 'type ' || x, NULL FROM unnest(ARRAY[${[...types.map(typeText), ""].map(quoteLiteral).join(", ")}]) x
   WHERE x <> '' AND NOT EXISTS (SELECT FROM typed ty JOIN pg_type t ON t.oid = ty.named
     JOIN pg_namespace tn ON tn.oid = t.typnamespace WHERE ty.rel IS NULL AND x IN (t.typname, tn.nspname || '.' || t.typname))`,
      ],
      [
        relations.ddl === true,
        `SELECT 'event trigger', NULL, e.evtname::text, e.evtfoid FROM pg_event_trigger e WHERE e.evtenabled <> 'D'`,
      ],
    ] as const
  ).flatMap(([wanted, sql]) => (wanted ? [sql] : []));
  return `WITH RECURSIVE ${[
    ...ctes,
    `found(kind, rel, object, fn) AS (
  SELECT NULL::text, NULL::oid, NULL::text, NULL::oid WHERE false
  UNION ALL
  ${branches.join("\n  UNION ALL\n  ")}
)`,
  ].join(",\n")}
SELECT DISTINCT f.kind, CASE WHEN c.oid IS NOT NULL THEN format('%I.%I', n.nspname, c.relname) END, f.object,
       p.proname, pn.nspname, p.provolatile::text, pg_get_userbyid(p.proowner), l.lanname
  FROM found f LEFT JOIN pg_class c ON c.oid = f.rel LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_proc p ON p.oid = f.fn LEFT JOIN pg_namespace pn ON pn.oid = p.pronamespace
  LEFT JOIN pg_language l ON l.oid = p.prolang
 WHERE f.fn IS NULL OR (pn.nspname NOT IN ('pg_catalog', 'information_schema') AND NOT ${installedReadOnly("p")})
    OR (p.provolatile = 'v' AND f.kind IN (${IN_QUERY.map(quoteLiteral).join(", ")}))
 ORDER BY 1, 2, 3, 4`;
}

/**
 * Whether a function is one the answer keeps (a user function, or a volatile built-in): filtered
 * where a name matches many built-ins (`=` is some sixty operators), so that few rows reach the end.
 */
const unseen = (fn: string) =>
  `EXISTS (SELECT FROM pg_proc q WHERE q.oid = ${fn} AND (q.provolatile = 'v'
     OR (q.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
         AND NOT ${installedReadOnly("q")})))`;

/**
 * Whether the pg_proc row `p` is a function an extension installed (a member of it: pg_depend
 * 'e') and declared IMMUTABLE or STABLE: known like a built-in. Such code came with CREATE EXTENSION
 * (DDL, judged here like any other) from the server's own extension files, not from the agent; and
 * Postgres refuses data-changing statements inside a non-volatile SQL or PL function. Without this,
 * citext's, hstore's or PostGIS's own `=` (matched by name in every schema) would make every statement
 * with `=` opaque in a database that has one of them. An extension's volatile functions (dblink_exec,
 * cron.schedule) stay user functions.
 */
const installedReadOnly = (p: string) =>
  `(${p}.provolatile <> 'v' AND EXISTS (SELECT FROM pg_depend e
     WHERE e.classid = 'pg_proc'::regclass AND e.objid = ${p}.oid AND e.deptype = 'e'))`;

/** What runs while the statement's query is evaluated (a preview would run it). */
const IN_QUERY = ["call", "view", "policy", "operator", "type", "cast to", "unknown"];

/** A type as the statement named it, as the unknown rows name it. */
const typeText = (t: RelationName) => (t.schema ? `${t.schema}.${t.name}` : t.name);

/** The query's rows as what the Action carries. */
export function readReached(rows: readonly (string | null)[][]): Reached {
  const out: Reached = { functions: [], volatile: [], rules: [], inQuery: false };
  for (const [kind, relation, object, name, schema, volatility, owner, language] of rows) {
    if (kind === "rule") {
      out.rules.push({ name: object ?? "", on: relation ?? "" });
      continue;
    }
    if (kind === "unknown") {
      // Not in the catalog: made by something not committed yet, or a name Postgres will reject.
      out.functions.push({ name: "(not looked up)", volatility: UNKNOWN, via: object ?? "" });
      out.inQuery = true;
      continue;
    }
    if (!name) continue;
    if (kind === "call") {
      // A function the statement calls by this name: a volatile built-in is judged as called.
      if (schema === "pg_catalog" || schema === "information_schema") out.volatile.push(name);
      else out.functions.push(facts(name, schema, volatility, owner, language));
      out.inQuery = true;
      continue;
    }
    const via =
      kind === "view"
        ? `view ${relation}`
        : `${kind}${object ? ` ${object}` : ""}${relation ? ` on ${relation}` : ""}`;
    if (schema === "pg_catalog" || schema === "information_schema") out.volatile.push(name);
    if (IN_QUERY.includes(kind ?? "")) out.inQuery = true;
    out.functions.push({ ...facts(name, schema, volatility, owner, language), via });
  }
  return out;
}

const facts = (
  name: string,
  schema: string | null | undefined,
  volatility: string | null | undefined,
  owner: string | null | undefined,
  language: string | null | undefined,
): CalledFunction => ({
  name,
  ...(schema ? { schema } : {}),
  ...(volatility ? { volatility } : {}),
  ...(owner ? { owner } : {}),
  ...(language ? { language } : {}),
});

const UNKNOWN = "unknown: not in the catalog (created by a statement not committed yet?)";

/** `name` in any schema, `schema.name` in its own; false for none. */
function matches(names: readonly RelationName[], name = "c.relname", schema = "n.nspname"): string {
  if (names.length === 0) return "false";
  const plain = names.filter((n) => n.schema === undefined).map((n) => quoteLiteral(n.name));
  const parts = [
    ...(plain.length > 0 ? [`${name} IN (${plain.join(", ")})`] : []),
    ...names.flatMap((n) =>
      n.schema === undefined
        ? []
        : [`(${schema} = ${quoteLiteral(n.schema)} AND ${name} = ${quoteLiteral(n.name)})`],
    ),
  ];
  return `(${parts.join(" OR ")})`;
}
