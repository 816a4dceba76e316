import { createRequire } from "node:module";
import { Language, type Node, Parser, type Tree } from "web-tree-sitter";
import { Memo } from "./memo.js";
import { normalizeSource } from "./normalize.js";

/**
 * Bash parsing with tree-sitter (WASM). The tree is copied into plain objects at once and the
 * WASM tree freed, so the walker is ordinary synchronous code with no native handles to leak.
 * Copied trees are never changed afterwards, so the same line parsed again reuses its copy.
 */

export interface SyntaxNode {
  /** The grammar's node type, or the token itself for anonymous nodes ("&&", "|", ">"). */
  type: string;
  text: string;
  named: boolean;
  children: SyntaxNode[];
}

export type ParseResult =
  | { ok: true; root: SyntaxNode; hasError: boolean; nodes: number }
  | { ok: false; reason: "budget" | "nesting" | "failed" };

/**
 * Limits of one parse, counted rather than timed so that the same line always gets the same
 * answer however busy the machine is. tree-sitter reports progress about every 100 parser
 * operations; MAX_PARSE_STEPS reports is a few milliseconds of parsing at most.
 */
const MAX_PARSE_STEPS = 100;
const MAX_NODES = 10_000;
const MAX_TREE_DEPTH = 400;

/** Recently parsed lines (agents repeat themselves: `git status`, `npm test`, the same `sh -c`). */
const CACHE_ENTRIES = 4096;
const CACHE_NODES = 100_000;
const CACHEABLE_NODES = 2_000;
const CACHEABLE_LENGTH = 8 * 1024;

export interface Grammar {
  parser: Parser;
  /** Node type names and namedness by type id, read once instead of asked of WASM per node. */
  types: string[];
  named: boolean[];
}

let grammar: Grammar | undefined;
let loading: Promise<void> | undefined;
const cache = new Memo<ParseResult>(CACHE_ENTRIES, CACHE_NODES, (r) => (r.ok ? r.nodes : 1));
const seen = new Memo<boolean>(CACHE_ENTRIES, CACHE_ENTRIES);

export function loadParser(): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    await Parser.init({ locateFile: () => require.resolve("web-tree-sitter/web-tree-sitter.wasm") });
    grammar = grammarOf(await Language.load(require.resolve("tree-sitter-bash/tree-sitter-bash.wasm")));
  })();
  return loading;
}

/** A parser for a loaded language, with its node type tables (also used for interpreter code). */
export function grammarOf(language: Language): Grammar {
  const parser = new Parser();
  parser.setLanguage(language);
  const count = language.nodeTypeCount;
  const types = Array.from({ length: count }, (_, id) => language.types[id] || "ERROR");
  const named = Array.from({ length: count }, (_, id) => language.nodeTypeIsNamed(id));
  return { parser, types, named };
}

export function parserReady(): boolean {
  return grammar !== undefined;
}

type CopyResult = { ok: true; root: SyntaxNode; nodes: number } | { ok: false; reason: "budget" | "nesting" };

/**
 * Copy the tree into plain objects. Each node's text is a slice of the source (web-tree-sitter's
 * indices are UTF-16 offsets into the string it was given), and its type and namedness come from
 * tables read once, which saves two WASM calls per node.
 */
function copyTree(tree: Tree, source: string, g: Grammar): CopyResult {
  let nodes = 0;
  let tooDeep = false;
  const copy = (node: Node, depth: number): SyntaxNode => {
    nodes++;
    const id = node.typeId;
    const out: SyntaxNode = {
      type: g.types[id] ?? "ERROR",
      text: source.slice(node.startIndex, node.endIndex),
      named: g.named[id] ?? true,
      children: [],
    };
    if (depth > MAX_TREE_DEPTH) {
      tooDeep = true;
      return out;
    }
    if (nodes > MAX_NODES) return out;
    for (const child of node.children) if (child) out.children.push(copy(child, depth + 1));
    return out;
  };
  const root = copy(tree.rootNode, 0);
  if (tooDeep) return { ok: false, reason: "nesting" };
  if (nodes > MAX_NODES) return { ok: false, reason: "budget" };
  return { ok: true, root, nodes };
}

function parseUncached(source: string, g: Grammar): ParseResult {
  let steps = 0;
  let tree: Tree | null;
  try {
    tree = g.parser.parse(source, null, { progressCallback: () => ++steps > MAX_PARSE_STEPS });
  } catch {
    g.parser.reset();
    return { ok: false, reason: "failed" };
  }
  if (!tree || steps > MAX_PARSE_STEPS) {
    tree?.delete();
    g.parser.reset();
    return { ok: false, reason: "budget" };
  }
  try {
    const copied = copyTree(tree, source, g);
    return copied.ok ? { ...copied, hasError: tree.rootNode.hasError } : copied;
  } finally {
    tree.delete();
  }
}

export function parseBash(source: string): ParseResult {
  if (!grammar) throw new Error("shell analyzer used before loadShell() finished");
  const cacheable = source.length <= CACHEABLE_LENGTH;
  const hit = cacheable ? cache.get(source) : undefined;
  if (hit) return hit;
  const result = parseUncached(normalizeSource(source), grammar);
  if (!cacheable || (result.ok && result.nodes > CACHEABLE_NODES)) return result;
  // A line is kept only the second time it is seen: one-off lines do not fill the heap.
  if (seen.get(source)) cache.set(source, result);
  else seen.set(source, true);
  return result;
}
