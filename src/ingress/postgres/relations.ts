import { namedOf } from "./operators.js";

/**
 * The tables and views a statement uses, by name, from its syntax tree: what the catalog is asked
 * about for what runs out of sight of the call site (see reached.ts). `read`: every relation named
 * by a statement that runs a query (views run their definition, row-level security policies their
 * expressions); `written`: the targets of INSERT, UPDATE, DELETE, MERGE, TRUNCATE and COPY FROM,
 * wherever they sit (a CTE too), whose triggers, rules, defaults and cascades run. With them, what
 * else the catalog is asked about for the same reason (operators.ts): the operators and types the
 * statement names, and whether it is DDL (event triggers run). Those are absent when there are none.
 */
export interface Relations {
  read: RelationName[];
  written: RelationName[];
  /** Operators it names: their functions (and selectivity estimators) run. */
  operators?: string[];
  /** Types it casts to: their casts, input functions and domain checks run. */
  types?: RelationName[];
  /** DDL (it may change the catalog): the database's event triggers run. */
  ddl?: true;
}

/** A relation as named: `schema` only when the statement qualified it. */
export interface RelationName {
  schema?: string;
  name: string;
}

/** Statements that run what the relations they name define; DDL only names them. */
const RUNS = new Set([
  "SelectStmt",
  "InsertStmt",
  "UpdateStmt",
  "DeleteStmt",
  "MergeStmt",
  "CopyStmt",
  "TruncateStmt",
  "ExplainStmt",
  "DeclareCursorStmt",
  "CreateTableAsStmt",
  "RefreshMatViewStmt",
]);
const WRITES = new Set(["InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"]);

interface RangeVar {
  schemaname?: string;
  relname?: string;
}

/** A key per distinct name (identifiers cannot hold NUL). */
const keyOf = (r: RangeVar | undefined): string | undefined =>
  typeof r?.relname === "string" ? `${r.schemaname ?? ""}\0${r.relname}` : undefined;

const nameOf = (key: string): RelationName => {
  const [schema, name] = key.split("\0") as [string, string];
  return schema ? { schema, name } : { name };
};

/** Whether the statement names anything the catalog is asked about (see Relations). */
export function namesAny(r: Relations): boolean {
  return (
    r.read.length > 0 || r.written.length > 0 || (r.operators?.length ?? 0) > 0 || (r.types?.length ?? 0) > 0
  );
}

/** Whether the catalog has anything to say of these: what they name, or event triggers for DDL. */
export function asksCatalog(r: Relations): boolean {
  return namesAny(r) || r.ddl === true;
}

/**
 * The relations of one statement's node (`{ SelectStmt: … }`), none for a statement that runs nothing
 * of them, and the operators and types it names (see Relations).
 */
export function relationsOf(stmt: unknown): Relations {
  const node = stmt && typeof stmt === "object" ? Object.keys(stmt)[0] : undefined;
  const { operators, types } = namedOf(stmt);
  return {
    ...(node && RUNS.has(node) ? relationsRun(stmt) : { read: [], written: [] }),
    ...(operators.length > 0 ? { operators } : {}),
    ...(types.length > 0 ? { types } : {}),
    ...(node && mayChangeCatalog(node) ? { ddl: true as const } : {}),
  };
}

function relationsRun(stmt: unknown): Relations {
  const read = new Set<string>();
  const written = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!v || typeof v !== "object") return;
    const name = keyOf(v as RangeVar);
    if (name) read.add(name);
    for (const [k, inner] of Object.entries(v)) {
      if (WRITES.has(k)) addWritten((inner as { relation?: RangeVar }).relation);
      if (k === "TruncateStmt")
        for (const r of (inner as { relations?: { RangeVar?: RangeVar }[] }).relations ?? [])
          addWritten(r.RangeVar);
      if (k === "CopyStmt" && (inner as { is_from?: boolean }).is_from)
        addWritten((inner as { relation?: RangeVar }).relation);
      walk(inner);
    }
  };
  const addWritten = (r: RangeVar | undefined) => {
    const name = keyOf(r);
    if (name) written.add(name);
  };
  walk(stmt);
  return { read: [...read].sort().map(nameOf), written: [...written].sort().map(nameOf) };
}

/**
 * Statements that cannot change what the catalog says of relations and functions (DML, reads,
 * transaction and session control). Anything else (DDL, DO, CALL, a statement that did not parse)
 * may: until it is committed, the catalog airlock asks on its own connection does not show it.
 */
const KEEPS_CATALOG = new Set([
  ...RUNS,
  "TransactionStmt",
  "VariableSetStmt",
  "VariableShowStmt",
  "FetchStmt",
  "ClosePortalStmt",
  "PrepareStmt",
  "ExecuteStmt",
  "DeallocateStmt",
  "ListenStmt",
  "UnlistenStmt",
  "NotifyStmt",
  "LockStmt",
  "DiscardStmt",
]);

export function mayChangeCatalog(node: string | undefined): boolean {
  return node === undefined || !KEEPS_CATALOG.has(node);
}
