import { createRequire } from "node:module";
import { Language, Parser, type Tree } from "web-tree-sitter";

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

type CopyResult = { ok: true; root: SyntaxNode } | { ok: false; reason: "budget" | "nesting" };

/**
 * Copy the tree with one cursor: no per-node wrapper objects, and each node's text is a slice
 * of the source (web-tree-sitter's indices are UTF-16 offsets into the string it was given).
 */
function copyTree(tree: Tree, source: string): CopyResult {
  const cursor = tree.walk();
  try {
    const node = (): SyntaxNode => ({
      type: cursor.nodeType,
      text: source.slice(cursor.startIndex, cursor.endIndex),
      named: cursor.nodeIsNamed,
      children: [],
    });
    const root = node();
    const path: SyntaxNode[] = [root];
    let count = 1;
    for (;;) {
      // Depth first: down to the first child, else on to the next sibling of the nearest ancestor.
      if (cursor.gotoFirstChild()) {
        if (path.length > MAX_TREE_DEPTH) return { ok: false, reason: "nesting" };
      } else {
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) return { ok: true, root };
          path.pop();
        }
        path.pop();
      }
      if (++count > MAX_NODES) return { ok: false, reason: "budget" };
      const child = node();
      (path[path.length - 1] as SyntaxNode).children.push(child);
      path.push(child);
    }
  } finally {
    cursor.delete();
  }
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
    const copied = copyTree(tree, source);
    return copied.ok ? { ok: true, root: copied.root, hasError: tree.rootNode.hasError } : copied;
  } finally {
    tree.delete();
  }
}
