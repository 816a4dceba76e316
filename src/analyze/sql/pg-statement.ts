import type { Node } from "libpg-query";
import type { Operation } from "../types.js";
import { dropOp } from "./objects.js";
import { opaqueOp, readOp, sqlOp } from "./operation.js";
import { nodeBody, nodeType, rangeVarName, statementWords } from "./pg-ast.js";
import { CODE_HANDLERS } from "./pg-code.js";
import type { Handlers, NodeKey, PgContext } from "./pg-context.js";
import { DDL_HANDLERS, maintenance } from "./pg-ddl.js";
import { DML_HANDLERS } from "./pg-dml.js";
import { PRIVILEGE_HANDLERS } from "./pg-privilege.js";

const TRANSACTION_WORDS: Record<string, string> = {
  TRANS_STMT_BEGIN: "BEGIN",
  TRANS_STMT_START: "BEGIN",
  TRANS_STMT_COMMIT: "COMMIT",
  TRANS_STMT_ROLLBACK: "ROLLBACK",
  TRANS_STMT_SAVEPOINT: "SAVEPOINT",
  TRANS_STMT_RELEASE: "RELEASE",
  TRANS_STMT_ROLLBACK_TO: "ROLLBACK",
  TRANS_STMT_PREPARE: "PREPARE TRANSACTION",
  TRANS_STMT_COMMIT_PREPARED: "COMMIT PREPARED",
  TRANS_STMT_ROLLBACK_PREPARED: "ROLLBACK PREPARED",
};

/** Session and maintenance statements: nothing persistent changes, or only locks and storage. */
const SESSION_HANDLERS: Handlers = {
  TransactionStmt: (s) => {
    const word = TRANSACTION_WORDS[s.kind ?? ""] ?? "TRANSACTION";
    return [readOp(word, `${word}: transaction control`)];
  },
  VariableShowStmt: (s) => [readOp("SHOW", `SHOW ${s.name ?? ""}: reads a setting`)],
  DiscardStmt: () => [readOp("DISCARD", "DISCARD: resets session state")],
  ListenStmt: (s) => [readOp("LISTEN", `LISTEN ${s.conditionname ?? ""}`)],
  UnlistenStmt: (s) => [readOp("UNLISTEN", `UNLISTEN ${s.conditionname ?? "*"}`)],
  FetchStmt: (s) => [
    readOp(s.ismove ? "MOVE" : "FETCH", `${s.ismove ? "MOVE" : "FETCH"} from cursor ${s.portalname ?? ""}`),
  ],
  ClosePortalStmt: () => [readOp("CLOSE", "CLOSE: closes a cursor")],
  DeallocateStmt: () => [readOp("DEALLOCATE", "DEALLOCATE: forgets a prepared statement")],
  ConstraintsSetStmt: () => [
    readOp("SET CONSTRAINTS", "SET CONSTRAINTS: changes when constraints are checked"),
  ],
  NotifyStmt: (s) => [
    maintenance("NOTIFY", "resource", `NOTIFY ${s.conditionname ?? ""}: signals listening clients`),
  ],
  CheckPointStmt: () => [maintenance("CHECKPOINT", "service", "CHECKPOINT: flushes dirty pages to disk")],
  LockStmt: (s) => {
    const names = (s.relations ?? []).flatMap((n) => ("RangeVar" in n ? [rangeVarName(n.RangeVar)] : []));
    return [
      maintenance(
        "LOCK",
        "service",
        `LOCK TABLE ${names.join(", ")}: blocks other sessions until the transaction ends`,
        names,
      ),
    ];
  },
  VacuumStmt: (s) => {
    const names = (s.rels ?? []).flatMap((n) =>
      "VacuumRelation" in n ? [rangeVarName(n.VacuumRelation.relation)] : [],
    );
    const full = (s.options ?? []).some((o) => "DefElem" in o && o.DefElem.defname === "full");
    if (!full) {
      const word = s.is_vacuumcmd ? "VACUUM" : "ANALYZE";
      return [readOp(word, `${word}: maintenance that changes no data`)];
    }
    const scope = names.length > 0 ? "service" : "environment";
    return [
      maintenance(
        "VACUUM FULL",
        scope,
        `VACUUM FULL ${names.join(", ") || "(every table)"}: rewrites tables under an exclusive lock`,
        names,
      ),
    ];
  },
  ReindexStmt: (s) => {
    const wide = ["REINDEX_OBJECT_SCHEMA", "REINDEX_OBJECT_SYSTEM", "REINDEX_OBJECT_DATABASE"].includes(
      s.kind ?? "",
    );
    const name = s.relation ? rangeVarName(s.relation) : (s.name ?? "");
    return [
      maintenance(
        "REINDEX",
        wide ? "environment" : "service",
        `REINDEX ${name}: rebuilds indexes, blocking writes`,
      ),
    ];
  },
  ClusterStmt: (s) => {
    const name = s.relation ? rangeVarName(s.relation) : undefined;
    return [
      maintenance(
        "CLUSTER",
        name ? "service" : "environment",
        `CLUSTER ${name ?? "(every table)"}: rewrites under an exclusive lock`,
      ),
    ];
  },
  SecLabelStmt: () => [
    maintenance("SECURITY LABEL", "resource", "SECURITY LABEL: sets a label used by a security provider"),
  ],
  ImportForeignSchemaStmt: (s) => [
    maintenance(
      "IMPORT FOREIGN SCHEMA",
      "service",
      `IMPORT FOREIGN SCHEMA ${s.remote_schema ?? ""}: creates foreign tables`,
    ),
  ],
  RefreshMatViewStmt: (s) => [
    maintenance(
      "REFRESH MATERIALIZED VIEW",
      "service",
      `REFRESH MATERIALIZED VIEW ${rangeVarName(s.relation)}`,
    ),
  ],
};

const HANDLERS: Handlers = {
  ...DML_HANDLERS,
  ...DDL_HANDLERS,
  ...PRIVILEGE_HANDLERS,
  ...CODE_HANDLERS,
  ...SESSION_HANDLERS,
};

type AnyHandler = (body: unknown, ctx: PgContext) => Operation[];

/** The operations one parsed Postgres statement performs. */
export function classifyPgStatement(node: Node, ctx: PgContext): Operation[] {
  const type = nodeType(node);
  const handler = HANDLERS[type as NodeKey] as AnyHandler | undefined;
  if (handler) return handler(nodeBody(node), ctx);
  return [genericOperation(type)];
}

/** Statements without a dedicated rule, judged by their verb. */
function genericOperation(type: string): Operation {
  const words = statementWords(type);
  if (words.startsWith("DROP ")) return dropOp(words.slice(5), []);
  if (words.startsWith("CREATE ") || words.startsWith("ALTER ")) {
    return sqlOp({
      name: words,
      effect: "write",
      reversibility: "reversible",
      blastRadius: "service",
      targets: [],
      tags: ["schema-change"],
      summary: `${words}: changes a schema object's definition`,
    });
  }
  return opaqueOp(words, `${words}: a statement airlock has no rule for`);
}
