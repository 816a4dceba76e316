import { walkCommand, walkRedirected } from "./command.js";
import { emitOpaque, markStatus, type Scope, type Session, type Stdin } from "./context.js";
import { expandLeadingBraces, splitStatements, substitutionBodies } from "./fallback.js";
import { parseBash, type SyntaxNode } from "./parse.js";
import { forkState, type ShellState } from "./state.js";
import { evaluateWord, type Word } from "./words.js";

/** Beyond this nesting of subshells, substitutions, loops and re-parsed lines we fail closed. */
export const MAX_NESTING = 32;
/** Loop bodies are analysed once per known item, up to this many items. */
const MAX_LOOP_ITEMS = 8;

export interface Walk {
  state: ShellState;
  scope: Scope;
  session: Session;
  nesting: number;
}

export function limitReached(session: Session, scope: Scope, why: string): void {
  markStatus(session, "limited");
  emitOpaque({ scope, session }, "parse limit", `${why}: not analysed, refused`, {
    tags: ["parse_limit"],
    blastRadius: "host",
  });
}

function deeper(w: Walk, fork: boolean): Walk | undefined {
  if (w.nesting + 1 > MAX_NESTING) {
    if (w.session.status !== "limited")
      limitReached(w.session, w.scope, `nesting deeper than ${MAX_NESTING} levels`);
    return undefined;
  }
  const state = fork ? forkState(w.state) : w.state;
  return { state, scope: w.scope, session: w.session, nesting: w.nesting + 1 };
}

function assign(node: SyntaxNode, w: Walk): void {
  const [nameNode, , valueNode] = node.children;
  if (!nameNode) return;
  const word = valueNode ? evaluateWord(valueNode, w.state) : undefined;
  for (const sub of word?.substitutions ?? []) walkNode(sub, w, { kind: "none" });
  if (!word) w.state.vars.set(nameNode.text, "");
  else if (word.known) w.state.vars.set(nameNode.text, word.value);
  else w.state.vars.delete(nameNode.text);
}

function walkFor(node: SyntaxNode, w: Walk): void {
  const variable = node.children.find((c) => c.type === "variable_name");
  const body = node.children.find((c) => c.type === "do_group");
  const inAt = node.children.findIndex((c) => c.type === "in");
  const items = inAt < 0 ? [] : node.children.slice(inAt + 1).filter((c) => c.named && c !== body);
  const words = items.map((i) => evaluateWord(i, w.state));
  for (const word of words) for (const sub of word.substitutions) walkNode(sub, w, { kind: "none" });
  if (!variable || !body) {
    walkChildren(node, w);
    return;
  }
  const known =
    words.every((x) => x.known) && words.length <= MAX_LOOP_ITEMS && words.length <= w.session.loopPasses;
  if (known) w.session.loopPasses -= words.length;
  const values: (string | undefined)[] = known ? words.map((x) => x.value) : [undefined];
  for (const value of values) {
    if (value === undefined) w.state.vars.delete(variable.text);
    else w.state.vars.set(variable.text, value);
    walkNode(body, w, { kind: "none" });
  }
}

function walkPipeline(node: SyntaxNode, w: Walk, stdin: Stdin): void {
  let input = stdin;
  for (const part of node.children) {
    if (!part.named) continue;
    const inner = deeper(w, true);
    if (!inner) return;
    input = walkNode(part, inner, input) ?? { kind: "pipe", source: [] };
  }
}

