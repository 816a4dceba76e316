import { parseBash, type SyntaxNode } from "./parse.js";
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
  /** The word's pieces, when an unquoted expansion in it is split into fields (`c="rm -rf /"; $c`). */
  parts?: WordPart[];
  /** An unquoted `{`: the shell may expand braces (`{rm,-rf,/}`); quoted braces are text. */
  brace?: boolean;
}

export interface WordPart {
  text: string;
  /** Came from an unquoted expansion: split on IFS characters. */
  split: boolean;
}

const DEFAULT_IFS = " \t\n";

/**
 * Field splitting, as bash does to unquoted expansions: `$c` with c="rm -rf /" is three words,
 * and an expansion that is empty is no word at all. Words without unquoted expansions stay whole.
 */
export function splitFields(word: Word, state: ShellState): Word[] {
  if (!word.parts || !word.known) return [word];
  const ifs = state.vars.get("IFS") ?? DEFAULT_IFS;
  const fields: string[] = [];
  let current = "";
  let started = false;
  for (const part of word.parts) {
    if (!part.split) {
      current += part.text;
      started = true;
      continue;
    }
    for (const ch of part.text) {
      if (!ifs.includes(ch)) {
        current += ch;
        started = true;
      } else if (started) {
        fields.push(current);
        current = "";
        started = false;
      }
    }
  }
  if (started) fields.push(current);
  return fields.map(literalWord);
}

