import { scanSync } from "libpg-query";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeSql, loadSql, MAX_SQL_BYTES } from "../../src/analyze/sql/index.js";
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

/** The Postgres splitter must split exactly where the Postgres scanner does, wherever it answers. */
describe("the Postgres splitter agrees with the scanner", () => {
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
