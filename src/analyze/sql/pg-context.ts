import type { Node, RawStmt } from "libpg-query";
import type { Operation } from "../types.js";

/** Nested code (EXECUTE inside DO inside a function …) deeper than this is reported as opaque. */
export const MAX_DEPTH = 4;

/** State shared by the statements of one parse. Handlers get it to recurse and to read source text. */
export interface PgContext {
  /** The text that was parsed; statement locations are UTF-8 byte offsets into it. */
  readonly source: string;
  /** Names given to PREPARE in this input, so that a later EXECUTE of them is known. */
  readonly prepared: Set<string>;
  /** Temporary tables created earlier in this input: dropping them loses nothing that existed before. */
  readonly temporary: Set<string>;
  readonly depth: number;
  /** Classify one statement node (the dispatcher, passed in to avoid an import cycle). */
  classify(node: Node, ctx: PgContext): Operation[];
  /** Parse and classify SQL text found inside a statement (function bodies, PL/pgSQL). */
  classifyText(sql: string, ctx: PgContext): Operation[];
  /** The raw statement being classified, for handlers that need its source text. */
  raw?: RawStmt;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The source text of the statement being classified (locations are byte offsets). */
export function statementText(ctx: PgContext): string {
  const raw = ctx.raw;
  if (!raw) return ctx.source;
  const bytes = encoder.encode(ctx.source);
  const start = raw.stmt_location ?? 0;
  const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
  return decoder.decode(bytes.subarray(start, end));
}

export function deeper(ctx: PgContext): PgContext {
  return withStatement(ctx, undefined, ctx.depth + 1);
}

/**
 * The context for one statement of a parse. Spelled out rather than `{ ...ctx, raw }`, which
 * takes a slow path in V8 (about a microsecond per call, on every statement).
 */
export function withStatement(ctx: PgContext, raw: RawStmt | undefined, depth = ctx.depth): PgContext {
  return {
    source: ctx.source,
    prepared: ctx.prepared,
    temporary: ctx.temporary,
    depth,
    classify: ctx.classify,
    classifyText: ctx.classifyText,
    raw,
  };
}

type KeysOf<U> = U extends unknown ? keyof U : never;
/** Every node type name in the Postgres syntax tree. */
export type NodeKey = KeysOf<Node>;
export type NodeBody<K extends NodeKey> = Extract<Node, Record<K, unknown>>[K];
/** Statement handlers by node type; each returns the operations its statement performs. */
export type Handlers = { [K in NodeKey]?: (body: NodeBody<K>, ctx: PgContext) => Operation[] };
