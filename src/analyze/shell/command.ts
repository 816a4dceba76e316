import type { Stdin } from "./context.js";
import { dispatchWords } from "./dispatch.js";
import { redirectWrite } from "./filesystem.js";
import { parseBash, type SyntaxNode } from "./parse.js";
import { persistentWrite } from "./persistence.js";
import { forkState, resolvePath } from "./state.js";
import { limitReached, MAX_NESTING, type Walk, walkNode } from "./walk.js";
import { evaluateWord, expandBraces, literalWord, splitFields, type Word } from "./words.js";

export interface OutputRedirect {
  operator: string;
  /** The file descriptor redirected ("1" when none was written). */
  fd: string;
  target: Word;
}

const REDIRECTS = new Set(["file_redirect", "heredoc_redirect", "herestring_redirect"]);
const HEREDOC_PARTS = new Set(["heredoc_start", "heredoc_body", "heredoc_end", "file_descriptor"]);
const WORD_NODES = new Set([
  "word",
  "string",
  "raw_string",
  "ansi_c_string",
  "concatenation",
  "simple_expansion",
  "expansion",
  "number",
  "command_substitution",
]);

/**
 * Words written after a redirection's target belong to the command: bash reads `rm >/dev/null -rf /`
 * as `rm -rf /`, while the grammar puts `-rf /` inside the redirection.
 */
function redirectExtras(r: SyntaxNode): SyntaxNode[] {
  if (r.type === "heredoc_redirect") return r.children.filter((c) => WORD_NODES.has(c.type));
  return r.children.filter((c) => c.named && c.type !== "file_descriptor").slice(1);
}

function substitutionsIn(node: SyntaxNode): SyntaxNode[] {
  if (node.type === "command_substitution") return [node];
  return node.children.flatMap(substitutionsIn);
}

/** `\$(…)` in a heredoc body is text: true when every occurrence of `inner` follows a backslash. */
function escapedEverywhere(text: string, inner: string): boolean {
  for (let at = text.indexOf(inner); at >= 0; at = text.indexOf(inner, at + 1))
    if (text[at - 1] !== "\\") return false;
  return true;
}

function heredocText(node: SyntaxNode): string {
  return node.children.find((c) => c.type === "heredoc_body")?.text ?? "";
}

