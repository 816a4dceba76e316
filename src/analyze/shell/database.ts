import type { SqlAction } from "../../action/schema.js";
import { optionValue, parseArgs } from "./args.js";
import { emit, emitOpaque, type Invocation } from "./context.js";
import { delegate } from "./delegates.js";
import type { Handler } from "./dispatch.js";
import { resolvePath } from "./state.js";

/** host, database and user names from a connection URL (postgres://u@host/db). */
export function fromUrl(url: string): string[] {
  const m = /^[a-z+]+:\/\/(?:[^@/]*@)?([^/:?]+)(?::\d+)?(?:\/([^?]+))?/i.exec(url);
  return m ? [m[1], m[2]].filter((x): x is string => !!x) : [];
}

/** The SQL a client carries: -c/-e text, a file written on this line, or stdin. */
function carriedSql(inv: Invocation, inline: string[], file: string | undefined): string | undefined | null {
  if (inline.length > 0) return inline.join(";\n");
  if (file !== undefined) {
    const path = resolvePath(inv.state, file);
    return path ? (inv.state.files.get(path) ?? null) : null;
  }
  if (inv.stdin.kind === "text" && inv.stdin.known) return inv.stdin.text;
  if (inv.stdin.kind === "none") return undefined;
  if (inv.stdin.kind === "file") return inv.state.files.get(inv.stdin.path) ?? null;
  return null;
}

