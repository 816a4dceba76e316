import type { SyntaxNode } from "../shell/parse.js";
import { binaryConcat, interpolation, readTree, subscript, walkUnknown } from "./forms.js";
import { type CallArgs, type Effect, pathOf, ref, str, textOf, unknown, type Value } from "./model.js";
import { concat, decodeEscapes, named, Reader } from "./reader.js";

/** Python read from tree-sitter-python's tree: imports, assignments, calls, strings. */
export function readPython(root: SyntaxNode, argv: (string | undefined)[] = []): Effect[] {
  const r = new Reader(true);
  r.constants.set("sys.argv", {
    t: "list",
    items: ["-c", ...argv].map((a) => (a === undefined ? unknown("argv") : str(a))),
  });
  return readTree(root, visit, r);
}

function visit(node: SyntaxNode, r: Reader): void {
  if (!r.spend()) return;
  switch (node.type) {
    case "import_statement":
      for (const c of named(node)) bindImport(c, [], r);
      return;
    case "import_from_statement": {
      const [from, ...names] = named(node);
      const module = from?.type === "dotted_name" ? from.text.split(".") : [];
      for (const c of names) bindImport(c, module, r);
      return;
    }
    case "assignment":
    case "augmented_assignment": {
      const parts = named(node);
      const left = parts[0];
      const right = parts[parts.length - 1];
      const value = right && right !== left ? evaluate(right, r) : unknown("");
      if (left?.type === "identifier")
        r.vars.set(left.text, node.type === "assignment" ? value : unknown(left.text));
      return;
    }
    default:
      if (isExpression(node.type)) {
        evaluate(node, r);
        return;
      }
      for (const c of named(node)) visit(c, r);
  }
}

/** `import a.b as c`, `from m import x as y`, `import os`. */
function bindImport(node: SyntaxNode, from: string[], r: Reader): void {
  if (node.type === "dotted_name") {
    const path = [...from, ...node.text.split(".")];
    // `import os.path` binds `os`; `from os import path` binds `path`.
    if (from.length === 0) r.bindModule(path[0] ?? "", [path[0] ?? ""]);
    else r.bindModule(path[path.length - 1] ?? "", path);
  } else if (node.type === "aliased_import") {
    const [name, alias] = named(node);
    if (name && alias) r.bindModule(alias.text, [...from, ...name.text.split(".")]);
  }
}

const EXPRESSIONS = new Set([
  "call",
  "attribute",
  "identifier",
  "string",
  "concatenated_string",
  "binary_operator",
  "list",
  "tuple",
  "dictionary",
  "subscript",
  "await",
  "parenthesized_expression",
]);
const isExpression = (type: string) => EXPRESSIONS.has(type);

function evaluate(node: SyntaxNode, r: Reader): Value {
  if (!r.spend()) return unknown(node.text);
  const kids = named(node);
  switch (node.type) {
    case "identifier":
      return r.lookup(node.text);
    case "true":
    case "false":
      return { t: "bool", v: node.type === "true" };
    case "integer":
      return str(node.text);
    case "string":
      return pythonString(node, r);
    case "concatenated_string":
      return concat(kids.map((k) => evaluate(k, r)));
    case "parenthesized_expression":
    case "await":
      return kids[0] ? evaluate(kids[0], r) : unknown(node.text);
    case "attribute": {
      const [object, attr] = kids;
      return object && attr ? r.member(evaluate(object, r), attr.text) : unknown(node.text);
    }
    case "subscript":
      return subscript(node, r, evaluate);
    case "binary_operator":
      return binaryConcat(node, r, evaluate, "+");
    case "list":
    case "tuple":
      return { t: "list", items: kids.map((k) => evaluate(k, r)) };
    case "dictionary": {
      const fields = new Map<string, Value>();
      for (const pair of kids) {
        const [k, v] = named(pair);
        const key = k ? textOf(evaluate(k, r)) : undefined;
        const value = v ? evaluate(v, r) : unknown("");
        if (key !== undefined) fields.set(key, value);
      }
      return { t: "obj", fields };
    }
    case "call":
      return evaluateCall(node, r);
    default:
      return walkUnknown(node, r, visit);
  }
}

function evaluateCall(node: SyntaxNode, r: Reader): Value {
  const [fn, argList] = named(node);
  if (!fn) return unknown(node.text);
  const args = argList ? evaluateArgs(argList, r) : { args: [], kwargs: new Map() };
  const first = textOf(args.args[0]);
  // `__import__("os")`, `importlib.import_module("os")`: the module named.
  if ((fn.text === "__import__" || fn.text === "importlib.import_module") && first !== undefined) {
    r.call(r.lookup(fn.text), args, node.text);
    return ref(first.split(".").map((m, i) => (i === 0 ? { name: m, module: true } : { name: m })));
  }
  // `getattr(os, "system")`: that attribute.
  const name = textOf(args.args[1]);
  if (fn.text === "getattr" && name !== undefined && args.args[0]) return r.member(args.args[0], name);
  // `" ".join(["rm", "-rf", "/"])`: text when every piece is known.
  const [object, method] = fn.type === "attribute" ? named(fn) : [];
  if (object?.type === "string" && method?.text === "join") {
    const sep = evaluate(object, r);
    const parts = args.args[0]?.t === "list" ? args.args[0].items.map(textOf) : [undefined];
    if (sep.t === "str" && parts.every((p) => p !== undefined)) return str(parts.join(sep.s));
    return unknown(node.text);
  }
  const callee = evaluate(fn, r);
  if (callee.t !== "ref")
    return fn.type === "lambda" || unwrapLambda(fn) ? unknown(node.text) : r.computedCall(node.text, args);
  const result = r.call(callee, args, node.text);
  // `os.path.expanduser("~")` and friends keep the reference; `str(x)` of known text is that text.
  if (callee.t === "ref" && pathOf(callee.chain) === "str" && first !== undefined) return str(first);
  return result;
}

function unwrapLambda(node: SyntaxNode): boolean {
  return node.type === "parenthesized_expression" && named(node)[0]?.type === "lambda";
}

function evaluateArgs(node: SyntaxNode, r: Reader): CallArgs {
  const args: Value[] = [];
  const kwargs = new Map<string, Value>();
  for (const c of named(node)) {
    if (c.type === "keyword_argument") {
      const [k, v] = named(c);
      if (k && v) kwargs.set(k.text, evaluate(v, r));
    } else if (c.type === "list_splat" || c.type === "dictionary_splat") {
      const inner = named(c)[0];
      const v = inner ? evaluate(inner, r) : unknown("");
      if (v.t === "list" && c.type === "list_splat") args.push(...v.items);
      else args.push(unknown(c.text));
    } else args.push(evaluate(c, r));
  }
  return { args, kwargs };
}

/** A Python string literal: prefixes (r, b, f), escapes, and f-string interpolations. */
function pythonString(node: SyntaxNode, r: Reader): Value {
  const start = node.children.find((c) => c.type === "string_start")?.text ?? '"';
  const raw = /r/i.test(start);
  const parts: Value[] = [];
  for (const c of node.children) {
    if (c.type === "string_content") parts.push(str(raw ? c.text : decodeEscapes(c.text)));
    else if (c.type === "escape_sequence") parts.push(str(raw ? c.text : decodeEscapes(c.text)));
    else if (c.type === "interpolation") parts.push(interpolation(c, r, evaluate));
  }
  return concat(parts);
}
