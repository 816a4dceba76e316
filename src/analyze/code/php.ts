import type { SyntaxNode } from "../shell/parse.js";
import { binaryConcat, readTree, subscript, walkUnknown } from "./forms.js";
import { type CallArgs, type Effect, ref, str, textOf, unknown, type Value } from "./model.js";
import { concat, decodeEscapes, named, type Reader, visitStatements } from "./reader.js";

/**
 * PHP read from tree-sitter-php's tree (`php -r` code has no `<?php` tag; the caller adds one).
 * A variable holding a function's name is that function when called (`$f = "system"; $f("…")`).
 */
export function readPhp(root: SyntaxNode): Effect[] {
  return readTree(root, visit);
}

function visit(node: SyntaxNode, r: Reader): void {
  visitStatements(node, r, SHAPE);
}

const EXPRESSIONS = new Set([
  "function_call_expression",
  "member_call_expression",
  "scoped_call_expression",
  "object_creation_expression",
  "shell_command_expression",
  "variable_name",
  "encapsed_string",
  "string",
  "binary_expression",
  "array_creation_expression",
  "parenthesized_expression",
  "subscript_expression",
]);

const SHAPE = {
  assignment: "assignment_expression",
  variable: "variable_name",
  expressions: EXPRESSIONS,
  evaluate,
};

function evaluate(node: SyntaxNode, r: Reader): Value {
  if (!r.spend()) return unknown(node.text);
  const kids = named(node);
  switch (node.type) {
    case "variable_name":
      return r.vars.get(node.text) ?? unknown(node.text);
    case "name":
    case "qualified_name":
      return ref([{ name: node.text.replace(/^\\/, ""), module: /^[A-Z\\]/.test(node.text) }]);
    case "boolean":
      return { t: "bool", v: /true/i.test(node.text) };
    case "string":
    case "encapsed_string":
    case "shell_command_expression":
      return phpString(node, r);
    case "parenthesized_expression":
      return kids[0] ? evaluate(kids[0], r) : unknown(node.text);
    case "binary_expression":
      return binaryConcat(node, r, evaluate, ".");
    case "array_creation_expression": {
      const items: Value[] = [];
      const fields = new Map<string, Value>();
      for (const element of kids) {
        const [k, v] = named(element);
        if (v && k) {
          const key = textOf(evaluate(k, r));
          if (key !== undefined) fields.set(key, evaluate(v, r));
        } else if (k) items.push(evaluate(k, r));
      }
      return fields.size > 0 ? { t: "obj", fields } : { t: "list", items };
    }
    case "subscript_expression":
      return subscript(node, r, evaluate);
    case "function_call_expression":
    case "member_call_expression":
    case "scoped_call_expression":
    case "object_creation_expression":
      return evaluateCall(node, r);
    default:
      return walkUnknown(node, r, visit);
  }
}

function evaluateCall(node: SyntaxNode, r: Reader): Value {
  const argNode = node.children.find((c) => c.type === "arguments");
  const args: CallArgs = {
    args: argNode ? named(argNode).map((a) => evaluate(named(a)[0] ?? a, r)) : [],
    kwargs: new Map(),
  };
  const kids = named(node).filter((c) => c !== argNode);
  let callee: Value;
  if (node.type === "function_call_expression") {
    const fn = kids[0];
    const v = fn ? evaluate(fn, r) : unknown("");
    callee = v.t === "str" ? ref([{ name: v.s }]) : v;
  } else if (node.type === "object_creation_expression")
    callee = kids[0] ? evaluate(kids[0], r) : unknown("");
  else {
    const [object, name] = kids;
    const base = object ? evaluate(object, r) : unknown("");
    const receiver = base.t === "unknown" ? ref([{ name: object?.text ?? "?" }]) : base;
    callee = name ? r.member(receiver, name.text) : unknown(node.text);
  }
  if (callee.t !== "ref") return r.computedCall(node.text, args);
  return r.call(callee, args, node.text, node.type === "object_creation_expression");
}

/** A PHP string: single-quoted text, or double-quoted / backtick text with `$var` interpolation. */
function phpString(node: SyntaxNode, r: Reader): Value {
  const single = node.type === "string";
  const parts: Value[] = [];
  for (const c of node.children) {
    if (c.type === "string_content" || c.type === "string_value")
      parts.push(str(single ? c.text.replace(/\\(['\\])/g, "$1") : decodeEscapes(c.text)));
    else if (c.type === "escape_sequence") parts.push(str(decodeEscapes(c.text)));
    else if (c.named) {
      const v = evaluate(c, r);
      parts.push(v.t === "str" ? v : unknown(c.text));
    }
  }
  const text = concat(parts);
  if (node.type !== "shell_command_expression") return text;
  return r.call(ref([{ name: "`" }]), { args: [text], kwargs: new Map() }, node.text);
}
