import type { BlastRadius, Reversibility } from "../../action/decision.js";
import type { Operation } from "../types.js";
import { listNames, sqlOp } from "./operation.js";

interface DropRule {
  reversibility: Reversibility;
  blastRadius: BlastRadius;
  tags: string[];
  /** What goes with it, for the summary. */
  loses: string;
  targetType: string;
}

const DROP_RULES: Record<string, DropRule> = {
  DATABASE: {
    reversibility: "irreversible",
    blastRadius: "environment",
    tags: ["stateful", "data-loss"],
    loses: "the whole database and all its data",
    targetType: "database",
  },
  SCHEMA: {
    reversibility: "irreversible",
    blastRadius: "environment",
    tags: ["stateful", "data-loss"],
    loses: "the schema and the objects in it",
    targetType: "schema",
  },
  TABLE: {
    reversibility: "irreversible",
    blastRadius: "service",
    tags: ["data-loss"],
    loses: "the table and all its rows",
    targetType: "table",
  },
  "TEMPORARY TABLE": {
    reversibility: "reversible",
    blastRadius: "resource",
    tags: [],
    loses: "a session's temporary table",
    targetType: "table",
  },
  ROLE: {
    reversibility: "recoverable",
    blastRadius: "service",
    tags: [],
    loses: "the role and the privileges granted to it",
    targetType: "role",
  },
  USER: {
    reversibility: "recoverable",
    blastRadius: "service",
    tags: [],
    loses: "the account and the privileges granted to it",
    targetType: "user",
  },
  OWNED: {
    reversibility: "irreversible",
    blastRadius: "environment",
    tags: ["data-loss", "bulk"],
    loses: "every object those roles own, tables included",
    targetType: "role",
  },
};

/** Objects that hold no data of their own: recreating them from their definition restores them. */
const DEFINITION_ONLY: DropRule = {
  reversibility: "recoverable",
  blastRadius: "service",
  tags: [],
  loses: "its definition (recreate it to restore)",
  targetType: "object",
};

/** DROP <object words> names…; CASCADE can take dependent tables and columns with it. */
export function dropOp(
  objectWords: string,
  names: string[],
  opts: { cascade?: boolean; envHints?: string[]; targetType?: string } = {},
): Operation {
  const rule = DROP_RULES[objectWords] ?? DEFINITION_ONLY;
  const cascade = opts.cascade === true;
  const type = opts.targetType ?? (rule === DEFINITION_ONLY ? objectWords.toLowerCase() : rule.targetType);
  const tags = cascade ? [...rule.tags, "data-loss"] : rule.tags;
  const reversibility: Reversibility = cascade ? "irreversible" : rule.reversibility;
  const cascadeNote = cascade ? ", plus everything that depends on it (CASCADE)" : "";
  return sqlOp({
    name: `DROP ${objectWords}`,
    effect: "delete",
    reversibility,
    blastRadius: rule.blastRadius,
    targets: names.map((name) => ({ type, name })),
    tags: names.length > 1 ? [...tags, "bulk"] : tags,
    envHints: opts.envHints ?? [],
    summary: `DROP ${objectWords} ${listNames(names)}: deletes ${rule.loses}${cascadeNote} (${reversibility})`,
  });
}

/** CREATE of a new object: nothing existing changes, and DROP undoes it. */
export function createOp(
  objectWords: string,
  names: string[],
  opts: { replace?: boolean; envHints?: string[] } = {},
): Operation {
  const replace = opts.replace === true;
  return sqlOp({
    name: `CREATE ${objectWords}`,
    effect: "write",
    reversibility: replace ? "recoverable" : "reversible",
    blastRadius: "service",
    targets: names.map((name) => ({ type: objectWords.toLowerCase(), name })),
    tags: ["schema-change"],
    envHints: opts.envHints ?? [],
    summary: `CREATE ${replace ? "OR REPLACE " : ""}${objectWords} ${listNames(names)}${replace ? ": replaces the existing definition" : ""}`,
  });
}

export type AlterKind = "drop-column" | "drop-partition" | "retype" | "security" | "owner" | "other";

/** One ALTER TABLE statement, named and classified by its most serious sub-command. */
export function alterTableOp(
  table: string,
  kinds: AlterKind[],
  columns: string[],
  envHints: string[] = [],
): Operation {
  const has = (k: AlterKind) => kinds.includes(k);
  const target = [{ type: "table", name: table }];
  if (has("drop-column") || has("drop-partition")) {
    const column = has("drop-column");
    const what = column ? `column ${listNames(columns.map((c) => `${table}.${c}`))}` : "a partition";
    return sqlOp({
      name: column ? "ALTER TABLE DROP COLUMN" : "ALTER TABLE DROP PARTITION",
      effect: "delete",
      reversibility: "irreversible",
      blastRadius: "service",
      targets: [...target, ...columns.map((c) => ({ type: "column", name: `${table}.${c}` }))],
      tags: ["schema-change", "data-loss"],
      envHints,
      summary: `ALTER TABLE ${table} drops ${what} and its data in every row (irreversible)`,
    });
  }
  if (has("security") || has("owner")) {
    return sqlOp({
      name: "ALTER TABLE",
      effect: "privilege",
      reversibility: "reversible",
      blastRadius: "service",
      targets: target,
      envHints,
      summary: `ALTER TABLE ${table}: ${has("security") ? "changes row-level security" : "changes the owner"}`,
    });
  }
  const retype = has("retype");
  return sqlOp({
    name: "ALTER TABLE",
    effect: "write",
    reversibility: retype ? "recoverable" : "reversible",
    blastRadius: "service",
    targets: target,
    tags: ["schema-change"],
    envHints,
    summary: `ALTER TABLE ${table}: changes the table's structure${retype ? " (a column type change can lose precision)" : ""}`,
  });
}
