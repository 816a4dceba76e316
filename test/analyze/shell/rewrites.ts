/**
 * Rewrites of a shell line that bash runs exactly as the original: the families the mutation test
 * applies to every guarded corpus case. Each returns undefined where it would change the meaning
 * (a rewrite that moves words after a heredoc, a redirect before a reserved word).
 */
export type Rewrite = (line: string) => string | undefined;

const RESERVED = new Set(
  "if then else elif fi for while until do done case esac in function select time ! { } [[ ]]".split(" "),
);

function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** The first word of a line that is a plain simple command (`rm -rf /`), and the rest. */
function simpleHead(line: string): { head: string; rest: string } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_.-]*)(\s.*)?$/s.exec(line);
  if (!m || RESERVED.has(m[1] ?? "") || /^[A-Za-z_][A-Za-z0-9_]*=/.test(line)) return undefined;
  return { head: m[1] ?? "", rest: m[2] ?? "" };
}

const hasHeredoc = (line: string) => line.includes("<<");

export const REWRITES: Record<string, Record<string, Rewrite>> = {
  quoting: {
    "single-quoted name": (l) => {
      const s = simpleHead(l);
      return s ? `'${s.head}'${s.rest}` : undefined;
    },
    "double-quoted name": (l) => {
      const s = simpleHead(l);
      return s ? `"${s.head}"${s.rest}` : undefined;
    },
    "empty quotes inside the name": (l) => {
      const s = simpleHead(l);
      return s && s.head.length > 1 ? `${s.head[0]}''${s.head.slice(1)}${s.rest}` : undefined;
    },
    "backslash before the name": (l) => {
      const s = simpleHead(l);
      return s ? `\\${s.head}${s.rest}` : undefined;
    },
  },
  wrappers: {
    "bash -c": (l) => `bash -c ${singleQuoted(l)}`,
    "sh -c": (l) => `sh -c ${singleQuoted(l)}`,
    eval: (l) => `eval ${singleQuoted(l)}`,
    command: (l) => (simpleHead(l) ? `command ${l}` : undefined),
    env: (l) => (simpleHead(l) ? `env ${l}` : undefined),
    nice: (l) => (simpleHead(l) ? `nice -n 5 ${l}` : undefined),
    timeout: (l) => (simpleHead(l) ? `timeout 60 ${l}` : undefined),
    "bash heredoc": (l) => `bash <<'AIRLOCK_EOF'\n${l}\nAIRLOCK_EOF`,
    "pipe to sh": (l) => (l.includes("\n") ? undefined : `printf '%s\\n' ${singleQuoted(l)} | sh`),
  },
  "redirect placement": {
    "after the name": (l) => {
      const s = simpleHead(l);
      return s && !hasHeredoc(l) ? `${s.head} 2>/dev/null${s.rest}` : undefined;
    },
    "before the name": (l) => {
      const s = simpleHead(l);
      return s && !hasHeredoc(l) ? `2>/dev/null ${l}` : undefined;
    },
  },
  "line continuations": {
    "after the name": (l) => {
      const s = simpleHead(l);
      return s && /^[ \t]+\S/.test(s.rest) ? `${s.head} \\\n ${s.rest.replace(/^[ \t]+/, "")}` : undefined;
    },
    "inside the name": (l) => {
      const s = simpleHead(l);
      return s && s.head.length > 1 ? `${s.head[0]}\\\n${s.head.slice(1)}${s.rest}` : undefined;
    },
  },
  indirection: {
    "name in a variable": (l) => {
      const s = simpleHead(l);
      return s && !l.includes("\n") ? `c=${s.head}; $c${s.rest}` : undefined;
    },
    "line in a variable": (l) => `x=${singleQuoted(l)}; eval "$x"`,
    function: (l) => `f() {\n${l}\n}\nf`,
    "script file": (l) => `printf '%s\\n' ${singleQuoted(l)} > job.sh; bash job.sh`,
  },
  nesting: {
    subshell: (l) => `(\n${l}\n)`,
    group: (l) => `{\n${l}\n}`,
    "if true": (l) => `if true; then\n${l}\nfi`,
    "for loop": (l) => `for _ in 1; do\n${l}\ndone`,
    "command substitution": (l) => (hasHeredoc(l) ? undefined : `: "$(${l})"`),
    negation: (l) => `! {\n${l}\n}`,
  },
  comments: {
    "comment after": (l) => (hasHeredoc(l) ? `${l}\n# done` : `${l} # done`),
    "comment before": (l) => `# step 1\n${l}`,
  },
  chains: {
    "true &&": (l) => `true && ${l}`,
    "false ||": (l) => `false || ${l}`,
    "; true": (l) => (hasHeredoc(l) ? `${l}\ntrue` : `${l}; true`),
    "cd first": (l) => `cd . && ${l}`,
  },
};
