import type { Stdin } from "./context.js";
import { dispatchWords } from "./dispatch.js";
import { redirectWrite } from "./filesystem.js";
import { parseBash, type SyntaxNode } from "./parse.js";
import { persistentWrite } from "./persistence.js";
import { forkState, resolvePath } from "./state.js";
import { limitReached, MAX_NESTING, type Walk, walkNode } from "./walk.js";
import { evaluateWord, expandBraces, splitFields, type Word } from "./words.js";

export interface OutputRedirect {
  operator: string;
  /** The file descriptor redirected ("1" when none was written). */
  fd: string;
  target: Word;
}

const REDIRECTS = new Set(["file_redirect", "heredoc_redirect", "herestring_redirect"]);
const HEREDOC_PARTS = new Set(["heredoc_start", "heredoc_body", "heredoc_end", "file_descriptor"]);

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
      input = { kind: "text", text: heredocText(r), known: quoted || !heredocText(r).includes("$") };
      for (const c of r.children) {
        if (c.type === "file_redirect") visit(c);
        else if (c.named && !HEREDOC_PARTS.has(c.type)) continuations.push(c);
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
  const { outputs, continuations, input } = collectRedirects(
    node.children.filter((c) => REDIRECTS.has(c.type)),
    w,
    stdin,
  );
  let stdout: Stdin | undefined;
  if (body?.type === "command") stdout = walkCommand(body, w, input, outputs);
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

function capturesStdout(outputs: OutputRedirect[]): boolean {
  return outputs.some((o) => o.fd === "1" || o.operator.startsWith("&"));
}

/** A word as the shell hands it to the command: braces expanded, unquoted expansions split. */
function expand(node: SyntaxNode, w: Walk): Word[] {
  const word = evaluateWord(node, w.state);
  // Quoted text is never brace-expanded: `node -e "f({a: 1, b: 2})"` is one word.
  const quoted = node.type === "string" || node.type === "raw_string" || node.type === "ansi_c_string";
  return (quoted ? [word] : expandBraces(word)).flatMap((x) => splitFields(x, w.state));
}

export function walkCommand(
  node: SyntaxNode,
  w: Walk,
  stdin: Stdin,
  outer: OutputRedirect[],
): Stdin | undefined {
  const env = new Map<string, string>();
  const words: Word[] = [];
  const redirects: SyntaxNode[] = [];
  for (const c of node.children) {
    if (c.type === "variable_assignment") {
      const value = c.children[2] ? evaluateWord(c.children[2], w.state) : undefined;
      for (const sub of value?.substitutions ?? []) walkNode(sub, w, { kind: "none" });
      env.set(c.children[0]?.text ?? "", value?.value ?? "");
    } else if (c.type === "command_name") {
      const first = c.children[0];
      if (first) words.push(...expand(first, w));
    } else if (REDIRECTS.has(c.type)) redirects.push(c);
    else if (c.named) words.push(...expand(c, w));
  }
  for (const word of words) for (const sub of word.substitutions) walkNode(sub, w, { kind: "none" });
  const { outputs, continuations, input } = collectRedirects(redirects, w, stdin);
  const all = [...outer, ...outputs];
  const stdout = dispatchWords(words, { env, stdin: input, walk: w });
  applyOutputs(all, stdout, w);
  for (const c of continuations) walkNode(c, w, { kind: "none" });
  return capturesStdout(all) ? undefined : stdout;
}
