import type { SyntaxNode } from "../shell/parse.js";
import {
  type Call,
  type CallArgs,
  type Effect,
  pathOf,
  ref,
  type Segment,
  unknown,
  type Value,
} from "./model.js";
import { effectsOfCall, sensitiveReference } from "./rules.js";

/**
 * What the front-ends share: the names bound so far (imports and assignments, in source order,
 * flow-insensitive), the calls found, and a budget of nodes so that hostile code fails closed.
 * Every call anywhere is recorded, whether or not the code would reach it (inside a function never
 * called, under `if False:`): airlock judges what the code can do, not what one path does.
 */
export class Reader {
  readonly calls: Call[] = [];
  readonly effects: Effect[] = [];
  readonly vars = new Map<string, Value>();
  work = 300_000;

  constructor(readonly python = false) {}
  exhausted = false;

  spend(): boolean {
    if (--this.work >= 0) return true;
    this.exhausted = true;
    return false;
  }

  bindModule(name: string, module: string[]): void {
    this.vars.set(name, ref(module.map((m, i) => (i === 0 ? { name: m, module: true } : { name: m }))));
  }

  /** A name as the code reads it: bound by an import or an assignment, or a builtin / global. */
  lookup(name: string): Value {
    return this.vars.get(name) ?? ref([{ name }]);
  }

  /** The value of `value.name`. */
  /** Values the code reads from its command line (`sys.argv`), by dotted name. */
  readonly constants = new Map<string, Value>();

  member(value: Value, name: string): Value {
    if (value.t === "list" && /^\d+$/.test(name)) return value.items[Number(name)] ?? unknown(name);
    if (value.t === "ref") {
      const chain = [...value.chain, { name }];
      return this.constants.get(pathOf(chain)) ?? ref(chain);
    }
    if (value.t === "obj" && value.fields.has(name)) return value.fields.get(name) as Value;
    // A method of a value the code made (`"a".upper()`, `JSON.parse(s).x`): named, not computed.
    return ref([{ name: "(value)" }, { name }]);
  }

  /** Record a call of `callee` and return what it gives back (a reference to its result). */
  call(callee: Value, args: CallArgs, text: string, isNew = false): Value {
    for (const v of [...args.args, ...args.kwargs.values()]) {
      if (v.t === "ref" && !v.chain[v.chain.length - 1]?.call && sensitiveReference(pathOf(v.chain)))
        this.effects.push({
          kind: "opaque",
          why: `passes ${pathOf(v.chain)} as a value to be called later`,
          via: text.slice(0, 80),
        });
    }
    if (callee.t !== "ref") {
      this.calls.push({ chain: [{ name: "?", call: args }], computed: true, text });
      return unknown(text);
    }
    const chain: Segment[] = [...callee.chain];
    const last = chain[chain.length - 1] as Segment;
    chain[chain.length - 1] = { ...last, call: args };
    this.calls.push({ chain, isNew, text, python: this.python });
    return ref(chain);
  }

  /** A call whose function is computed (`o[k]()`, `(a || b)()`): recorded as such. */
  computedCall(text: string, args: CallArgs): Value {
    this.calls.push({ chain: [{ name: "?", call: args }], computed: true, text });
    return unknown(text);
  }

  /** Every effect found, in source order. */
  allEffects(): Effect[] {
    const found = [...this.effects, ...this.calls.flatMap(effectsOfCall)];
    if (this.exhausted)
      found.push({ kind: "opaque", why: "the code is too large or too deep to read within limits", via: "" });
    return found;
  }
}

/** The named children of a node. */
export function named(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((c) => c.named);
}

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "0": "\0",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
};

/** Backslash escapes common to Python, JavaScript, Ruby and PHP double-quoted strings. */
export function decodeEscapes(text: string): string {
  return text.replace(
    /\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|\n|.)/g,
    (_m, e: string) => {
      if (e === "\n") return "";
      if (/^[xuU]/.test(e) && e.length > 1)
        return String.fromCodePoint(Number.parseInt(e.replace(/[xuU{}]/g, ""), 16));
      return ESCAPES[e] ?? e;
    },
  );
}

/** Concatenate values when every one is known text. */
export function concat(values: Value[]): Value {
  let out = "";
  for (const v of values) {
    if (v.t !== "str") return unknown(values.map((x) => (x.t === "str" ? x.s : "?")).join(""));
    out += v.s;
  }
  return { t: "str", s: out };
}

/** A front-end's evaluator and statement walker, as the shared pieces below call back into them. */
export type Evaluate = (node: SyntaxNode, r: Reader) => Value;
export type Visit = (node: SyntaxNode, r: Reader) => void;

/** How a language's tree names assignments and plain variables, and which nodes are evaluated whole. */
export interface TreeShape {
  assignment: string;
  variable: string;
  expressions: ReadonlySet<string>;
  evaluate: Evaluate;
}

/**
 * Walk statements: an assignment to a plain variable binds what its right side evaluates to, an
 * expression is evaluated (recording its effects), anything else is walked into.
 */
export function visitStatements(node: SyntaxNode, r: Reader, shape: TreeShape): void {
  if (!r.spend()) return;
  if (node.type === shape.assignment) {
    const [left, right] = named(node);
    const value = right ? shape.evaluate(right, r) : unknown("");
    if (left?.type === shape.variable) r.vars.set(left.text, value);
    return;
  }
  if (shape.expressions.has(node.type)) {
    shape.evaluate(node, r);
    return;
  }
  for (const c of named(node)) visitStatements(c, r, shape);
}
