import type { SyntaxNode } from "../shell/parse.js";
import { type Effect, textOf, unknown, type Value } from "./model.js";
import { concat, type Evaluate, named, Reader, type Visit } from "./reader.js";

/*
 * The forms every interpreter front-end (JavaScript, Python, Ruby, PHP) reads the same way, whatever
 * its grammar calls the nodes: reading a whole tree, an expression it does not model, a binary
 * concatenation, an interpolation inside a string.
 */

/** Read a whole tree with a language's statement walker: every effect found, in source order. */
export function readTree(root: SyntaxNode, visit: Visit, r: Reader = new Reader()): Effect[] {
  visit(root, r);
  return r.allEffects();
}

/**
 * An expression a front-end does not model: its parts are still walked, so that a call inside it
 * is recorded, and its value is unknown.
 */
export function walkUnknown(node: SyntaxNode, r: Reader, visit: Visit): Value {
  for (const k of named(node)) visit(k, r);
  return unknown(node.text);
}

/**
 * A binary expression: with the language's concatenation operator (`+`, PHP's `.`) the joined text
 * when both sides are known text, else unknown. Both sides are evaluated either way, so their calls
 * are recorded.
 */
export function binaryConcat(node: SyntaxNode, r: Reader, evaluate: Evaluate, operator: string): Value {
  const [left, right] = named(node);
  const values = [left, right].map((k) => (k ? evaluate(k, r) : unknown("")));
  return node.children.some((c) => c.type === operator) ? concat(values) : unknown(node.text);
}

/**
 * A subscript (`x[k]`): the object is always evaluated, so a call inside it is recorded whatever the
 * key (``ruby -e 'puts `rm -rf /srv`[0]'`` runs rm); its member's value when the key is known text.
 */
export function subscript(node: SyntaxNode, r: Reader, evaluate: Evaluate): Value {
  const [object, index] = named(node);
  const value = object ? evaluate(object, r) : unknown("");
  const key = index ? textOf(evaluate(index, r)) : undefined;
  return key !== undefined ? r.member(value, key) : unknown(node.text);
}

/** An interpolation inside a string (`${x}`, `{x}`, `#{x}`): its text when known, else unknown as written. */
export function interpolation(piece: SyntaxNode, r: Reader, evaluate: Evaluate): Value {
  const inner = named(piece)[0];
  const v = inner ? evaluate(inner, r) : unknown("");
  return v.t === "str" ? v : unknown(piece.text);
}
