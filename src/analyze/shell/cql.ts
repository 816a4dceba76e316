import { environmentOfName } from "../environment.js";
import { optionValue, parseArgs } from "./args.js";
import { emit, type Invocation } from "./context.js";
import { DATA_CLIS } from "./data-clis.js";
import type { Handler } from "./dispatch.js";
import { environmentWords } from "./leading-words.js";
import { parseShape } from "./service-cli.js";

/**
 * `cqlsh -e 'CQL'`: each statement by its leading keywords. Cassandra has no transactions and no
 * undo: a dropped keyspace or table, or a TRUNCATE, is gone (snapshots aside). Statements it cannot
 * place keep the table's judgement (opaque), as does an interactive cqlsh or `-f FILE`.
 */
const STATEMENTS: [RegExp, string, string, string][] = [
  [
    /^(select|describe|desc|use|list|show|consistency|tracing|paging|expand|capture)\b/i,
    "read reversible none",
    "",
    "reads",
  ],
  [
    /^drop\s+keyspace\b/i,
    "delete irreversible environment",
    "stateful data-loss",
    "drops the keyspace and every table in it",
  ],
  [
    /^(drop\s+(table|columnfamily|materialized\s+view)|truncate)\b/i,
    "delete irreversible service",
    "stateful data-loss",
    "drops or empties the table",
  ],
  [
    /^drop\s+(index|type|function|aggregate|trigger)\b/i,
    "delete recoverable resource",
    "",
    "drops a definition",
  ],
  [
    /^((create|alter|drop)\s+(role|user)|grant|revoke|list\s+(roles|users|permissions))\b/i,
    "privilege reversible service",
    "",
    "changes who may do what",
  ],
  [/^delete\b/i, "delete irreversible resource", "data-loss", "deletes rows of one partition"],
  [/^(insert|update|create|alter|begin|apply)\b/i, "write recoverable resource", "", "writes"],
];

/** Keyspace and table names the statement names (`prod.orders`), which may tell the environment. */
function namesIn(statement: string): string[] {
  return [
    ...statement.matchAll(/\b(?:keyspace|table|from|into|truncate|use)\s+(?:if\s+exists\s+)?["']?([\w.]+)/gi),
  ]
    .flatMap((m) => (m[1] ?? "").split("."))
    .filter((n) => n !== "" && environmentOfName(n) !== undefined);
}

const cqlsh: Handler = (inv: Invocation) => {
  const p = parseArgs(inv.args, new Set(["-e", "--execute", "-k", "--keyspace", "-u", "-p", "-f", "--file"]));
  const text = optionValue(p, "-e", "--execute");
  const statements = (text ?? "")
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);
  const judged = statements.map((s) => ({ s, rule: STATEMENTS.find(([re]) => re.test(s)) }));
  if (statements.length === 0 || judged.some((j) => !j.rule)) {
    DATA_CLIS.cqlsh?.(inv);
    return;
  }
  const keyspace = optionValue(p, "-k", "--keyspace");
  const hints = [...environmentWords(inv), ...(keyspace && environmentOfName(keyspace) ? [keyspace] : [])];
  for (const { s, rule } of judged) {
    const [re, shape = "", tags = "", what = ""] = rule ?? [];
    const f = parseShape(shape, tags, what);
    const verb = (re?.exec(s)?.[0] ?? "").replace(/\s+/g, " ").toUpperCase();
    emit(inv, {
      name: `cqlsh ${verb}`,
      effect: f.effect,
      summary: `cqlsh -e ${s.slice(0, 80)}: ${f.what}`,
      reversibility: f.reversibility,
      blastRadius: f.blastRadius,
      tags: f.tags,
      targets: [{ type: "cql", name: s.slice(0, 120) }],
      envHints: [...hints, ...namesIn(s)],
    });
  }
};

export const CQL: Record<string, Handler> = { cqlsh };
