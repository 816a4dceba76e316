import type { SqlAction } from "../../action/schema.js";
import type { RelationName, Relations } from "./relations.js";
import { quoteLiteral } from "./upstream-query.js";

type CalledFunction = NonNullable<SqlAction["functions"]>[number];
type Rule = NonNullable<SqlAction["rules"]>[number];

/** What runs out of sight of the call site when a statement uses these relations. */
export interface Reached {
  /** Functions called by a view, a policy, a trigger, a default, a constraint or an index, with `via`. */
  functions: CalledFunction[];
  /** Built-in volatile functions among them (a view calling nextval): the statement is not a plain read. */
  volatile: string[];
  /** Rewrite rules on relations written to: they replace or add to what the statement does. */
  rules: Rule[];
  /** Whether a view or a policy calls one of them: it runs when the statement's query does. */
  inQuery: boolean;
}

/** How deep views over views, policies' subqueries, cascades and partitions are followed. */
const DEPTH = 8;

/**
 * One catalog query for everything a statement's relations reach, following views (what their query
 * reads and calls), row-level security policies, and for relations written to, partitions and
 * foreign keys whose ON DELETE / ON UPDATE action changes another table, to: the functions those
 * views and policies call (user-defined ones, and volatile built-ins); the non-internal triggers,
 * rules, column defaults, CHECK constraints and expression indexes of what is written (user-defined
 * functions only: a built-in trigger function such as suppress_redundant_updates_trigger is known).
 * A name matches that relation in every schema (the session's search_path is the agent's to set), or
 * in its own schema when qualified.
 */
export function reachedQuery(relations: Relations): string | undefined {
  const all = [...relations.read, ...relations.written];
  if (all.length === 0) return undefined;
  const named = `SELECT c.oid, bool_or(${matches(relations.written)}) AS written
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${matches(all)}
     GROUP BY c.oid`;
  const dependsOn = (catalog: string, object: string, on: string) =>
    `JOIN pg_depend d ON d.classid = '${catalog}'::regclass AND d.objid = ${object} AND d.refclassid = '${on}'::regclass`;
  return `WITH RECURSIVE reach(oid, written, depth) AS (
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
), rels AS (SELECT oid, bool_or(written) AS written FROM reach GROUP BY oid),
found(kind, rel, object, fn) AS (
  SELECT 'view', r.oid, NULL::name, d.refobjid FROM rels r JOIN pg_rewrite w ON w.ev_class = r.oid AND w.rulename = '_RETURN'
    ${dependsOn("pg_rewrite", "w.oid", "pg_proc")}
  UNION ALL
  SELECT 'policy', r.oid, p.polname, d.refobjid FROM rels r JOIN pg_policy p ON p.polrelid = r.oid
    ${dependsOn("pg_policy", "p.oid", "pg_proc")}
  UNION ALL
  SELECT 'trigger', r.oid, t.tgname, t.tgfoid FROM rels r JOIN pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
   WHERE r.written
  UNION ALL
  SELECT 'rule', r.oid, w.rulename, NULL::oid FROM rels r JOIN pg_rewrite w ON w.ev_class = r.oid AND w.rulename <> '_RETURN'
   WHERE r.written
  UNION ALL
  SELECT 'default', r.oid, NULL, d.refobjid FROM rels r JOIN pg_attrdef a ON a.adrelid = r.oid
    ${dependsOn("pg_attrdef", "a.oid", "pg_proc")} WHERE r.written
  UNION ALL
  SELECT 'constraint', r.oid, k.conname, d.refobjid FROM rels r JOIN pg_constraint k ON k.conrelid = r.oid
    ${dependsOn("pg_constraint", "k.oid", "pg_proc")} WHERE r.written
  UNION ALL
  SELECT 'index', r.oid, NULL, d.refobjid FROM rels r JOIN pg_index i ON i.indrelid = r.oid
    ${dependsOn("pg_class", "i.indexrelid", "pg_proc")} WHERE r.written
)
SELECT DISTINCT f.kind, format('%I.%I', n.nspname, c.relname), f.object, p.proname, pn.nspname,
       p.provolatile::text, pg_get_userbyid(p.proowner), l.lanname
  FROM found f JOIN pg_class c ON c.oid = f.rel JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_proc p ON p.oid = f.fn LEFT JOIN pg_namespace pn ON pn.oid = p.pronamespace
  LEFT JOIN pg_language l ON l.oid = p.prolang
 WHERE f.fn IS NULL OR pn.nspname NOT IN ('pg_catalog', 'information_schema')
    OR (p.provolatile = 'v' AND f.kind IN ('view', 'policy'))
 ORDER BY 1, 2, 3, 4`;
}

/** The query's rows as what the Action carries. */
export function readReached(rows: readonly (string | null)[][]): Reached {
  const out: Reached = { functions: [], volatile: [], rules: [], inQuery: false };
  for (const [kind, relation, object, name, schema, volatility, owner, language] of rows) {
    if (kind === "rule") {
      out.rules.push({ name: object ?? "", on: relation ?? "" });
      continue;
    }
    if (!name) continue;
    const via = kind === "view" ? `view ${relation}` : `${kind}${object ? ` ${object}` : ""} on ${relation}`;
    if (schema === "pg_catalog" || schema === "information_schema") out.volatile.push(name);
    if (kind === "view" || kind === "policy") out.inQuery = true;
    out.functions.push({
      name,
      ...(schema ? { schema } : {}),
      ...(volatility ? { volatility } : {}),
      ...(owner ? { owner } : {}),
      ...(language ? { language } : {}),
      via,
    });
  }
  return out;
}

/** `name` in any schema, `schema.name` in its own; false for none. */
function matches(names: readonly RelationName[]): string {
  if (names.length === 0) return "false";
  const plain = names.filter((n) => n.schema === undefined).map((n) => quoteLiteral(n.name));
  const parts = [
    ...(plain.length > 0 ? [`c.relname IN (${plain.join(", ")})`] : []),
    ...names.flatMap((n) =>
      n.schema === undefined
        ? []
        : [`(n.nspname = ${quoteLiteral(n.schema)} AND c.relname = ${quoteLiteral(n.name)})`],
    ),
  ];
  return `(${parts.join(" OR ")})`;
}
