import type { Effect } from "./model.js";
import { decodeEscapes } from "./reader.js";
import { type Token, tokenize } from "./tokens.js";

/**
 * awk read token by token: `system(cmd)`, `cmd | getline`, `print … | cmd`, `printf … |& cmd`
 * run shell lines; `print … > file` writes. A command built from the input (`system("rm " $1)`) is
 * only known when the line runs: opaque.
 */
export function readAwk(source: string): Effect[] {
  const tokens = tokenize(source, false);
  if (!tokens)
    return [{ kind: "opaque", why: "awk program airlock could not tokenize (an unclosed string)", via: "" }];
  const effects: Effect[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.t === "word" && t.s === "system" && tokens[i + 1]?.s === "(") {
      effects.push(shell(command(tokens, i + 2, ")"), "system()"));
    } else if (t.t === "punct" && (t.s === "|" || t.s === "|&")) {
      if (tokens[i + 1]?.s === "getline") effects.push(shell(commandBefore(tokens, i), "| getline"));
      else if (statementHasPrint(tokens, i)) effects.push(shell(command(tokens, i + 1, ";"), "print |"));
    } else if (t.t === "punct" && (t.s === ">" || t.s === ">>") && statementHasPrint(tokens, i)) {
      const target = command(tokens, i + 1, ";");
      effects.push({ kind: "write", path: target, via: "print >" });
    }
  }
  return effects;
}

function shell(line: string | undefined, via: string): Effect {
  return { kind: "shell", line, via };
}

/** Juxtaposed strings (awk's concatenation) up to `end`; undefined when any piece is not a literal. */
function command(tokens: Token[], at: number, end: string): string | undefined {
  let out = "";
  let depth = 0;
  for (let i = at; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.t === "punct" && t.s === "(") depth++;
    if (t.t === "punct" && t.s === ")" && depth-- === 0 && end === ")") return out;
    if (t.t === "punct" && (t.s === ";" || t.s === "}" || t.s === "\n") && end === ";") return out;
    if (t.t === "str") out += decodeEscapes(t.s);
    else if (!(t.t === "punct" && (t.s === "(" || t.s === ")"))) return undefined;
  }
  return end === ";" ? out : undefined;
}

/** `"cmd" | getline`: the string just before the pipe. */
function commandBefore(tokens: Token[], at: number): string | undefined {
  const t = tokens[at - 1];
  return t?.t === "str" ? decodeEscapes(t.s) : undefined;
}

function statementHasPrint(tokens: Token[], at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const t = tokens[i] as Token;
    if (t.t === "punct" && (t.s === ";" || t.s === "{" || t.s === "}")) return false;
    if (t.t === "word" && (t.s === "print" || t.s === "printf")) return true;
  }
  return false;
}
