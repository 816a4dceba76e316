import { scanSync } from "libpg-query";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeSql, loadSql, MAX_SQL_BYTES } from "../../src/analyze/sql/index.js";
import { rec } from "../../src/analyze/sql/mysql-ast.js";
import { fastMysqlOperations } from "../../src/analyze/sql/mysql-fast.js";
import { splitMysql } from "../../src/analyze/sql/mysql-lexer.js";
import { NAME_LIKE, PARSER_WORDS } from "../../src/analyze/sql/mysql-parser-words.js";
import { classifyMysqlAst } from "../../src/analyze/sql/mysql-statement.js";
import { PgSplitter } from "../../src/analyze/sql/pg-split.js";
import type { Analysis } from "../../src/analyze/types.js";
import { loadCorpus } from "../corpora/corpus.js";

const cases = loadCorpus("sql");

function analyze(sql: string, engine?: "postgres" | "mysql" | "sqlite", database?: string): Analysis {
  return analyzeSql({ kind: "sql", sql, ...(engine ? { engine } : {}), ...(database ? { database } : {}) });
}

describe("before loadSql", () => {
  it("throws a clear error instead of guessing", () => {
    expect(() => analyze("SELECT 1")).toThrow(/before loadSql/);
  });
});

describe("sql analyzer", () => {
  beforeAll(async () => {
    await loadSql();
  });

  // Each corpus case's facts and decision are asserted through the whole gate in test/gate/corpora.test.ts.
  it("has at least 120 corpus cases over both engines", () => {
    expect(cases.length).toBeGreaterThanOrEqual(120);
    expect(cases.some((c) => c.action.engine === "mysql")).toBe(true);
  });

  it("limits input over 1 MiB to one opaque operation", () => {
    const huge = `SELECT 1; ${"-- padding padding padding padding\n".repeat(60_000)} DROP TABLE users;`;
    expect(Buffer.byteLength(huge)).toBeGreaterThan(MAX_SQL_BYTES);
    const analysis = analyze(huge);
    expect(analysis.status).toBe("limited");
    expect(analysis.operations).toHaveLength(1);
    expect(analysis.operations[0]?.opaque).toBe(true);
    expect(analysis.operations[0]?.summary).toMatch(/over the 1048576-byte limit/);
  });

  it("counts bytes, not characters, against the limit", () => {
    const multibyte = `SELECT '${"é".repeat(600_000)}'`;
    expect(analyze(multibyte).status).toBe("limited");
  });

  it("is deterministic", () => {
    const sql = "WITH d AS (DELETE FROM t RETURNING *) INSERT INTO archive SELECT * FROM d; DROP TABLE x;";
    expect(analyze(sql)).toEqual(analyze(sql));
    expect(analyze(sql, "mysql")).toEqual(analyze(sql, "mysql"));
  });

  it("keeps action.database as an analysis-level environment hint", () => {
    const analysis = analyze("DELETE FROM users WHERE id = 1", "postgres", "billing_prod");
    expect(analysis.envHints).toEqual(["billing_prod"]);
  });

  it("notes that sqlite is read with the Postgres grammar", () => {
    const analysis = analyze("PRAGMA writable_schema = ON", "sqlite");
    expect(analysis.notes.join(" ")).toMatch(/sqlite .*Postgres grammar/);
    expect(analysis.operations.every((op) => op.opaque)).toBe(true);
  });

  it("never throws and never calls garbage safe", () => {
    const samples = [
      "'",
      '"',
      "$$",
      "/*",
      "`",
      "\\",
      ";;;",
      "\u0000",
      "DROP",
      "DELIMITER",
      "/*!",
      "--",
      "#",
      "@@",
      "(((",
      "SELECT",
    ];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 300; i++) {
      const sql = Array.from({ length: 1 + (next() % 6) }, () => samples[next() % samples.length]).join(" ");
      for (const engine of ["postgres", "mysql"] as const) {
        const analysis = analyze(sql, engine);
        expect(analysis.operations.length).toBeGreaterThan(0);
        for (const op of analysis.operations) {
          expect(op.kind).toBe("sql");
          expect(op.summary.length).toBeGreaterThan(0);
        }
      }
    }
  });

  it("reports the operations it could see beside the statement it could not parse", () => {
    const analysis = analyze("SELECT 1; SELEC oops; DROP TABLE users;");
    expect(analysis.status).toBe("partial");
    expect(analysis.operations.map((op) => op.name)).toEqual(["SELECT", "UNPARSEABLE", "DROP TABLE"]);
  });

  it("gives every operation a one-line summary naming its target", () => {
    const analysis = analyze('DROP TABLE public."Users"; TRUNCATE orders;');
    expect(analysis.operations.map((op) => op.summary)).toEqual([
      "DROP TABLE public.Users: deletes the table and all its rows (irreversible)",
      "TRUNCATE orders: deletes all rows (irreversible)",
    ]);
  });
});

