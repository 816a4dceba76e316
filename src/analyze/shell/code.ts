import { readAwk } from "../code/awk.js";
import { type CodeLanguage, grammarFor, parseCode } from "../code/grammars.js";
import { readJavaScript } from "../code/javascript.js";
import type { Effect } from "../code/model.js";
import { readPerl } from "../code/perl.js";
import { readPhp } from "../code/php.js";
import { readPython } from "../code/python.js";
import { readRuby } from "../code/ruby.js";
import { emit, emitOpaque, type Invocation } from "./context.js";
import { delegate } from "./delegates.js";
import { destroyPaths, writePaths } from "./filesystem.js";
import type { SyntaxNode } from "./parse.js";
import { limitReached } from "./walk.js";
import { literalWord, type Word } from "./words.js";

/**
 * Interpreter code found on a shell line (`python3 -c …`, `node <<EOF`, a script written earlier on
 * the line), parsed with its language's real grammar and turned into the operations of what it does:
 * commands it runs are analysed as shell, deletions by the filesystem rules, SDK calls by the AWS,
 * SQL and HTTP analyzers. What it cannot follow is opaque; code that only computes and prints is a read.
 */

type ReadCode = (root: SyntaxNode, argv: (string | undefined)[]) => Effect[];

const READERS: Partial<Record<CodeLanguage, ReadCode>> = {
  python: readPython,
  javascript: readJavaScript,
  ruby: readRuby,
  php: readPhp,
};

/** Code of this size or nesting is refused unread, as shell lines are. */
const MAX_CODE_BYTES = 128 * 1024;

/** Languages read token by token, with no grammar to load. */
const TOKENIZED: Record<string, (source: string) => Effect[]> = { perl: readPerl, awk: readAwk };

export type Language = CodeLanguage | "perl" | "awk";

export function hasReader(language: Language): boolean {
  return READERS[language as CodeLanguage] !== undefined || TOKENIZED[language] !== undefined;
}

/** `argv`: the words after the code on the command line (`python3 -c CODE a b` gives a, b). */
export function runCode(
  inv: Invocation,
  language: Language,
  source: string,
  depth = 0,
  argv: (string | undefined)[] = [],
): void {
  if (source.length > MAX_CODE_BYTES || depth > 8) {
    limitReached(inv.session, inv.scope, `${language} code too large or nested too deep`);
    return;
  }
  const tokenized = TOKENIZED[language];
  if (tokenized) {
    applyEffects(inv, language, tokenized(source), depth);
    return;
  }
  const read = READERS[language as CodeLanguage];
  if (!read) return;
  const grammar = grammarFor(language as CodeLanguage);
  if (!grammar.ok) {
    inv.session.wantedGrammars.push(language as CodeLanguage);
    emitOpaque(
      inv,
      `${inv.program} code (unanalysed)`,
      `${inv.program} runs ${language} code: ${grammar.reason}`,
    );
    return;
  }
  // `php -r` code has no opening tag; the grammar reads text outside one as HTML.
  const text = language === "php" && !/^\s*<\?php/.test(source) ? `<?php ${source}` : source;
  const parsed = parseCode(grammar.grammar, text);
  if (!parsed.ok) {
    limitReached(
      inv.session,
      inv.scope,
      `${language} code could not be parsed within limits (${parsed.reason})`,
    );
    return;
  }
  // The code's own reader has its budget; the line pays a share of the nodes.
  inv.session.work -= Math.ceil(parsed.nodes / 20);
  const effects = read(parsed.root, argv);
  if (parsed.hasError)
    effects.push({
      kind: "opaque",
      why: `the ${language} code has syntax errors airlock cannot read past`,
      via: "",
    });
  applyEffects(inv, language, effects, depth);
}

function pathWord(path: string | undefined, via: string): Word {
  if (path !== undefined) return literalWord(path);
  return { value: `(${via})`, known: false, ifEmpty: "", glob: false, substitutions: [] };
}

function applyEffects(inv: Invocation, language: Language, effects: Effect[], depth: number): void {
  const name = `${inv.program} code`;
  let acts = false;
  let other = false;
  for (const e of effects) {
    acts ||= e.kind !== "other";
    switch (e.kind) {
      case "shell":
        if (e.line === undefined)
          emitOpaque(inv, `${name} (opaque)`, `${e.via}: runs a shell line only known at run time`);
        else inv.reparse(e.line);
        break;
      case "argv":
        if (e.argv[0] === undefined)
          emitOpaque(inv, `${name} (opaque)`, `${e.via}: runs a program only known at run time`);
        else
          inv.dispatch(
            e.argv.map((w) => (w === undefined ? pathWord(undefined, "argument") : literalWord(w))),
            { kind: "none" },
          );
        break;
      case "delete":
        destroyPaths(inv, `${inv.program} delete`, [pathWord(e.path, e.via)], {
          recursive: e.recursive,
          verb: "deletes",
        });
        break;
      case "write":
        writePaths(inv, `${inv.program} write`, [pathWord(e.path, e.via)]);
        break;
      case "aws":
        delegate(
          inv,
          "aws",
          { kind: "aws", service: e.service, operation: e.operation, params: e.params },
          e.via,
        );
        break;
      case "sql":
        delegate(inv, "sql", { kind: "sql", sql: e.sql, engine: e.engine }, e.via, e.hints);
        break;
      case "http":
        delegate(inv, "http", { kind: "http", method: e.method, url: e.url }, e.via);
        break;
      case "cloud":
        emit(inv, {
          name: `${inv.program} cloud delete`,
          effect: "delete",
          summary: `${e.via}: deletes ${e.name ?? "a cloud resource"} through the cloud SDK`,
          reversibility: "irreversible",
          blastRadius: "service",
          targets: e.name ? [{ type: "cloud-resource", name: e.name }] : [],
          tags: ["data-loss"],
          envHints: e.name ? [e.name] : [],
        });
        break;
      case "power":
        emit(inv, {
          name: `${inv.program} host power`,
          effect: "write",
          summary: `${e.via}: stops, restarts or formats the machine`,
          reversibility: "irreversible",
          blastRadius: "host",
          tags: ["outage"],
        });
        break;
      case "opaque":
        emitOpaque(inv, `${name} (opaque)`, `${inv.program}: ${e.why}${e.via ? ` (${e.via})` : ""}`);
        break;
      case "code":
        runCode(inv, language, e.source, depth + 1);
        break;
      case "other":
        other = true;
        break;
    }
  }
  if (acts) return;
  emit(
    inv,
    other
      ? {
          name,
          effect: "execute",
          summary: `${inv.program} runs ${language} code with calls airlock has no rules for, none destructive that it knows`,
          reversibility: "recoverable",
          blastRadius: "resource",
          envHints: ["local"],
        }
      : {
          name,
          effect: "read",
          summary: `${inv.program} runs ${language} code that only computes and reads`,
          envHints: ["local"],
        },
  );
}
