import type { SyntaxNode } from "../shell/parse.js";
import { named } from "./reader.js";

/**
 * PowerShell read from tree-sitter-powershell's tree into the commands it runs: each with its name,
 * its parameters and positional arguments as far as they are known, and what feeds it through the
 * pipeline. Script blocks are read too (`ForEach-Object { Remove-Item $_ }`, `Invoke-Command
 * -ScriptBlock { … }`): what a block would run, it may run. .NET static calls are kept apart.
 */
export interface PsWord {
  /** The value, when known; `$env:NAME` stays as written so that paths can name it. */
  text: string | undefined;
  raw: string;
}

export interface PsCommand {
  name: PsWord;
  /** Words in order: parameters as `-Name` (a `-Name:value` split in two), then values. */
  words: PsWord[];
  /** The stage before it in the pipeline: its output is this command's input. */
  input?: PsInput;
  text: string;
}

export type PsInput =
  | { kind: "command"; command: PsCommand }
  | { kind: "expression"; text: string; value: PsWord };

export interface PsStatic {
  type: string;
  method: string;
  args: PsWord[];
  text: string;
}

export interface PsScript {
  commands: PsCommand[];
  statics: PsStatic[];
  /** Parts the grammar could not read. */
  errors: string[];
}

/** Expression wrappers that hold one thing: `array_literal_expression > unary_expression > …`. */
const WRAPPERS =
  /^(array_literal_expression|unary_expression|logical_expression|bitwise_expression|comparison_expression|additive_expression|multiplicative_expression|format_expression|range_expression|argument_expression|\w+_argument_expression|string_literal|left_assignment_expression|pipeline_chain|pipeline)$/;

export function readPowerShell(root: SyntaxNode): PsScript {
  const script: PsScript = { commands: [], statics: [], errors: [] };
  const vars = new Map<string, PsWord>();
  const visit = (node: SyntaxNode): void => {
    if (node.type === "ERROR") script.errors.push(node.text.slice(0, 60));
    if (node.type === "assignment_expression") {
      const [left, , value] = node.children.filter((c) => c.named || c.type === "=");
      const name = left ? unwrap(left) : undefined;
      const v = node.children[node.children.length - 1];
      if (name?.type === "variable" && v) vars.set(name.text.toLowerCase(), evaluate(v, vars));
      for (const c of named(node)) if (c !== left && c !== value) visit(c);
      if (v) visit(v);
      return;
    }
    if (node.type === "pipeline_chain") {
      let input: PsInput | undefined;
      for (const stage of named(node)) {
        if (stage.type === "command") {
          const command = readCommand(stage, vars, input);
          script.commands.push(command);
          input = { kind: "command", command };
        } else input = { kind: "expression", text: stage.text, value: evaluate(stage, vars) };
        visit(stage);
      }
      return;
    }
    if (node.type === "invokation_expression") {
      const type = node.children.find((c) => c.type === "type_literal");
      const method = node.children.find((c) => c.type === "member_name");
      const list = node.children.find((c) => c.type === "argument_list");
      if (type && method)
        script.statics.push({
          type: type.text.replace(/^\[|\]$/g, "").replace(/^System\./i, ""),
          method: method.text,
          args: list ? argumentsOf(list, vars) : [],
          text: node.text,
        });
    }
    for (const c of named(node)) visit(c);
  };
  visit(root);
  return script;
}

function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (;;) {
    const kids = named(n);
    if (!WRAPPERS.test(n.type) || kids.length !== 1) return n;
    n = kids[0] as SyntaxNode;
  }
}

function argumentsOf(list: SyntaxNode, vars: Map<string, PsWord>): PsWord[] {
  const out: PsWord[] = [];
  const each = (n: SyntaxNode) => {
    if (n.type === "argument_expression") out.push(evaluate(n, vars));
    else for (const c of named(n)) each(c);
  };
  each(list);
  return out;
}