/**
 * The MySQL shortcut (mysql-fast.ts) must return exactly what node-sql-parser's tree gives, and the
 * Postgres splitter exactly what the Postgres scanner gives, wherever they answer at all. These
 * compare them on generated statements, including every grammar word of the parser as a name.
 */
describe("shortcuts agree with the parsers", () => {
  type Astify = { astify(sql: string, options: { database: string }): unknown };
  let parser: Astify;
  beforeAll(async () => {
    await loadSql();
    const mod = (await import("node-sql-parser/build/mysql.js")) as unknown as {
      default: { Parser: new () => Astify };
    };
    parser = new mod.default.Parser();
  });

  /** The statement's operations as the parser's tree gives them, or why there are none. */
  function byParser(text: string): unknown {
    try {
      const ast = parser.astify(text, { database: "mysql" });
      return (Array.isArray(ast) ? ast : [ast])
        .map(rec)
        .flatMap((t): unknown[] => (t ? (classifyMysqlAst(t) ?? ["no rule"]) : ["no tree"]));
    } catch (err) {
      return `parse error: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** How many statements took the shortcut; each that did must match the parser. */
  function compareMysql(sqls: Iterable<string>): number {
    let taken = 0;
    for (const sql of sqls) {
      for (const stmt of splitMysql(sql).statements) {
        const fast = fastMysqlOperations(stmt);
        if (!fast) continue;
        taken++;
        expect({ text: stmt.text, ops: fast }).toEqual({ text: stmt.text, ops: byParser(stmt.text) });
      }
    }
    return taken;
  }

  it("takes the shortcut for the statements that dominate traffic", () => {
    const common = [
      "SELECT * FROM users WHERE id = 42",
      "SELECT id, email FROM `shop_prod`.`users` u JOIN orders o ON o.user_id = u.id WHERE o.status = 'paid' ORDER BY id DESC LIMIT 10",
      "SELECT COUNT(*) FROM orders WHERE created_at >= '2024-01-01'",
      "UPDATE orders SET status = 'refunded', updated_at = NOW() WHERE id = 981",
      "DELETE FROM sessions WHERE user_id = 7 LIMIT 100",
      "INSERT INTO audit (actor, action) VALUES ('agent', 'login'), ('agent', 'logout')",
      "USE shop_prod",
      "SHOW TABLES",
      "DESCRIBE users",
      "SET autocommit = 0",
      "COMMIT",
    ];
    expect(compareMysql(common)).toBe(common.length);
  });

  it("leaves the parser's quirks to the parser", () => {
    const quirks = [
      "SELECT * FROM duals", // DUAL is read at the start of any word after FROM
      "SELECT a AS0x1F FROM t", // a keyword needs no space before a digit
      "DELETE FROM users WHERE a IN (1) OR 1 = 1", // the rest of the chain nests under IN
      "DELETE FROM users WHERE NOT (a OR b)", // NOT ( … ) is a function call to it
      "SET `x` = 1", // no backquoted names in SET
      "INSERT INTO t (a, b) VALUES (1)", // row length differs from the column list
      "INSERT INTO t (a, values (1, 2)", // an unclosed column list
      "SELECT n--1 FROM t", // the lexer rewrites `--`
      "SELECT * FROM t WHERE a = 12345678901234567890", // a bigint to the parser
      "DELETE FROM t WHERE (a) = a", // parenthesised sides are compared as whole nodes
    ];
    expect(quirks.flatMap((sql) => splitMysql(sql).statements).map(fastMysqlOperations)).toEqual(
      quirks.map(() => undefined),
    );
    // AND and OR group from the left, as in the parser: this is judged as a one-row delete.
    expect(compareMysql(["DELETE FROM users WHERE 1=1 OR name = 'a' AND id = 5"])).toBe(1);
  });

  it("reads every grammar word of the parser as the parser does, wherever a name goes", () => {
    const templates = [
      "SELECT # FROM t",
      "SELECT a FROM #.t AS #",
      "SELECT a FROM t WHERE # = 1 AND #(c2) > 0",
      "DELETE FROM # WHERE #",
      "UPDATE t # SET # = 1",
      "USE #",
    ];
    const sqls: string[] = [];
    for (const word of PARSER_WORDS)
      for (const suffix of ["", "x", "9"])
        for (const t of templates) sqls.push(t.replaceAll("#", `${word.toLowerCase()}${suffix}`));
    expect(compareMysql(sqls)).toBeGreaterThan(sqls.length / 4);
  });

  it("reads the name-like grammar words as names in every position", () => {
    const templates = [
      "SELECT #, a.#, COUNT(#) AS # FROM #.# # JOIN u ON #.a = u.# WHERE # IS NULL OR # LIKE 'x%' GROUP BY # HAVING # > 1 ORDER BY # DESC LIMIT 1",
      "SELECT DISTINCT #.* FROM t, # WHERE # BETWEEN 1 AND 2 AND NOT # <> # AND c2 IN (#, 1)",
      "SELECT #() FROM t AS #",
      "DELETE FROM #.t WHERE # = 5 AND id = #",
      "UPDATE # SET #.a = # + 1, # = 'x' WHERE #",
      "INSERT INTO # (#, a) VALUES (#, 1)",
      "DESCRIBE #",
      "DESC #",
      "USE #",
      "SET # = 1",
    ];
    const sqls = [...NAME_LIKE].flatMap((w) =>
      templates.flatMap((t) => [t.replaceAll("#", w), t.replaceAll("#", w.toLowerCase())]),
    );
    expect(compareMysql(sqls)).toBe(sqls.length);
  });

  it("agrees with the parser on generated and mutated statements", () => {
    const random = seeded(20260301);
    const sqls = Array.from({ length: 1500 }, () => mutated(random, generated(random)));
    expect(compareMysql(sqls)).toBeGreaterThan(250);
  });

  it("splits Postgres SQL where its scanner does", () => {
    const random = seeded(9);
    const atoms = [
      ..."SELECT DROP users t1 a_b ; ; , ( ) . * = < > ! + - / % ^ & | ~ ? @ # ` : [ ] 1 42".split(" "),
      ..."1.5 .5 1e5 1_000 0x1F 1abc _1 a1 -- /* */ ' \" $ $1 \\ U& é 'x' $$".split(" "),
      ...[" ", " ", "\n", "\t", "\f", "-- c\n", "/* c */", "+".repeat(61), "<".repeat(64)],
    ];
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    const byScanner = (sql: string): string[] | undefined => {
      let tokens: ReturnType<typeof scanSync>["tokens"];
      try {
        tokens = scanSync(sql).tokens;
      } catch {
        return undefined;
      }
      const bytes = encoder.encode(sql);
      const pieces: string[] = [];
      let start = 0;
      for (const token of tokens) {
        if (token.tokenName !== "ASCII_59") continue;
        pieces.push(decoder.decode(bytes.subarray(start, token.start)));
        start = token.end;
      }
      pieces.push(decoder.decode(bytes.subarray(start)));
      return pieces.filter((p) => p.trim().length > 0);
    };
    for (let n = 0; n < 3000; n++) {
      const sql = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(random, atoms)).join("");
      const expected = byScanner(sql);
      expect({ sql, pieces: new PgSplitter().split(sql) }).toEqual({ sql, pieces: expected });
      expect({ sql, clean: new PgSplitter().scansCleanly(sql) }).toEqual({
        sql,
        clean: expected !== undefined,
      });
    }
  });
});

