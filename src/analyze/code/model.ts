/**
 * What interpreter code does, as far as a reading of its syntax tree can tell, independent of the
 * language: the front-ends (python.ts, javascript.ts, …) evaluate expressions into Values and record
 * every Call with its callee resolved through imports and assignments (`sp.run` after
 * `import subprocess as sp` is `subprocess.run`); rules.ts turns calls into Effects.
 */

export type Value =
  | { t: "str"; s: string }
  | { t: "list"; items: Value[] }
  | { t: "obj"; fields: Map<string, Value> }
  | { t: "bool"; v: boolean }
  /** A module, function or object reached from a name: `os`, `boto3.client("s3")`, `Path("x")`. */
  | { t: "ref"; chain: Segment[] }
  | { t: "unknown"; text: string };

export interface CallArgs {
  args: Value[];
  kwargs: Map<string, Value>;
}

export interface Segment {
  name: string;
  /** The segment is a module the code imported (`import os`, `require("fs")`). */
  module?: boolean;
  /** Present when this segment is called: `client("s3")`. */
  call?: CallArgs;
}

export interface Call {
  chain: Segment[];
  /** `new X(…)` in JavaScript and PHP. */
  isNew?: boolean;
  /** The callee could not be resolved to a name (`obj[key]()`, `getattr(o, name)()`). */
  computed?: boolean;
  /** Where it came from, for summaries. */
  text: string;
  /** Python's `exec` runs code; Ruby's, PHP's and Perl's run processes. */
  python?: boolean;
}

export type Effect =
  | { kind: "shell"; line: string | undefined; via: string }
  | { kind: "argv"; argv: (string | undefined)[]; via: string }
  | { kind: "delete"; path: string | undefined; recursive: boolean; via: string }
  | { kind: "write"; path: string | undefined; via: string }
  | { kind: "aws"; service: string; operation: string; params: Record<string, unknown>; via: string }
  | { kind: "sql"; sql: string; engine: "postgres" | "mysql" | "sqlite"; hints: string[]; via: string }
  | { kind: "http"; method: string; url: string; via: string }
  | { kind: "cloud"; what: string; name: string | undefined; via: string }
  | { kind: "power"; via: string }
  /** Code it runs that airlock cannot see (eval of data, a computed call, code it will load). */
  | { kind: "opaque"; why: string; via: string }
  /** Code in another language, written out here (`exec("…")`, `eval('…')`): analysed in turn. */
  | { kind: "code"; source: string; via: string }
  /** A call with effects outside the process that airlock has no rule for (`os.rename`, a socket). */
  | { kind: "other"; via: string };

export function str(s: string): Value {
  return { t: "str", s };
}

export const UNKNOWN: Value = { t: "unknown", text: "?" };

export function unknown(text: string): Value {
  return { t: "unknown", text: text.slice(0, 60) };
}

/** The known text of a value, if any. */
export function textOf(v: Value | undefined): string | undefined {
  return v?.t === "str" ? v.s : undefined;
}

/** The dotted name of a chain, calls left out: `boto3.client.delete_bucket`. */
export function pathOf(chain: Segment[]): string {
  return chain.map((s) => s.name).join(".");
}

export function ref(chain: Segment[]): Value {
  return { t: "ref", chain };
}

/** A JSON-like rendering of a value for an SDK call's parameters (unknown parts as null). */
export function plain(v: Value | undefined, depth = 0): unknown {
  if (!v || depth > 8) return null;
  switch (v.t) {
    case "str":
      return v.s;
    case "bool":
      return v.v;
    case "list":
      return v.items.map((i) => plain(i, depth + 1));
    case "obj":
      return Object.fromEntries([...v.fields].map(([k, x]) => [k, plain(x, depth + 1)]));
    default:
      return null;
  }
}
