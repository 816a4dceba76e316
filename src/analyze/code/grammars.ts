import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import { Language, type Tree } from "web-tree-sitter";
import { type Grammar, grammarOf, loadParser, type ParseResult, type SyntaxNode } from "../shell/parse.js";

/**
 * The grammars of the code interpreters run (Python, JavaScript, Ruby, PHP, PowerShell), as prebuilt
 * WASM from @vscode/tree-sitter-wasm, loaded the first time a line holds such code: `ls` never pays
 * for them. A line that needs a grammar not loaded yet records it as wanted and is opaque; the caller
 * loads what was wanted and analyses the line again (see analyzeShellLoading). A grammar that failed
 * to load leaves its code opaque, never safe, and is tried again when a later line wants it.
 */
export type CodeLanguage = "python" | "javascript" | "ruby" | "php" | "powershell";

const FILES: Record<CodeLanguage, string> = {
  python: "tree-sitter-python.wasm",
  javascript: "tree-sitter-javascript.wasm",
  ruby: "tree-sitter-ruby.wasm",
  php: "tree-sitter-php.wasm",
  powershell: "tree-sitter-powershell.wasm",
};

export type GrammarState = { ok: true; grammar: Grammar } | { ok: false; reason: string };

const loaded = new Map<CodeLanguage, GrammarState>();

/** The grammar when loaded; otherwise why not (the caller records the language as wanted). */
export function grammarFor(language: CodeLanguage): GrammarState {
  const state = loaded.get(language);
  if (state?.ok) return state;
  return state ?? { ok: false, reason: `the ${language} grammar is not loaded yet` };
}

/**
 * The PowerShell grammar's lexer is one enormous WASM function: V8's optimising tier spends some
 * 15 s of CPU on it in the background and the process cannot exit until it is done (a hook or
 * `check --batch` would hang). It is compiled with the baseline compiler only, which parses a line
 * in about a millisecond; the flag is set for that one compilation and restored.
 */
async function loadLanguage(language: CodeLanguage, file: string): Promise<Language> {
  if (language !== "powershell") return Language.load(file);
  setFlagsFromString("--liftoff-only");
  try {
    return await Language.load(file);
  } finally {
    setFlagsFromString("--no-liftoff-only");
  }
}

/** Load grammars; a failure is kept as a value (and retried the next time a line wants it). */
export async function loadGrammars(languages: Iterable<CodeLanguage>): Promise<void> {
  await loadParser();
  const require = createRequire(import.meta.url);
  await Promise.all(
    [...languages].map(async (language) => {
      if (loaded.get(language)?.ok) return;
      try {
        const file = require.resolve(`@vscode/tree-sitter-wasm/wasm/${FILES[language]}`);
        loaded.set(language, { ok: true, grammar: grammarOf(await loadLanguage(language, file)) });
      } catch (error) {
        loaded.set(language, {
          ok: false,
          reason: `the ${language} grammar failed to load (${String(error)})`,
        });
      }
    }),
  );
}

/**
 * Code is larger than a command line (a script written with a heredoc and run): counted limits that
 * let a 128 KiB script through and still stop a pathological one.
 */
const MAX_STEPS = 4_000;
const MAX_NODES = 200_000;
const MAX_DEPTH = 400;

/**
 * Parse code and copy its tree into plain objects, walking with a cursor: a script has tens of
 * thousands of nodes, and asking WASM for each node's children costs far more than moving a cursor.
 */
export function parseCode(g: Grammar, source: string): ParseResult {
  let steps = 0;
  let tree: Tree | null;
  try {
    tree = g.parser.parse(source, null, { progressCallback: () => ++steps > MAX_STEPS });
  } catch {
    g.parser.reset();
    return { ok: false, reason: "failed" };
  }
  if (!tree || steps > MAX_STEPS) {
    tree?.delete();
    g.parser.reset();
    return { ok: false, reason: "budget" };
  }
  const cursor = tree.walk();
  try {
    const make = (): SyntaxNode => {
      const id = cursor.nodeTypeId;
      return {
        type: g.types[id] ?? "ERROR",
        text: source.slice(cursor.startIndex, cursor.endIndex),
        named: g.named[id] ?? true,
        children: [],
      };
    };
    const root = make();
    const stack: SyntaxNode[] = [root];
    let nodes = 1;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        const child = make();
        (stack[stack.length - 1] as SyntaxNode).children.push(child);
        stack.push(child);
      } else {
        let moved = false;
        while (!moved) {
          if (cursor.gotoNextSibling()) {
            stack.pop();
            const sibling = make();
            (stack[stack.length - 1] as SyntaxNode).children.push(sibling);
            stack.push(sibling);
            moved = true;
          } else if (cursor.gotoParent()) stack.pop();
          else return { ok: true, root, hasError: tree.rootNode.hasError, nodes };
        }
      }
      if (++nodes > MAX_NODES) return { ok: false, reason: "budget" };
      if (stack.length > MAX_DEPTH) return { ok: false, reason: "nesting" };
    }
  } finally {
    cursor.delete();
    tree.delete();
  }
}