const EXPANSION = /^\$\{(#?)([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])(?:(:?[-=?+])(.*))?\}$/s;
const GLOB = /[*?[]/;

/** Substitutions whose output we know: `$(pwd)`, `$(mktemp -d)`. */
function knownSubstitution(node: SyntaxNode, state: ShellState): string | undefined {
  const inner = node.text.replace(/^\$\(|^`|\)$|`$/g, "").trim();
  if (inner === "pwd") return state.cwd ?? undefined;
  // `$(echo rm)`, `$(printf rm)`: literal words printed back.
  const echoed = /^(?:echo|printf)\s+(?:'([^'%\\]*)'|"([^"%\\$`]*)"|([\w./-]+))$/.exec(inner);
  if (echoed) return echoed[1] ?? echoed[2] ?? echoed[3];
  if (/^mktemp(\s+-d)?(\s+-t\s+\S+)?$/.test(inner)) return "/tmp/tmp.XXXXXXXXXX";
  return undefined;
}

function unescapeUnquoted(text: string): string {
  if (!text.includes("\\")) return text;
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
  return decodeEscapes(text.slice(2, -1));
}

/** Backslash escapes as `$'…'`, `printf` and `echo -e` read them: `\x72\x6d` is `rm`. */
export function decodeEscapes(text: string): string {
  if (!text.includes("\\")) return text;
  return text.replace(
    /\\x([0-9a-fA-F]{1,2})|\\([0-7]{1,3})|\\u([0-9a-fA-F]{1,4})|\\(.)/g,
    (_m, hex, oct, uni, c) => {
      if (hex) return String.fromCharCode(Number.parseInt(hex, 16));
      if (oct) return String.fromCharCode(Number.parseInt(oct, 8));
      if (uni) return String.fromCharCode(Number.parseInt(uni, 16));
      return C_ESCAPES[c as string] ?? `\\${c}`;
    },
  );
}

class WordBuilder {
  value = "";
  ifEmpty = "";
  known = true;
  glob = false;
  brace = false;
  substitutions: SyntaxNode[] = [];
  /** Set while an unquoted expansion is added: its text is split into fields by IFS. */
  splitting = false;
  parts: WordPart[] = [];
  anySplit = false;
  add(text: string, empty: string = text): void {
    this.value += text;
    this.ifEmpty += empty;
    this.parts.push({ text, split: this.splitting });
    if (this.splitting) this.anySplit = true;
  }
  unknown(text: string, empty: string): void {
    this.known = false;
    this.add(text, empty);
  }
}

function expandVariable(b: WordBuilder, node: SyntaxNode, state: ShellState): void {
  const text = node.text;
  if (node.type === "simple_expansion") {
    const v = lookupVariable(state, text.slice(1));
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
  if (length) {
    if (v !== undefined) b.add(String(v.length));
    else b.unknown(text, "0");
  } else if (!op) {
    if (v !== undefined) b.add(v);
    else b.unknown(text, "");
  } else if (op.endsWith("-") || op.endsWith("=")) {
    // ${X:-default}: the default replaces an empty value only with the colon.
    if (v !== undefined) b.add(v === "" && op.startsWith(":") ? arg : v);
    else b.unknown(text, arg);
  } else if (op.endsWith("?")) {
    if (v !== undefined && v !== "") b.add(v);
    else b.unknown(text, text);
  } else if (v !== undefined) {
    // ${X:+alt}: alt when set (and, with the colon, non-empty).
    b.add(v === "" && op.startsWith(":") ? "" : arg);
  } else b.unknown(text, "");
}

function addTextWord(b: WordBuilder, text: string, state: ShellState, quoted: boolean): void {
  if (!quoted && GLOB.test(text)) b.glob = true;
  if (!quoted && text.includes("{")) b.brace = true;
  const tilde = !quoted && text.startsWith("~") && b.value === "" ? /^~(\/.*)?$/s.exec(text) : null;
  if (tilde) b.add((state.home ?? "~") + unescapeUnquoted(tilde[1] ?? ""));
  else b.add(unescapeUnquoted(text));
}

function addSubstitution(b: WordBuilder, node: SyntaxNode, state: ShellState): void {
  b.substitutions.push(node);
  const known = knownSubstitution(node, state);
  if (known !== undefined) b.add(known);
  else b.unknown(node.text, "");
}

function addNode(b: WordBuilder, node: SyntaxNode, state: ShellState, quoted: boolean): void {
  switch (node.type) {
    case "word":
    case "number":
    case "extglob_pattern":
      addTextWord(b, node.text, state, quoted);
      break;
    case "string_content":
      b.add(quoted ? unescapeDoubleQuoted(node.text) : node.text);
      break;
    case "raw_string":
      b.add(node.text.slice(1, -1));
      break;
    case "ansi_c_string":
      b.add(decodeAnsiC(node.text));
      break;
    case "string":
    case "translated_string":
      for (const c of node.children) if (c.named) addNode(b, c, state, true);
      break;
    case "concatenation":
      for (const c of node.children) addNode(b, c, state, quoted);
      break;
    case "simple_expansion":
    case "expansion":
      b.splitting = !quoted;
      expandVariable(b, node, state);
      b.splitting = false;
      break;
    case "command_substitution":
      b.splitting = !quoted;
      addSubstitution(b, node, state);
      b.splitting = false;
      break;
    case "process_substitution":
      b.substitutions.push(node);
      b.add("/dev/fd/63");
      break;
    case "arithmetic_expansion":
      // `$(( $(rm -rf /) + 1 ))`: a substitution inside arithmetic runs too.
      b.substitutions.push(...nestedSubstitutions(node), ...commandsNotArithmetic(node.text));
      b.unknown(node.text, "0");
      break;
    default:
      b.substitutions.push(...nestedSubstitutions(node));
      if (node.named) b.unknown(node.text, "");
      else b.add(node.text);
  }
}

/**
 * `$((cd /tmp && rm -rf /))` is not arithmetic: bash reads it again as `$( (cd /tmp && rm -rf /) )`.
 * Text with command separators, options or paths is analysed as that subshell too.
 */
function commandsNotArithmetic(text: string): SyntaxNode[] {
  const inner = text.slice(3, -2);
  if (!/&&|\|\||;|\s-[A-Za-z]|(^|\s)[.~]?\/|^\s*(?:\(\s*)?[A-Za-z_][\w.-]*\s+[A-Za-z_./~-]/.test(inner))
    return [];
  const parsed = parseBash(`(${inner})`);
  return parsed.ok ? [parsed.root] : [];
}

function nestedSubstitutions(node: SyntaxNode): SyntaxNode[] {
  if (node.type === "command_substitution" || node.type === "process_substitution") return [node];
  return node.children.flatMap(nestedSubstitutions);
}

export function evaluateWord(node: SyntaxNode, state: ShellState): Word {
  const b = new WordBuilder();
  addNode(b, node, state, false);
  const word: Word = {
    value: b.value,
    known: b.known,
    ifEmpty: b.ifEmpty,
    glob: b.glob,
    substitutions: b.substitutions,
  };
  if (b.anySplit) word.parts = b.parts;
  if (b.brace) word.brace = true;
  return word;
}

export function literalWord(value: string): Word {
  return { value, known: true, ifEmpty: value, glob: GLOB.test(value), substitutions: [] };
}

const BRACE = /^([^{}]*)\{([^{},]*,[^{}]*)\}([^{}]*)$/s;

/** One level of `{a,b}` brace expansion, as bash does before running the command. */
export function expandBraces(word: Word): Word[] {
  const m = word.known && word.brace ? BRACE.exec(word.value) : null;
  if (!m) return [word];
  const [, pre = "", list = "", post = ""] = m;
  return list.split(",").map((item) => literalWord(pre + item + post));
}
