import type { SyntaxNode } from "../shell/parse.js";
import { binaryConcat, interpolation, readTree, subscript, walkUnknown } from "./forms.js";
import { type CallArgs, type Effect, ref, str, textOf, unknown, type Value } from "./model.js";
import { concat, decodeEscapes, named, type Reader } from "./reader.js";

/** JavaScript (Node, Bun, Deno) read from tree-sitter-javascript's tree: require/import, bindings, calls. */
export function readJavaScript(root: SyntaxNode): Effect[] {
  return readTree(root, visit);
}

/** `node:fs` is `fs`; `fs/promises` is `fs.promises`. */
function moduleChain(specifier: string): string[] {
  const name = specifier.replace(/^node:/, "");
  if (name === "fs/promises") return ["fs", "promises"];
  if (name === "child_process" || name.startsWith("@")) return [name];
  return [name.split("/")[0] ?? name];
}

function moduleValue(specifier: string): Value {
  return ref(moduleChain(specifier).map((m, i) => (i === 0 ? { name: m, module: true } : { name: m })));
}

function visit(node: SyntaxNode, r: Reader): void {
  if (!r.spend()) return;
  switch (node.type) {
    case "import_statement": {
      const source = node.children.find((c) => c.type === "string");
      const module = source ? moduleValue(stringText(source) ?? "?") : unknown("");
      const clause = node.children.find((c) => c.type === "import_clause");
      for (const c of clause ? named(clause) : []) {
        if (c.type === "identifier") r.vars.set(c.text, module);
        else if (c.type === "namespace_import") r.vars.set(named(c)[0]?.text ?? "", module);
        else if (c.type === "named_imports")
          for (const spec of named(c)) {
            const [name, alias] = named(spec);
            if (name) r.vars.set((alias ?? name).text, r.member(module, name.text));
          }
      }
      return;
    }
    case "variable_declarator": {
      const [name, value] = named(node);
      if (name && value) bind(name, evaluate(value, r), r);
      return;
    }
    case "assignment_expression": {
      const [left, right] = named(node);
      if (left && right) bind(left, evaluate(right, r), r);
      return;
    }
    default:
      if (EXPRESSIONS.has(node.type)) {
        evaluate(node, r);
        return;
      }
      for (const c of named(node)) visit(c, r);
  }
}

/** `x = v`, `{ execSync, spawn: s } = v`. */
function bind(target: SyntaxNode, value: Value, r: Reader): void {
  if (target.type === "identifier") r.vars.set(target.text, value);
  else if (target.type === "object_pattern")
    for (const p of named(target)) {
      if (p.type === "shorthand_property_identifier_pattern") r.vars.set(p.text, r.member(value, p.text));
      else if (p.type === "pair_pattern") {
        const [key, alias] = named(p);
        if (key && alias?.type === "identifier")
          r.vars.set(alias.text, r.member(value, key.text.replace(/^["']|["']$/g, "")));
      }
    }
}

const EXPRESSIONS = new Set([
  "call_expression",
  "new_expression",
  "member_expression",
  "subscript_expression",
  "identifier",
  "string",
  "template_string",
  "binary_expression",
  "array",
  "object",
  "await_expression",
  "parenthesized_expression",
]);

function evaluate(node: SyntaxNode, r: Reader): Value {
  if (!r.spend()) return unknown(node.text);
  const kids = named(node);
  switch (node.type) {
    case "identifier":
      return r.lookup(node.text);
    case "true":
    case "false":
      return { t: "bool", v: node.type === "true" };
    case "string":
      return str(stringText(node) ?? "");
    case "number":
      return str(node.text);
    case "template_string":
      return template(node, r);
    case "parenthesized_expression":
    case "await_expression":
      return kids[kids.length - 1] ? evaluate(kids[kids.length - 1] as SyntaxNode, r) : unknown(node.text);
    case "member_expression": {
      const [object, property] = kids;
      return object && property ? r.member(evaluate(object, r), property.text) : unknown(node.text);
    }
    case "subscript_expression":
      return subscript(node, r, evaluate);
    case "binary_expression":
      return binaryConcat(node, r, evaluate, "+");
    case "array":
      return { t: "list", items: kids.map((k) => evaluate(k, r)) };
    case "object": {
      const fields = new Map<string, Value>();
      for (const p of kids) {
        if (p.type === "shorthand_property_identifier") fields.set(p.text, r.lookup(p.text));
        else if (p.type === "pair") {
          const [k, v] = named(p);
          const key = k?.type === "string" ? stringText(k) : k?.text;
          if (key !== undefined && v) fields.set(key, evaluate(v, r));
        } else visit(p, r);
      }
      return { t: "obj", fields };
    }
    case "call_expression":
    case "new_expression":
      return evaluateCall(node, r);
    default:
      return walkUnknown(node, r, visit);
  }
}

function evaluateCall(node: SyntaxNode, r: Reader): Value {
  const [fn, argNode] = named(node);
  if (!fn) return unknown(node.text);
  // A tagged template (zx's $`…`, Bun.$`…`, prisma.$executeRaw`…`) is a call with the text.
  const args: CallArgs =
    argNode?.type === "template_string"
      ? { args: [template(argNode, r)], kwargs: new Map() }
      : argNode
        ? { args: named(argNode).map((a) => evaluate(a, r)), kwargs: new Map() }
        : { args: [], kwargs: new Map() };
  const first = textOf(args.args[0]);
  if (fn.text === "require" && first !== undefined) {
    r.call(r.lookup("require"), args, node.text);
    return moduleValue(first);
  }
  if (fn.type === "import" && first !== undefined) return moduleValue(first);
  const callee = evaluate(fn, r);
  // An immediately called function literal (`(async () => { … })()`) runs its body, visited above.
  if (callee.t !== "ref")
    return FUNCTIONS.test(unparen(fn).type) ? unknown(node.text) : r.computedCall(node.text, args);
  return r.call(callee, args, node.text, node.type === "new_expression");
}

const FUNCTIONS = /^(arrow_function|function_expression|function)$/;

function unparen(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === "parenthesized_expression" && named(n)[0]) n = named(n)[0] as SyntaxNode;
  return n;
}

/** The text of a quoted string literal, escapes decoded. */
function stringText(node: SyntaxNode): string | undefined {
  let out = "";
  for (const c of node.children) {
    if (c.type === "string_fragment") out += c.text;
    else if (c.type === "escape_sequence") out += decodeEscapes(c.text);
  }
  return out;
}

function template(node: SyntaxNode, r: Reader): Value {
  const parts: Value[] = [];
  for (const c of node.children) {
    if (c.type === "string_fragment") parts.push(str(c.text));
    else if (c.type === "escape_sequence") parts.push(str(decodeEscapes(c.text)));
    else if (c.type === "template_substitution") parts.push(interpolation(c, r, evaluate));
  }
  return concat(parts);
}