const FORK_BOMB = /^(?:function\s+)?([^\s()]+)\s*\(\)\s*\{\s*\1\s*\|\s*\1\s*&/;

function defineFunction(node: SyntaxNode, w: Walk): void {
  const name = node.children.find((c) => c.type === "word")?.text ?? "";
  if (FORK_BOMB.test(node.text)) {
    w.state.functions.set(name, { body: node, called: true });
    emitOpaque(w, "fork bomb", `${name}() calls itself twice in the background: exhausts the machine`, {
      opaque: false,
      effect: "write",
      blastRadius: "host",
      tags: ["outage"],
    });
    return;
  }
  const body = node.children.find((c) => c.named && c.type !== "word") ?? node;
  w.state.functions.set(name, { body, called: false });
}

/**
 * A call of a function defined on the line: its body runs with the call's words as $1, $2, …
 * The function is not expanded again inside itself.
 */
export function callFunction(w: Walk, name: string, args: Word[]): void {
  const fn = w.state.functions.get(name);
  if (!fn) return;
  fn.called = true;
  const inner = deeper(w, true);
  if (!inner) return;
  inner.state.functions = new Map(inner.state.functions);
  inner.state.functions.delete(name);
  const vars = inner.state.vars;
  args.forEach((a, i) => {
    if (a.known) vars.set(String(i + 1), a.value);
    else vars.delete(String(i + 1));
  });
  vars.set("#", String(args.length));
  if (args.every((a) => a.known)) vars.set("@", args.map((a) => a.value).join(" "));
  else vars.delete("@");
  walkNode(fn.body, inner, { kind: "none" });
}

/** Functions defined but never called on the line are still analysed once, with unknown arguments. */
export function walkUncalledFunctions(w: Walk): void {
  for (const [name, fn] of w.state.functions) if (!fn.called) callFunction(w, name, []);
}

function walkChildren(node: SyntaxNode, w: Walk): void {
  for (const c of node.children) if (c.named) walkNode(c, w, { kind: "none" });
}

/**
 * Walk a parsed line. A tree with errors may have hidden a command inside a misparsed piece, so
 * each top-level piece of such a line is analysed again on its own (once: pieces are not split).
 */
export function walkLine(
  parsed: { root: SyntaxNode; hasError: boolean },
  source: string,
  w: Walk,
  split = true,
): void {
  walkNode(parsed.root, w, { kind: "none" });
  if (!parsed.hasError || !split) return;
  markStatus(w.session, "partial");
  const expanded = expandLeadingBraces(source);
  const pieces = [
    ...new Set([
      ...splitStatements(expanded),
      ...splitStatements(expanded, true),
      ...substitutionBodies(expanded).flatMap((b) => splitStatements(b)),
    ]),
  ].filter((p) => p !== source);
  if (pieces.length === 0 || w.nesting + 1 > MAX_NESTING) return;
  w.session.notes.push("the line has syntax errors: its pieces were also analysed one by one");
  for (const piece of pieces) {
    const again = parseBash(piece);
    if (!again.ok) continue;
    w.session.work -= again.nodes;
    walkLine(again, piece, { ...w, state: forkState(w.state), nesting: w.nesting + 1 }, false);
  }
}

/**
 * Visit one syntax node as executed code. Returns what the node writes to its standard
 * output when a following pipeline stage would read it (`echo "…" | sh`).
 */
export function walkNode(node: SyntaxNode, w: Walk, stdin: Stdin): Stdin | undefined {
  if (--w.session.work < 0) {
    if (w.session.status !== "limited") limitReached(w.session, w.scope, "command line too complex");
    return undefined;
  }
  switch (node.type) {
    case "program":
    case "list":
    case "compound_statement":
    case "do_group":
    case "variable_assignments":
    case "else_clause":
    case "elif_clause":
    case "if_statement":
    case "while_statement":
    case "case_statement":
    case "case_item":
    case "c_style_for_statement":
    case "negated_command": {
      const inner = node.type === "program" || node.type === "list" ? w : deeper(w, false);
      if (inner) walkChildren(node, inner);
      return undefined;
    }
    case "subshell":
    case "command_substitution":
    case "process_substitution": {
      const inner = deeper(w, true);
      if (inner) walkChildren(node, inner);
      return undefined;
    }
    case "function_definition":
      defineFunction(node, w);
      return undefined;
    case "for_statement": {
      const inner = deeper(w, false);
      if (inner) walkFor(node, inner);
      return undefined;
    }
    case "pipeline":
      walkPipeline(node, w, stdin);
      return undefined;
    case "variable_assignment":
      assign(node, w);
      return undefined;
    case "declaration_command":
      for (const c of node.children) if (c.type === "variable_assignment") assign(c, w);
      return undefined;
    case "unset_command":
      for (const c of node.children)
        if (c.type === "variable_name" || c.type === "word") w.state.vars.set(c.text, "");
      return undefined;
    case "command":
      return walkCommand(node, w, stdin, []);
    case "redirected_statement":
      return walkRedirected(node, w, stdin);
    case "ERROR":
      markStatus(w.session, "partial");
      emitOpaque(w, "unparsed", `part of the line could not be parsed: ${node.text.slice(0, 60)}`);
      walkChildren(node, w);
      return undefined;
    case "comment":
    case "heredoc_body":
    case "word":
    case "string":
    case "raw_string":
      return undefined;
    default:
      // test_command, arithmetic and the like: only substitutions inside them run.
      for (const c of node.children) if (c.named) walkNode(c, w, { kind: "none" });
      return undefined;
  }
}
