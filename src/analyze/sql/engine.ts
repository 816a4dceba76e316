import type { Operation } from "../types.js";

/** What an engine (Postgres or MySQL) saw: its operations, and how many statements it could not parse. */
export interface EngineResult {
  operations: Operation[];
  statements: number;
  unparsed: number;
  notes: string[];
  /** Set when the input held more than MAX_STATEMENTS statements and was not classified. */
  tooMany?: boolean;
}

/** Classifying costs tens of microseconds per statement; more than this many is not attempted. */
export const MAX_STATEMENTS = 1000;

export function tooMany(statements: number): EngineResult {
  return { operations: [], statements, unparsed: 0, notes: [], tooMany: true };
}