type Random = () => number;

function seeded(seed: number): Random {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const NAMES = [
  ..."id users orders t1 a c_2 order_items Users email user_id users_id status date user key count".split(
    " ",
  ),
  ..."left now b1 x1 notes isbn android asset limits duals as1 or1 AS_1 e1".split(" "),
  ..."`users` `order` `select` `status` `id`".split(" "),
];
const LITERALS = [
  ..."0 1 42 2.5 0.0 007 123456789012345 1234567890123456 '' '1' '%' 'it''s' 'a@b.com'".split(" "),
  ..."'x' '#x' '--' 'é' '\\n' \"dq\" NULL TRUE FALSE".split(" "),
];
const DAMAGE = [
  ..."SELECT FROM WHERE INTO @v ? , ( ) * . = < > ! - + ; UNION FOR UPDATE # /*!50000 */ 's' \"s\"".split(
    " ",
  ),
  ..."`q` 1 x LIMIT AND OR NOT AS JOIN ON DUAL 1e5 0x1F .5 $ \\ é || && := BINARY COLLATE IN SET".split(" "),
  ...["VALUES", "-- c\n", "/* c */", "\u00a0", "\f"],
];

/** A statement of the shapes the shortcut reads, with names and values chosen to probe its edges. */
function generated(random: Random): string {
  const p = <T>(items: readonly T[]) => pick(random, items);
  const chance = (x: number) => random() < x;
  const name = () => p(NAMES);
  const col = () => (chance(0.3) ? `${name()}.${name()}` : name());
  const lit = () => p(LITERALS);
  const operand = (d: number): string => {
    const r = random();
    if (r < 0.4) return col();
    if (r < 0.65) return lit();
    if (r < 0.72 && d < 2) return `(${expr(d + 1)})`;
    if (r < 0.8)
      return p([
        "COUNT(*)",
        `COUNT(${col()})`,
        `SUM(${col()})`,
        "NOW()",
        `lower(${col()})`,
        "f()",
        `load_file(${lit()})`,
        `coalesce(${col()}, ${lit()})`,
      ]);
    return col();
  };
  const atom = (d: number): string => {
    const r = random();
    if (r < 0.45) {
      const a = operand(d);
      return `${a} ${p(["=", "=", "<", ">", "<=", ">=", "<>", "!=", "< ="])} ${chance(0.15) ? a : operand(d)}`;
    }
    if (r < 0.55) return `${col()} IS ${chance(0.5) ? "NOT " : ""}NULL`;
    if (r < 0.63) return `${col()} ${chance(0.3) ? "NOT " : ""}IN (${lit()}, ${operand(d)})`;
    if (r < 0.7) return `${col()} ${chance(0.3) ? "NOT " : ""}LIKE ${p(["'%'", "'%%'", "'a%'", "1", col()])}`;
    if (r < 0.76) return `${col()} ${chance(0.3) ? "NOT " : ""}BETWEEN ${lit()} AND ${lit()}`;
    if (r < 0.82 && d < 2) return `NOT ${atom(d + 1)}`;
    return operand(d);
  };
  const expr = (d: number): string => {
    let e = atom(d);
    while (d < 2 && chance(0.35)) e += ` ${p(["AND", "OR", "and", "or"])} ${atom(d + 1)}`;
    return e;
  };
  const table = () => `${chance(0.25) ? `${name()}.` : ""}${name()}`;
  const alias = () => (chance(0.2) ? ` AS ${name()}` : chance(0.15) ? ` ${name()}` : "");
  const where = () => (chance(0.85) ? ` WHERE ${expr(0)}` : "");
  const order = () => (chance(0.15) ? ` ORDER BY ${col()}${chance(0.5) ? " DESC" : ""}` : "");
  const tail = () => `${order()}${chance(0.2) ? ` LIMIT ${p(["1", "10", "5, 5", "1 OFFSET 2"])}` : ""}`;
  const r = random();
  if (r < 0.3) {
    const item = () => (chance(0.1) ? `${name()}.*` : `${expr(1)}${alias()}`);
    const items = chance(0.3) ? "*" : Array.from({ length: 1 + Math.floor(random() * 3) }, item).join(", ");
    let s = `SELECT ${chance(0.1) ? "DISTINCT " : ""}${items}`;
    if (chance(0.85)) {
      s += ` FROM ${table()}${alias()}`;
      const joins = ["JOIN", "INNER JOIN", "LEFT JOIN", "LEFT OUTER JOIN", "RIGHT JOIN"];
      while (chance(0.3))
        s += chance(0.4) ? `, ${table()}${alias()}` : ` ${p(joins)} ${table()}${alias()} ON ${expr(1)}`;
      s += `${where()}${chance(0.15) ? ` GROUP BY ${col()}` : ""}${chance(0.08) ? ` HAVING ${expr(1)}` : ""}`;
      s += tail();
    }
    return s;
  }
  if (r < 0.5) return `DELETE FROM ${table()}${where()}${tail()}`;
  if (r < 0.68) {
    const value = () => (chance(0.3) ? `${name()} ${p(["+", "-", "*", "/"])} ${lit()}` : lit());
    const sets = Array.from(
      { length: 1 + Math.floor(random() * 2) },
      () => `${chance(0.2) ? "u." : ""}${name()} = ${value()}`,
    );
    return `UPDATE ${table()}${chance(0.2) ? p([" u", " AS u"]) : ""} SET ${sets.join(", ")}${where()}${tail()}`;
  }
  if (r < 0.8) {
    const width = 1 + Math.floor(random() * 3);
    const cols = chance(0.6) ? ` (${Array.from({ length: width }, name).join(", ")})` : "";
    const row = () =>
      `(${Array.from({ length: chance(0.8) ? width : 1 + Math.floor(random() * 3) }, lit).join(", ")})`;
    const rows = Array.from({ length: 1 + Math.floor(random() * 3) }, row);
    return `${p(["INSERT", "REPLACE", "insert"])} INTO ${table()}${cols} ${p(["VALUES", "values", "VALUE"])} ${rows.join(", ")}`;
  }
  return p([
    `USE ${name()}`,
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "START TRANSACTION",
    "BEGIN WORK",
    `DESCRIBE ${table()}`,
    `DESC ${name()}`,
    "SHOW TABLES",
    "SHOW DATABASES",
    "SHOW FULL TABLES",
    `SET ${name()} = ${lit()}`,
    `SET autocommit = 0, sql_mode = ${lit()}`,
    "SET NAMES utf8mb4",
    `SET GLOBAL ${name()} = 1`,
  ]);
}

/** Random damage: a token inserted, dropped or replaced, or the spacing changed. */
function mutated(random: Random, sql: string): string {
  if (random() < 0.6) return random() < 0.1 ? sql.toLowerCase() : sql;
  const parts = sql.split(/(\s+)/);
  const at = Math.floor(random() * parts.length);
  const r = random();
  if (r < 0.4) parts.splice(at, 0, pick(random, DAMAGE), " ");
  else if (r < 0.6) parts.splice(at, 1);
  else if (r < 0.8) parts[at] = pick(random, DAMAGE);
  else parts[at] = (parts[at] ?? "").replace(/ /g, pick(random, ["  ", "\n", "\t", " \r\n "]));
  return parts.join("");
}
