import type { SyntaxNode } from "../shell/parse.js";
import { binaryConcat, interpolation, readTree, subscript, walkUnknown } from "./forms.js";
import { type CallArgs, type Effect, ref, str, textOf, unknown, type Value } from "./model.js";
import { concat, decodeEscapes, named, type Reader, visitStatements } from "./reader.js";

/** Ruby read from tree-sitter-ruby's tree: calls with and without parentheses, backticks, %x(). */
export function readRuby(root: SyntaxNode): Effect[] {
  return readTree(root, visit);
}

function visit(node: SyntaxNode, r: Reader): void {
  visitStatements(node, r, SHAPE);
}

const EXPRESSIONS = new Set([
  "call",
  "identifier",
  "constant",
  "scope_resolution",
  "string",
  "subshell",
  "binary",
  "array",
  "hash",
  "element_reference",
  "parenthesized_statements",
  "simple_symbol",
]);

const SHAPE = { assignment: "assignment", variable: "identifier", expressions: EXPRESSIONS, evaluate };

function evaluate(node: SyntaxNode, r: Reader): Value {
  if (!r.spend()) return unknown(node.text);
  const kids = named(node);
  switch (node.type) {
    case "identifier":
      return r.vars.get(node.text) ?? r.call(r.lookup(node.text), { args: [], kwargs: new Map() }, node.text);
    case "constant":
    case "scope_resolution":
      return ref([{ name: node.text, module: true }]);
    case "true":
    case "false":
      return { t: "bool", v: node.type === "true" };
    case "simple_symbol":
      return str(node.text.slice(1));
    case "string":
      return rubyString(node, r);
    case "subshell":
      return r.call(ref([{ name: "`" }]), { args: [rubyString(node, r)], kwargs: new Map() }, node.text);
    case "parenthesized_statements":
      return kids[kids.length - 1] ? evaluate(kids[kids.length - 1] as SyntaxNode, r) : unknown(node.text);
    case "binary":
      return binaryConcat(node, r, evaluate, "+");
    case "array":
      return { t: "list", items: kids.map((k) => evaluate(k, r)) };
    case "hash":
      return { t: "obj", fields: pairs(kids, r) };
    case "element_reference":
      return subscript(node, r, evaluate);
    case "call":
      return evaluateCall(node, r);
    default:
      return walkUnknown(node, r, visit);
  }
}

function pairs(nodes: SyntaxNode[], r: Reader): Map<string, Value> {
  const fields = new Map<string, Value>();
  for (const p of nodes) {
    if (p.type !== "pair") continue;
    const [k, v] = named(p);
    const key = k?.type === "hash_key_symbol" ? k.text : k ? textOf(evaluate(k, r)) : undefined;
    if (key !== undefined && v) fields.set(key.replace(/:$/, ""), evaluate(v, r));
  }
  return fields;
}

function evaluateCall(node: SyntaxNode, r: Reader): Value {
  const receiver = node.children.find((c, i) => c.named && node.children[i + 1]?.type === ".");
  const method =
    node.children.find((c, i) => c.named && i > 0 && node.children[i - 1]?.type === ".") ??
    node.children.find((c) => c.type === "identifier" && c !== receiver);
  const argList = node.children.find((c) => c.type === "argument_list");
  const args: CallArgs = { args: [], kwargs: new Map() };
  for (const a of argList ? named(argList) : []) {
    if (a.type === "pair") for (const [k, v] of pairs([a], r)) args.kwargs.set(k, v);
    else args.args.push(evaluate(a, r));
  }
  for (const b of node.children.filter((c) => c.type === "block" || c.type === "do_block")) visit(b, r);
  if (!method) return unknown(node.text);
  // `obj.send(:system, "…")`: the method named.
  const base = receiver ? evaluate(receiver, r) : undefined;
  const callee = base ? r.member(base, method.text) : r.lookup(method.text);
  return r.call(callee, args, node.text);
}

function rubyString(node: SyntaxNode, r: Reader): Value {
  const interpolates = !node.text.startsWith("'") && !/^%q/.test(node.text);
  const parts: Value[] = [];
  for (const c of node.children) {
    if (c.type === "string_content") parts.push(str(interpolates ? decodeEscapes(c.text) : c.text));
    else if (c.type === "escape_sequence") parts.push(str(decodeEscapes(c.text)));
    else if (c.type === "interpolation") parts.push(interpolation(c, r, evaluate));
  }
  return concat(parts);
}
