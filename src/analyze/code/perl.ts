import { type Effect, ref, str, unknown, type Value } from "./model.js";
import { concat, decodeEscapes, Reader } from "./reader.js";
import { type Token, tokenize } from "./tokens.js";

/**
 * Perl read token by token (no grammar for it fits): the builtins that run commands (system, exec,
 * qx//, backticks, piped open), delete (unlink, rmdir, File::Path's rmtree/remove_tree), write
 * (open for writing) or run code (eval of a string, do FILE, require of a computed name).
 */
const CALLS =
  /^(system|exec|unlink|rmdir|rmtree|remove_tree|File::Path::rmtree|File::Path::remove_tree|eval|qx|readpipe|open|do|require)$/;
/** Modules whose use changes nothing outside the process. */
const SAFE_MODULES =
  /^(strict|warnings|utf8|feature|constant|vars|lib|POSIX|Data::Dumper|JSON::PP|JSON|List::Util|Scalar::Util|File::Basename|File::Spec|Time::\w+|Getopt::\w+|MIME::Base64|Digest::\w+|Cwd|Encode|Storable|Text::\w+|Term::\w+|English|Carp|File::Path|FindBin)$/;

const STOP = new Set([";", "}", "{"]);

export function readPerl(source: string): Effect[] {
  const tokens = tokenize(source, true);
  if (!tokens)
    return [{ kind: "opaque", why: "perl code airlock could not tokenize (an unclosed quote)", via: "" }];
  const r = new Reader();
  const effects: Effect[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!r.spend()) break;
    const tok = tokens[i] as Token;
    if (tok.t === "word" && tok.s === "use") {
      const module = tokens[i + 1];
      if (module?.t === "word" && !SAFE_MODULES.test(module.s))
        effects.push({ kind: "other", via: `use ${module.s}` });
      continue;
    }
    // `my $cmd = "rm -rf /";`
    if (tok.t === "var" && tokens[i + 1]?.s === "=" && tokens[i + 1]?.t === "punct") {
      const [value] = expression(tokens, i + 2, r);
      r.vars.set(tok.s, value);
      continue;
    }
    if (tok.t !== "word" || !CALLS.test(tok.s) || tokens[i - 1]?.s === "->" || tokens[i + 1]?.s === "=>")
      continue;
    const name = tok.s.replace(/^File::Path::/, "");
    if (name === "eval" && tokens[i + 1]?.s === "{") continue;
    const args = argumentsAt(tokens, i + 1, r);
    if (name === "open") effects.push(...openEffects(args, tok, source));
    else if (name === "eval") {
      const code = args[0];
      effects.push(
        code?.t === "str"
          ? { kind: "code", source: code.s, via: "eval" }
          : { kind: "opaque", why: "eval of a string only known at run time", via: "eval" },
      );
    } else if (name === "do" || name === "require") {
      if (args[0]?.t !== "str" && tokens[i + 1]?.t !== "word")
        effects.push({ kind: "opaque", why: `${name} loads code named only at run time`, via: name });
      else if (name === "do" && args[0]?.t === "str")
        effects.push({ kind: "opaque", why: `do runs the Perl file ${args[0].s}`, via: name });
    } else
      r.call(
        ref([{ name: name === "qx" || name === "readpipe" ? "qx" : name }]),
        { args, kwargs: new Map() },
        `${tok.s} …`,
      );
  }
  return [...effects, ...r.allEffects()];
}

/** `open(FH, "cmd |")`, `open(my $fh, "-|", "cmd", @args)`, `open(FH, ">", $file)`. */
function openEffects(args: Value[], _tok: Token, _source: string): Effect[] {
  const [, mode, ...rest] = args;
  const text = mode?.t === "str" ? mode.s.trim() : undefined;
  if (text === undefined)
    return [{ kind: "opaque", why: "open with a mode only known at run time", via: "open" }];
  if (text === "-|" || text === "|-") {
    if (rest.length > 1)
      return [{ kind: "argv", argv: rest.map((v) => (v.t === "str" ? v.s : undefined)), via: "open" }];
    return [{ kind: "shell", line: rest[0]?.t === "str" ? rest[0].s : undefined, via: "open" }];
  }
  if (text.startsWith("|")) return [{ kind: "shell", line: text.slice(1).trim(), via: "open" }];
  if (text.endsWith("|")) return [{ kind: "shell", line: text.slice(0, -1).trim(), via: "open" }];
  const target = rest[0]?.t === "str" ? rest[0].s : undefined;
  if (/^\+?[>]/.test(text))
    return [{ kind: "write", path: rest.length > 0 ? target : text.replace(/^\+?>+\s*/, ""), via: "open" }];
  return [];
}

/** Arguments of a call: in parentheses, or up to the end of the statement. */
function argumentsAt(tokens: Token[], at: number, r: Reader): Value[] {
  const paren = tokens[at]?.s === "(" && tokens[at]?.t === "punct";
  let i = paren ? at + 1 : at;
  const args: Value[] = [];
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    if (t.t === "punct" && ((paren && t.s === ")") || (!paren && STOP.has(t.s)))) break;
    if (t.t === "word" && /^(or|and|if|unless)$/.test(t.s) && !paren) break;
    if (t.t === "punct" && (t.s === "," || t.s === "=>")) {
      i++;
      continue;
    }
    const [value, next] = expression(tokens, i, r, paren);
    args.push(value);
    i = next;
  }
  return args;
}

/** One argument: strings and known variables joined with `.`; anything else is unknown. */
function expression(tokens: Token[], at: number, r: Reader, inParens = false): [Value, number] {
  const parts: Value[] = [];
  let i = at;
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    if (
      t.t === "punct" &&
      (t.s === "," || t.s === "=>" || t.s === ";" || t.s === "}" || (inParens && t.s === ")"))
    )
      break;
    if (t.t === "word" && /^(or|and|if|unless)$/.test(t.s)) break;
    if (t.t === "str")
      parts.push(t.interpolates ? interpolate(t.s, r) : str(t.s.replace(/\\(['\\])/g, "$1")));
    else if (t.t === "var") parts.push(r.vars.get(t.s) ?? unknown(t.s));
    else if (!(t.t === "punct" && t.s === ".")) {
      if (t.t === "punct" && t.s === "(") {
        parts.push(unknown("("));
        let depth = 0;
        for (; i < tokens.length; i++) {
          if (tokens[i]?.s === "(") depth++;
          else if (tokens[i]?.s === ")" && --depth === 0) break;
        }
      } else parts.push(unknown(t.s));
    }
    i++;
  }
  return [parts.length === 0 ? unknown("") : concat(parts), i];
}

function interpolate(text: string, r: Reader): Value {
  const pieces = text.split(/([$@]\{?\w+\}?)/);
  return concat(
    pieces.map((p, k) =>
      k % 2 === 1 ? (r.vars.get(p.replace(/[{}]/g, "")) ?? unknown(p)) : str(decodeEscapes(p)),
    ),
  );
}
