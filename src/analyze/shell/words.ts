import type { SyntaxNode } from "./parse.js";
import { lookupVariable, type ShellState } from "./state.js";

/**
 * A shell word as far as it can be known before the line runs. Unknown parts keep their
 * source text (`$BUILD_DIR`) in `value`; `ifEmpty` is the value when every unknown
 * variable that may be empty is empty: `rm -rf "$BUILD_DIR/"` is `rm -rf /` then.
 */
export interface Word {
  value: string;
  known: boolean;
  ifEmpty: string;
  /** Unquoted glob characters, expanded by the shell. */
  glob: boolean;
  /** Command substitutions inside the word: they run, so the walker visits them. */
  substitutions: SyntaxNode[];
}

const EXPANSION = /^\$\{(#?)([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])(?:(:?[-=?+])(.*))?\}$/s;
const GLOB = /[*?[]/;

/** Substitutions whose output we know: `$(pwd)`, `$(mktemp -d)`. */
function knownSubstitution(node: SyntaxNode, state: ShellState): string | undefined {
  const inner = node.text.replace(/^\$\(|^`|\)$|`$/g, "").trim();
  if (inner === "pwd") return state.cwd ?? undefined;
  if (/^mktemp(\s+-d)?(\s+-t\s+\S+)?$/.test(inner)) return "/tmp/tmp.XXXXXXXXXX";
  return undefined;
}

function unescapeUnquoted(text: string): string {
  return text.replace(/\\(\n|.)/g, (_m, c: string) => (c === "\n" ? "" : c));
}

function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === "\n" ? "" : c));
}

const C_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  e: "\x1b",
};
function decodeAnsiC(text: string): string {
  return text
    .slice(2, -1)
    .replace(/\\x([0-9a-fA-F]{1,2})|\\([0-7]{1,3})|\\u([0-9a-fA-F]{1,4})|\\(.)/g, (_m, hex, oct, uni, c) => {
      if (hex) return String.fromCharCode(Number.parseInt(hex, 16));
      if (oct) return String.fromCharCode(Number.parseInt(oct, 8));
      if (uni) return String.fromCharCode(Number.parseInt(uni, 16));
      return C_ESCAPES[c as string] ?? `\\${c}`;
    });
}

class WordBuilder {
  value = "";
  ifEmpty = "";
  known = true;
  glob = false;
  substitutions: SyntaxNode[] = [];
  add(text: string, empty: string = text): void {
    this.value += text;
    this.ifEmpty += empty;
  }
  unknown(text: string, empty: string): void {
    this.known = false;
    this.add(text, empty);
  }
}

function expandVariable(b: WordBuilder, node: SyntaxNode, state: ShellState): void {
  const text = node.text;
  if (node.type === "simple_expansion") {
    const name = text.slice(1);
    const v = lookupVariable(state, name);
    if (v !== undefined) b.add(v);
    else b.unknown(text, "");
    return;
  }
  const m = EXPANSION.exec(text);
  if (!m) {
    b.unknown(text, "");
    return;
  }
  const [, length, name = "", op, arg = ""] = m;
  const v = lookupVariable(state, name);
  if (length) return v !== undefined ? b.add(String(v.length)) : b.unknown(text, "0");
  if (!op) return v !== undefined ? b.add(v) : b.unknown(text, "");
  const emptyOrUnset = v === undefined || v === "" || (!op.startsWith(":") && v === undefined);
  if (op.endsWith("-") || op.endsWith("=")) {
    if (v !== undefined) return b.add(v === "" && op.startsWith(":") ? arg : v);
    return b.unknown(text, arg);
  }
  if (op.endsWith("?")) return v !== undefined && v !== "" ? b.add(v) : b.unknown(text, text);
  // ${X:+alt}: alt when set and non-empty.
  if (v !== undefined) return b.add(emptyOrUnset ? "" : arg);
  b.unknown(text, "");
}

function addNode(b: WordBuilder, node: SyntaxNode, state: ShellState, quoted: boolean): void {
  switch (node.type) {
    case "word":
    case "number":
    case "extglob_pattern":
      if (!quoted && GLOB.test(node.text)) b.glob = true;
      if (!quoted && node.text.startsWith("~") && b.value === "") {
        const m = /^~(\/.*)?$/s.exec(node.text);
        if (m) return b.add((state.home ?? "~") + unescapeUnquoted(m[1] ?? ""));
      }
      return b.add(unescapeUnquoted(node.text));
    case "string_content":
      return b.add(quoted ? unescapeDoubleQuoted(node.text) : node.text);
    case "raw_string":
      return b.add(node.text.slice(1, -1));
    case "ansi_c_string":
      return b.add(decodeAnsiC(node.text));
    case "string":
    case "translated_string":
      for (const c of node.children) if (c.named) addNode(b, c, state, true);
      return;
    case "concatenation":
      for (const c of node.children) addNode(b, c, state, quoted);
      return;
    case "simple_expansion":
    case "expansion":
      return expandVariable(b, node, state);
    case "command_substitution": {
      b.substitutions.push(node);
      const known = knownSubstitution(node, state);
      return known !== undefined ? b.add(known) : b.unknown(node.text, "");
    }
    case "process_substitution":
      b.substitutions.push(node);
      return b.add("/dev/fd/63");
    case "arithmetic_expansion":
      return b.unknown(node.text, "0");
    default:
      if (!node.named) return b.add(node.text);
      return b.unknown(node.text, "");
  }
}

export function evaluateWord(node: SyntaxNode, state: ShellState): Word {
  const b = new WordBuilder();
  addNode(b, node, state, false);
  return { value: b.value, known: b.known, ifEmpty: b.ifEmpty, glob: b.glob, substitutions: b.substitutions };
}

export function literalWord(value: string): Word {
  return { value, known: true, ifEmpty: value, glob: GLOB.test(value), substitutions: [] };
}

const BRACE = /^([^{}]*)\{([^{}]*,[^{}]*)\}([^{}]*)$/s;

/** One level of `{a,b}` brace expansion, as bash does before running the command. */
export function expandBraces(word: Word): Word[] {
  const m = word.known ? BRACE.exec(word.value) : null;
  if (!m) return [word];
  const [, pre = "", list = "", post = ""] = m;
  return list.split(",").map((item) => literalWord(pre + item + post));
}
