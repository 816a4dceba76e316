import { createRequire } from "node:module";
import { Language } from "web-tree-sitter";
import { type Grammar, grammarOf, loadParser, type ParseResult, parseUncached } from "../shell/parse.js";

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
const wanted = new Set<CodeLanguage>();

/** The grammar when loaded; otherwise why not (and the language is noted as wanted). */
export function grammarFor(language: CodeLanguage): GrammarState {
  const state = loaded.get(language);
  if (state?.ok) return state;
  wanted.add(language);
  return state ?? { ok: false, reason: `the ${language} grammar is not loaded yet` };
}

/** Languages lines asked for since the last call; clears the list. */
export function takeWantedGrammars(): CodeLanguage[] {
  const languages = [...wanted];
  wanted.clear();
  return languages;
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
        loaded.set(language, { ok: true, grammar: grammarOf(await Language.load(file)) });
      } catch (error) {
        loaded.set(language, {
          ok: false,
          reason: `the ${language} grammar failed to load (${String(error)})`,
        });
      }
    }),
  );
}

/** Parse code with a loaded grammar, within the same counted limits as shell lines. */
export function parseCode(grammar: Grammar, source: string): ParseResult {
  return parseUncached(source, grammar);
}