function readCommand(node: SyntaxNode, vars: Map<string, PsWord>, input: PsInput | undefined): PsCommand {
  const nameNode = node.children.find((c) => c.type === "command_name" || c.type === "command_name_expr");
  const foreach = node.children.find((c) => c.type === "foreach_command");
  const name: PsWord = foreach
    ? { text: "ForEach-Object", raw: "%" }
    : nameNode
      ? evaluate(nameNode, vars)
      : { text: undefined, raw: node.text };
  const words: PsWord[] = [];
  const elements = (foreach ?? node).children.find((c) => c.type === "command_elements") ?? foreach;
  for (const e of elements ? named(elements) : []) {
    if (e.type === "command_argument_sep") continue;
    if (e.type === "command_parameter") {
      // `-Path:C:\x` and `-Recurse:$true`: the parameter and its value.
      const [param, value] = e.text.split(/:(.*)/s, 2);
      words.push({ text: param, raw: e.text });
      if (value) words.push({ text: value, raw: value });
      continue;
    }
    words.push(evaluate(e, vars));
  }
  return { name, words, input, text: node.text };
}

/** An argument's value: literal text, a string with known variables, or unknown. */
export function evaluate(node: SyntaxNode, vars: Map<string, PsWord>): PsWord {
  const n = unwrap(node);
  const raw = n.text;
  switch (n.type) {
    case "generic_token":
    case "command_name":
    case "simple_name":
      return { text: raw, raw };
    case "command_name_expr":
    case "path_command_name": {
      const kids = named(n);
      return kids.length === 1 && kids[0] ? evaluate(kids[0], vars) : { text: raw, raw };
    }
    case "verbatim_string_characters":
    case "verbatim_here_string_characters":
      return { text: raw.replace(/^@?'\r?\n?|\r?\n?'@?$/g, "").replace(/''/g, "'"), raw };
    case "expandable_string_literal":
    case "expandable_here_string_literal":
      return expandString(n, vars);
    case "variable":
      return variable(raw, vars);
    case "array_literal_expression": {
      // `'dist', 'build'`: a list, passed on as comma-separated text when every item is known.
      const items = named(n).map((c) => evaluate(c, vars).text);
      return { text: items.every((i) => i !== undefined) ? items.join(",") : undefined, raw };
    }
    case "array_expression": {
      // `@('dist', 'build')`: the array its one statement makes.
      const statements = named(n).find((c) => c.type === "statement_list");
      const only = statements ? named(statements) : [];
      return only.length === 1 && only[0] ? evaluate(only[0], vars) : { text: undefined, raw };
    }
    case "integer_literal":
    case "decimal_integer_literal":
      return { text: raw, raw };
    default:
      return { text: undefined, raw };
  }
}

/** `$env:NAME` keeps its name (paths know the Windows ones); `$HOME`, `$true`; others as assigned. */
function variable(raw: string, vars: Map<string, PsWord>): PsWord {
  const name = raw.replace(/^\$\{?|\}$/g, "").toLowerCase();
  if (name.startsWith("env:")) return { text: `$env:${name.slice(4).toUpperCase()}`, raw };
  if (name === "home") return { text: "~", raw };
  if (name === "true" || name === "false") return { text: `$${name}`, raw };
  return vars.get(`$${name}`) ?? { text: undefined, raw };
}

function expandString(node: SyntaxNode, vars: Map<string, PsWord>): PsWord {
  const raw = node.text;
  const body = raw.replace(/^@?"\r?\n?|\r?\n?"@?$/g, "");
  // Subexpressions `$( … )` are commands (visited as such); their output is unknown here.
  if (node.children.some((c) => c.type === "sub_expression")) return { text: undefined, raw };
  let known = true;
  const text = body.replace(/\$\{[^}$]+\}|\$(?:env:)?\w+/gi, (v) => {
    const value = variable(v, vars).text;
    if (value === undefined) known = false;
    return value ?? v;
  });
  return {
    text: known
      ? text.replace(/`(.)/g, (_m, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c))
      : undefined,
    raw,
  };
}
