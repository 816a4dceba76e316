import { createRequire } from "node:module";
import { Language, type Node, Parser } from "web-tree-sitter";

/**
 * Bash parsing with tree-sitter (WASM). The tree is copied into plain objects at once and the
 * WASM tree freed, so the walker is ordinary synchronous code with no native handles to leak.
 */

export interface SyntaxNode {
  /** The grammar's node type, or the token itself for anonymous nodes ("&&", "|", ">"). */
  type: string;
  text: string;
  named: boolean;
  children: SyntaxNode[];
}

export type ParseResult =
  | { ok: true; root: SyntaxNode; hasError: boolean }
  | { ok: false; reason: "budget" | "nesting" | "failed" };

/** Past this many syntax nodes or this tree depth, or this many ms, we stop and fail closed. */
const MAX_NODES = 50_000;
const MAX_TREE_DEPTH = 400;
const PARSE_BUDGET_MS = 50;

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

export function loadParser(): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    await Parser.init({ locateFile: () => require.resolve("web-tree-sitter/web-tree-sitter.wasm") });
    const bash = await Language.load(require.resolve("tree-sitter-bash/tree-sitter-bash.wasm"));
    const p = new Parser();
    p.setLanguage(bash);
    parser = p;
  })();
  return loading;
}

export function parserReady(): boolean {
  return parser !== undefined;
}

interface Budget {
  nodes: number;
  tooDeep: boolean;
}

function copy(node: Node, depth: number, budget: Budget): SyntaxNode {
  budget.nodes++;
  const out: SyntaxNode = { type: node.type, text: node.text, named: node.isNamed, children: [] };
  if (depth > MAX_TREE_DEPTH) {
    budget.tooDeep = true;
    return out;
  }
  if (budget.nodes > MAX_NODES || node.childCount === 0) return out;
  for (const child of node.children) {
    if (child) out.children.push(copy(child, depth + 1, budget));
  }
  return out;
}

export function parseBash(source: string): ParseResult {
  if (!parser) throw new Error("shell analyzer used before loadShell() finished");
  const deadline = performance.now() + PARSE_BUDGET_MS;
  let cancelled = false;
  let tree: ReturnType<Parser["parse"]>;
  try {
    tree = parser.parse(source, null, {
      progressCallback: () => {
        cancelled = performance.now() > deadline;
        return cancelled;
      },
    });
  } catch {
    parser.reset();
    return { ok: false, reason: "failed" };
  }
  if (!tree || cancelled) {
    tree?.delete();
    parser.reset();
    return { ok: false, reason: "budget" };
  }
  try {
    const budget: Budget = { nodes: 0, tooDeep: false };
    const root = copy(tree.rootNode, 0, budget);
    if (budget.tooDeep) return { ok: false, reason: "nesting" };
    if (budget.nodes > MAX_NODES) return { ok: false, reason: "budget" };
    return { ok: true, root, hasError: tree.rootNode.hasError };
  } finally {
    tree.delete();
  }
}