function sqlClient(
  engine: SqlAction["engine"],
  valueFlags: string[],
  sqlFlags: string[],
  fileFlags: string[],
  dbFlags: string[],
  hostFlags: string[],
): Handler {
  const takes = new Set([...valueFlags, ...sqlFlags, ...fileFlags, ...dbFlags, ...hostFlags]);
  return (inv) => {
    const p = parseArgs(inv.args, takes);
    const inline: string[] = [];
    for (let i = 0; i < inv.args.length; i++) {
      const a = inv.argv[i] ?? "";
      if (sqlFlags.includes(a) && i + 1 < inv.args.length) inline.push(inv.argv[++i] ?? "");
      const eq = sqlFlags.find((f) => f.startsWith("--") && a.startsWith(`${f}=`));
      if (eq) inline.push(a.slice(eq.length + 1));
    }
    const positional = p.operands.map((o) => o.value);
    const urls = positional.filter((o) => /^[a-z+]+:\/\//i.test(o));
    const database =
      optionValue(p, ...dbFlags) ??
      (engine === "sqlite"
        ? positional[0]
        : (positional.find((o) => !o.includes("://")) ?? inv.env.get("PGDATABASE")));
    const host = optionValue(p, ...hostFlags) ?? inv.env.get(engine === "postgres" ? "PGHOST" : "MYSQL_HOST");
    const hints = [host, database, ...urls.flatMap(fromUrl)].filter((h): h is string => !!h);
    if (engine === "sqlite" && database && !database.startsWith("/")) hints.push("local");
    const sql = carriedSql(
      inv,
      engine === "sqlite" ? positional.slice(1) : inline,
      optionValue(p, ...fileFlags),
    );
    if (sql === undefined) {
      emitOpaque(
        inv,
        `${inv.program} session`,
        `${inv.program}: an interactive session, whose statements airlock will not see`,
        { envHints: hints, blastRadius: "environment" },
      );
      return;
    }
    if (sql === null) {
      emitOpaque(
        inv,
        `${inv.program} (stdin)`,
        `${inv.program} runs SQL from a file or pipe airlock cannot see`,
        { envHints: hints },
      );
      return;
    }
    const action: SqlAction = {
      kind: "sql",
      sql,
      ...(engine ? { engine } : {}),
      ...(database ? { database } : {}),
    };
    delegate(inv, "sql", action, `${inv.program} SQL`, hints);
  };
}

const psql = sqlClient(
  "postgres",
  ["-p", "--port", "-U", "--username", "-v", "--set", "-P", "-o", "-L", "-F", "-R"],
  ["-c", "--command"],
  ["-f", "--file"],
  ["-d", "--dbname"],
  ["-h", "--host"],
);
const mysql = sqlClient(
  "mysql",
  ["-P", "--port", "-u", "--user", "-S", "--socket", "--defaults-file"],
  ["-e", "--execute"],
  [],
  ["-D", "--database"],
  ["-h", "--host"],
);
const sqlite = sqlClient("sqlite", ["-cmd", "-separator"], [], [], [], []);

function dropdb(inv: Invocation): void {
  const p = parseArgs(inv.args, new Set(["-h", "--host", "-p", "-U", "--username", "--maintenance-db"]));
  const name = p.operands[0]?.value ?? "";
  const host = optionValue(p, "-h", "--host");
  const what = inv.program === "dropdb" ? "database" : "role";
  emit(inv, {
    name: inv.program,
    effect: what === "database" ? "delete" : "privilege",
    summary: `${inv.program} ${name}: drops the ${what}${what === "database" ? " and all its data (irreversible)" : ""}`,
    reversibility: "irreversible",
    blastRadius: what === "database" ? "environment" : "service",
    targets: [{ type: what, name }],
    tags: what === "database" ? ["stateful", "data-loss"] : [],
    envHints: [name, host].filter((h): h is string => !!h),
  });
}

const REDIS_DESTRUCTIVE: Record<string, [string, "environment" | "service" | "resource"]> = {
  FLUSHALL: ["deletes every key in every database", "environment"],
  FLUSHDB: ["deletes every key in the database", "environment"],
  DEL: ["deletes keys", "resource"],
  UNLINK: ["deletes keys", "resource"],
  SHUTDOWN: ["stops the server", "service"],
};

const REDIS_READ_MODES = ["--scan", "--bigkeys", "--memkeys", "--hotkeys", "--stat", "--latency", "--ldb"];

function redis(inv: Invocation): void {
  if (inv.argv.some((a) => REDIS_READ_MODES.includes(a))) {
    emit(inv, { name: "redis-cli --scan", effect: "read", summary: "redis-cli only scans or measures" });
    return;
  }
  const p = parseArgs(inv.args, new Set(["-h", "-p", "-a", "-n", "-u", "--user", "--pass", "-s"]));
  const hints = [optionValue(p, "-h"), ...fromUrl(optionValue(p, "-u") ?? "")].filter(
    (h): h is string => !!h,
  );
  let lines = [p.operands.map((o) => o.value).join(" ")];
  if (p.operands.length === 0) {
    if (inv.stdin.kind === "text" && inv.stdin.known) lines = inv.stdin.text.split("\n");
    else {
      emitOpaque(inv, "redis-cli (stdin)", "redis-cli runs commands airlock cannot see", {
        envHints: hints,
      });
      return;
    }
  }
  for (const line of lines) {
    const cmd = (line.trim().split(/\s+/)[0] ?? "").toUpperCase();
    if (!cmd) continue;
    const bad = REDIS_DESTRUCTIVE[cmd];
    emit(
      inv,
      bad
        ? {
            name: `redis-cli ${cmd}`,
            effect: "delete",
            summary: `redis-cli ${cmd} ${bad[0]}`,
            reversibility: "irreversible",
            blastRadius: bad[1],
            tags: cmd.startsWith("FLUSH") ? ["stateful", "data-loss"] : [],
            envHints: hints,
          }
        : {
            name: `redis-cli ${cmd}`,
            effect:
              /^(GET|KEYS|SCAN|INFO|PING|TTL|TYPE|EXISTS|HGET|HGETALL|LRANGE|SMEMBERS|MONITOR|DBSIZE)$/.test(
                cmd,
              )
                ? "read"
                : "write",
            summary: `redis-cli ${cmd}`,
            reversibility: "recoverable",
            envHints: hints,
          },
    );
  }
}

function mongo(inv: Invocation): void {
  const p = parseArgs(
    inv.args,
    new Set([
      "--eval",
      "--host",
      "--port",
      "-u",
      "-p",
      "--username",
      "--authenticationDatabase",
      "--file",
      "-f",
    ]),
  );
  const hints = [
    optionValue(p, "--host"),
    ...p.operands.flatMap((o) => (o.value.includes("://") ? fromUrl(o.value) : [o.value])),
  ].filter((h): h is string => !!h);
  const code = optionValue(p, "--eval");
  if (code === undefined) {
    emitOpaque(inv, `${inv.program} session`, `${inv.program}: statements airlock cannot see`, {
      envHints: hints,
    });
    return;
  }
  const drop = /dropDatabase\s*\(/.test(code)
    ? "database"
    : /\.drop\s*\(/.test(code)
      ? "collection"
      : /\.(deleteMany|remove)\s*\(\s*\{\s*\}\s*\)/.test(code)
        ? "all documents"
        : undefined;
  emit(
    inv,
    drop
      ? {
          name: `${inv.program} drop`,
          effect: "delete",
          summary: `${inv.program} --eval deletes a ${drop}`,
          reversibility: "irreversible",
          blastRadius: drop === "database" ? "environment" : "service",
          tags: ["stateful", "data-loss"],
          envHints: hints,
        }
      : {
          name: `${inv.program} --eval`,
          effect: /\.(find|count|aggregate|getCollectionNames)\s*\(|show /.test(code) ? "read" : "write",
          summary: `${inv.program} --eval`,
          reversibility: "recoverable",
          envHints: hints,
        },
  );
}

export const DATABASE: Record<string, Handler> = {
  psql,
  mysql,
  mariadb: mysql,
  sqlite3: sqlite,
  sqlite: sqlite,
  dropdb,
  dropuser: dropdb,
  "redis-cli": redis,
  mongosh: mongo,
  mongo,
  pg_dump: (inv) => void emit(inv, { name: "pg_dump", effect: "read", summary: "pg_dump reads a database" }),
  mysqldump: (inv) =>
    void emit(inv, { name: "mysqldump", effect: "read", summary: "mysqldump reads a database" }),
};
