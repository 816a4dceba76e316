/** A type as named: `schema` only when the statement qualified it. */
export interface TypeName {
  schema?: string;
  name: string;
}

/** The operators and types a statement names, whose functions run when it does. */
export interface Named {
  /** Operator names (the last part, as `OPERATOR(s.===)` names it): their functions run in the query. */
  operators: string[];
  /** Types cast to (`::t`, `CAST(… AS t)`, `t 'literal'`): their input functions, casts and domain checks run. */
  types: TypeName[];
}

/**
 * BETWEEN is not an operator of its own: Postgres rewrites it to these comparisons. A simple CASE
 * (`CASE x WHEN 1`) compares with `=`.
 */
const BETWEEN = ["<", "<=", ">", ">="];

type Names = { String?: { sval?: string } }[] | undefined;
const parts = (names: Names): string[] =>
  (names ?? []).flatMap((n) => (n.String?.sval ? [n.String.sval] : []));

/**
 * What a statement's syntax tree names of operators (A_Expr, `= ANY (subquery)`, `ORDER BY … USING`)
 * and of types it casts to. Implicit operators (a join's or GROUP BY's equality, a sort's ordering,
 * chosen from the type's default operator class) are not named anywhere and are not found here.
 */
export function namedOf(tree: unknown): Named {
  const operators = new Set<string>();
  const types = new Map<string, TypeName>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!v || typeof v !== "object") return;
    for (const [k, inner] of Object.entries(v)) {
      const node = inner as Record<string, unknown>;
      if (k === "A_Expr") {
        const kind = String(node.kind ?? "");
        if (kind.includes("BETWEEN")) for (const o of BETWEEN) operators.add(o);
        else addOperator(node.name as Names);
      }
      if (k === "SubLink") addOperator(node.operName as Names);
      if (k === "SortBy") addOperator(node.useOp as Names);
      if (k === "CaseExpr" && node.arg) operators.add("=");
      if (k === "TypeCast") {
        const name = parts((node.typeName as { names?: Names } | undefined)?.names);
        const last = name.at(-1);
        if (last) {
          const schema = name.length > 1 ? name.at(-2) : undefined;
          types.set(`${schema ?? ""}\0${last}`, schema ? { schema, name: last } : { name: last });
        }
      }
      walk(inner);
    }
  };
  const addOperator = (names: Names) => {
    const last = parts(names).at(-1);
    if (last) operators.add(last);
  };
  walk(tree);
  return {
    operators: [...operators].sort(),
    types: [...types.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t),
  };
}