/** Reads redirects: what comes in on stdin, where stdout goes, what runs after a heredoc. */
function collectRedirects(nodes: SyntaxNode[], w: Walk, stdin: Stdin) {
  const outputs: OutputRedirect[] = [];
  const continuations: SyntaxNode[] = [];
  let input = stdin;
  const visit = (r: SyntaxNode): void => {
    if (r.type === "heredoc_redirect") {
      const quoted = /^['"]|\\/.test(r.children.find((c) => c.type === "heredoc_start")?.text ?? "");
      const body = r.children.find((c) => c.type === "heredoc_body");
      // An unquoted body is expanded: its substitutions run, and `\$`, `\``, `\\` lose their backslash.
      if (!quoted && body)
        for (const sub of substitutionsIn(body))
          if (!escapedEverywhere(body.text, sub.text)) walkNode(sub, w, { kind: "none" });
      const raw = heredocText(r);
      const text = quoted ? raw : raw.replace(/\\([$`\\])/g, "$1");
      input = { kind: "text", text, known: quoted || !raw.includes("$") };
      for (const c of r.children) {
        if (c.type === "file_redirect") visit(c);
        else if (c.named && !HEREDOC_PARTS.has(c.type) && !WORD_NODES.has(c.type)) continuations.push(c);
      }
      return;
    }
    const target = r.children.find((c) => c.named && c.type !== "file_descriptor");
    if (!target) return;
    const word = evaluateWord(target, w.state);
    for (const sub of word.substitutions) walkNode(sub, w, { kind: "none" });
    if (r.type === "herestring_redirect") {
      input = { kind: "text", text: `${word.value}\n`, known: word.known };
      return;
    }
    const operator = r.children.find((c) => !c.named)?.text ?? ">";
    const fd =
      r.children.find((c) => c.type === "file_descriptor")?.text ?? (operator.startsWith("&") ? "&" : "1");
    if (operator === "<") {
      const path = resolvePath(w.state, word.value);
      input = path ? { kind: "file", path } : { kind: "pipe", source: [] };
    } else outputs.push({ operator, fd, target: word });
  };
  for (const r of nodes) visit(r);
  return { outputs, continuations, input };
}

/** Handle where stdout goes: files written on this line are remembered for `bash file`. */
function applyOutputs(outputs: OutputRedirect[], stdout: Stdin | undefined, w: Walk): void {
  for (const out of outputs) {
    if (out.operator.startsWith(">&") || out.operator === "<&") continue;
    redirectWrite(out.operator, out.target, w);
    const path = out.target.known ? resolvePath(w.state, out.target.value) : null;
    const text = stdout?.kind === "text" && stdout.known ? stdout.text : undefined;
    if (path && stdout?.kind === "text") w.state.files.set(path, stdout.text);
    if (path) persistentWrite(w, path, text, (later) => runLater(later, w));
  }
}

/** Text written where it runs later (a shell's startup file): analysed as if it ran now. */
function runLater(text: string, w: Walk): void {
  const parsed = parseBash(text);
  if (!parsed.ok || w.nesting + 1 > MAX_NESTING) {
    limitReached(w.session, w.scope, "text written to a startup file could not be analysed");
    return;
  }
  w.session.work -= parsed.nodes;
  walkNode(parsed.root, { ...w, state: forkState(w.state), nesting: w.nesting + 1 }, { kind: "none" });
}

export function walkRedirected(node: SyntaxNode, w: Walk, stdin: Stdin): Stdin | undefined {
  const body = node.children.find((c) => c.named && !REDIRECTS.has(c.type));
  // The grammar hangs `a && b > f` and `a && b <<EOF` on the whole list; bash binds them to `b`.
  if (body?.type === "list") return walkListRedirected(node, body, w, stdin);
  const { outputs, continuations, input } = collectRedirects(
    node.children.filter((c) => REDIRECTS.has(c.type)),
    w,
    stdin,
  );
  let stdout: Stdin | undefined;
  const extras = node.children.filter((c) => REDIRECTS.has(c.type)).flatMap(redirectExtras);
  if (body?.type === "command") stdout = walkCommand(body, w, input, outputs, extras);
  else {
    // `> file` alone truncates the file, as `: > file` does.
    if (body) walkNode(body, w, input);
    applyOutputs(outputs, undefined, w);
  }
  const piped = capturesStdout(outputs) ? undefined : stdout;
  for (const c of continuations)
    walkNode(c, w, c.type === "pipeline" ? (piped ?? { kind: "none" }) : { kind: "none" });
  return capturesStdout(outputs) ? undefined : stdout;
}

function walkListRedirected(node: SyntaxNode, list: SyntaxNode, w: Walk, stdin: Stdin): Stdin | undefined {
  const parts = list.children.filter((c) => c.named);
  const last = parts.pop();
  for (const part of parts) walkNode(part, w, { kind: "none" });
  if (!last) return undefined;
  const rebound: SyntaxNode = {
    ...node,
    text: node.text.slice(node.text.indexOf(last.text)),
    children: [last, ...node.children.filter((c) => c !== list)],
  };
  return walkNode(rebound, w, stdin);
}

function capturesStdout(outputs: OutputRedirect[]): boolean {
  return outputs.some((o) => o.fd === "1" || o.operator.startsWith("&"));
}

const ALL_ARGUMENTS = /^"?\$(?:[@*]|\{[@*]\})"?$/;

/** `"$@"` inside a function or `sh -c`: one word per positional parameter, when they are known. */
function positional(w: Walk): Word[] | undefined {
  const count = Number(w.state.vars.get("#"));
  if (!Number.isInteger(count) || count < 0 || count > 64) return undefined;
  const words: Word[] = [];
  for (let i = 1; i <= count; i++) {
    const v = w.state.vars.get(String(i));
    if (v === undefined) return undefined;
    words.push(literalWord(v));
  }
  return words;
}

/** A word as the shell hands it to the command: braces expanded, unquoted expansions split. */
function expand(node: SyntaxNode, w: Walk): Word[] {
  if (ALL_ARGUMENTS.test(node.text)) {
    const args = positional(w);
    if (args) return args;
  }
  const word = evaluateWord(node, w.state);
  // Quoted text is never brace-expanded: `node -e "f({a: 1, b: 2})"` is one word.
  const quoted = node.type === "string" || node.type === "raw_string" || node.type === "ansi_c_string";
  return (quoted ? [word] : expandBraces(word)).flatMap((x) => splitFields(x, w.state));
}

/**
 * With IFS changed on the line, the words are also split as bash's default IFS would: the change
 * may have been made under a condition that did not hold (`false && IFS=,; $x`).
 */
function splitAsDefault(nodes: SyntaxNode[], words: Word[], w: Walk, env: Map<string, string>): void {
  const ifs = w.state.vars.get("IFS");
  if (ifs === undefined || ifs === " \t\n") return;
  const vars = new Map(w.state.vars);
  vars.delete("IFS");
  const plain = { ...w, state: { ...w.state, vars } };
  const other = nodes.flatMap((n) => expand(n, plain));
  if (other.map((x) => x.value).join("\0") !== words.map((x) => x.value).join("\0"))
    dispatchWords(other, { env, stdin: { kind: "none" }, walk: w });
}

export function walkCommand(
  node: SyntaxNode,
  w: Walk,
  stdin: Stdin,
  outer: OutputRedirect[],
  extras: SyntaxNode[] = [],
): Stdin | undefined {
  const env = new Map<string, string>();
  const words: Word[] = [];
  const redirects: SyntaxNode[] = [];
  const wordNodes: SyntaxNode[] = [];
  for (const c of node.children) {
    if (c.type === "variable_assignment") {
      const value = c.children[2] ? evaluateWord(c.children[2], w.state) : undefined;
      for (const sub of value?.substitutions ?? []) walkNode(sub, w, { kind: "none" });
      env.set(c.children[0]?.text ?? "", value?.value ?? "");
    } else if (c.type === "command_name") {
      const first = c.children[0];
      if (first) wordNodes.push(first);
    } else if (REDIRECTS.has(c.type)) {
      redirects.push(c);
      wordNodes.push(...redirectExtras(c));
    } else if (c.named) wordNodes.push(c);
  }
  wordNodes.push(...extras);
  for (const n of wordNodes) words.push(...expand(n, w));
  splitAsDefault(wordNodes, words, w, env);
  for (const word of words) for (const sub of word.substitutions) walkNode(sub, w, { kind: "none" });
  const { outputs, continuations, input } = collectRedirects(redirects, w, stdin);
  const all = [...outer, ...outputs];
  const stdout = dispatchWords(words, { env, stdin: input, walk: w });
  applyOutputs(all, stdout, w);
  for (const c of continuations) walkNode(c, w, { kind: "none" });
  return capturesStdout(all) ? undefined : stdout;
}
