/**
 * A tokenizer for the languages with no grammar on the registry that fits (Perl) or none worth a
 * native build (awk): strings with their quoting, words, variables and punctuation. It never
 * guesses a string's end: text it cannot close makes the whole code unreadable (opaque).
 */
export type Token =
  | { t: "str"; s: string; interpolates: boolean }
  | { t: "word"; s: string }
  | { t: "var"; s: string }
  | { t: "punct"; s: string };

const PAIRS: Record<string, string> = { "(": ")", "[": "]", "{": "}", "<": ">" };

/** Read a quote-like body starting after its opening delimiter; returns the body and the index after it. */
function quoted(src: string, at: number, open: string): [string, number] | undefined {
  const close = PAIRS[open] ?? open;
  let depth = 1;
  let out = "";
  for (let i = at; i < src.length; i++) {
    const c = src[i] as string;
    if (c === "\\" && i + 1 < src.length) {
      out += c + src[i + 1];
      i++;
      continue;
    }
    if (c === open && close !== open) depth++;
    else if (c === close && --depth === 0) return [out, i + 1];
    out += c;
  }
  return undefined;
}

/** Perl's q, qq, qw, qx and m/s/tr/y quote-like operators, and plain quotes and backticks. */
export function tokenize(src: string, perl: boolean): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      const body = quoted(src, i + 1, c);
      if (!body) return undefined;
      if (c === "`") out.push({ t: "word", s: "qx" }, { t: "str", s: body[0], interpolates: true });
      else out.push({ t: "str", s: body[0], interpolates: c === '"' });
      i = body[1];
      continue;
    }
    const word = /^[A-Za-z_][\w]*(?:::\w+)*/.exec(src.slice(i));
    if (word) {
      const w = word[0];
      const after = src.slice(i + w.length);
      const delim = /^\s*([^\w\s,;=)])/.exec(after);
      if (perl && /^(q|qq|qw|qx|m|qr|s|tr|y)$/.test(w) && delim?.[1]) {
        const start = i + w.length + (delim[0].length - 1);
        const body = quoted(src, start + 1, delim[1]);
        if (!body) return undefined;
        let end = body[1];
        // s/…/…/ and tr/…/…/ have a second part.
        if (/^(s|tr|y)$/.test(w)) {
          const open = PAIRS[delim[1]] ? src.slice(end).trimStart()[0] : delim[1];
          const second = open
            ? quoted(src, PAIRS[delim[1]] ? src.indexOf(open, end) + 1 : end, open)
            : undefined;
          if (!second) return undefined;
          end = second[1];
        }
        while (/[a-z]/.test(src[end] ?? "")) end++;
        if (w === "qx")
          out.push({ t: "word", s: "qx" }, { t: "str", s: body[0], interpolates: delim[1] !== "'" });
        else if (w === "qw")
          out.push(
            { t: "punct", s: "(" },
            ...body[0]
              .trim()
              .split(/\s+/)
              .flatMap((s): Token[] => [
                { t: "str", s, interpolates: false },
                { t: "punct", s: "," },
              ]),
            { t: "punct", s: ")" },
          );
        else if (w === "q" || w === "qq") out.push({ t: "str", s: body[0], interpolates: w === "qq" });
        else out.push({ t: "word", s: "(regex)" });
        i = end;
        continue;
      }
      out.push({ t: "word", s: w });
      i += w.length;
      continue;
    }
    const variable = /^[$@%][{]?[\w:]+[}]?|^\$\d+|^\$[_0!@&]/.exec(src.slice(i));
    if (variable) {
      out.push({ t: "var", s: variable[0].replace(/[{}]/g, "") });
      i += variable[0].length;
      continue;
    }
    const punct = /^(=>|->|==|!=|>=|<=|\|\||&&|\|&|=~|!~|\.=|[^\w\s])/.exec(src.slice(i));
    out.push({ t: "punct", s: punct?.[0] ?? c });
    i += punct?.[0].length ?? 1;
  }
  return out;
}
