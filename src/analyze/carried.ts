import type { Action } from "../action/schema.js";
import type { Analysis, Operation } from "./types.js";

/**
 * Content an analysed action carries for another analyzer: the SQL an `rds-data:ExecuteStatement`,
 * `redshift-data:ExecuteStatement` or `athena:StartQueryExecution` call sends, the commands of an
 * `ssm:SendCommand` with `AWS-RunShellScript`, the shell line of SQL's `COPY … PROGRAM` and psql's
 * `\!`. Each carrier operation is replaced by what it carries, judged by that content's own analyzer;
 * a carrier whose content is not visible stays as it is (opaque).
 */
export interface Carried {
  /** The carrier operation's index in the analysis. */
  carrier: number;
  actions: Action[];
}

const SQL_PARAMS: Record<string, readonly string[]> = {
  "rds-data:ExecuteStatement": ["sql"],
  "rds-data:BatchExecuteStatement": ["sql"],
  "rds-data:ExecuteSql": ["sqlStatements"],
  "redshift-data:ExecuteStatement": ["Sql"],
  "redshift-data:BatchExecuteStatement": ["Sqls"],
  "athena:StartQueryExecution": ["QueryString"],
};

const SHELL_DOCUMENTS = new Set(["AWS-RunShellScript"]);

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

function awsCarried(action: Action & { kind: "aws" }, op: Operation): Action[] {
  const params = action.params ?? {};
  const context = action.context;
  const sqlKeys = SQL_PARAMS[op.name];
  if (sqlKeys) {
    const database =
      typeof params.database === "string"
        ? params.database
        : typeof params.Database === "string"
          ? params.Database
          : undefined;
    return sqlKeys
      .flatMap((key) => strings(params[key]))
      .map((sql) => ({ kind: "sql" as const, sql, database, context }));
  }
  if (op.name === "ssm:SendCommand" && SHELL_DOCUMENTS.has(String(params.DocumentName))) {
    const commands = strings((params.Parameters as Record<string, unknown> | undefined)?.commands);
    // The commands run together as one script on each instance.
    return commands.length > 0 ? [{ kind: "shell", command: commands.join("\n"), context }] : [];
  }
  return [];
}

/** What each operation of an analysis carries, by the Action that was analysed. */
export function carriedActions(action: Action, analysis: Analysis): Carried[] {
  const found: Carried[] = [];
  analysis.operations.forEach((op, carrier) => {
    let actions: Action[] = [];
    if (action.kind === "aws" && op.kind === "aws") actions = awsCarried(action, op);
    else if (op.kind === "sql") {
      actions = op.targets
        .filter((t) => t.type === "command" && t.name.trim().length > 0)
        .map((t) => ({ kind: "shell" as const, command: t.name, context: action.context }));
    }
    if (actions.length > 0) found.push({ carrier, actions });
  });
  return found;
}
