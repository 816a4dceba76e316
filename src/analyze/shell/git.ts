import { hasAny, parseArgs } from "./args.js";
import { emit, type Invocation, type OpSpec } from "./context.js";
import type { Handler } from "./dispatch.js";
import { configuredCommands, gitConfig } from "./git-config.js";
import { quoteWord } from "./quote.js";
import { literalWord } from "./words.js";

const PROTECTED = /^(main|master|production|prod|live|trunk|release|release\/.+|releases\/.+|stable)$/;
const READS = new Set(
  `status log diff show blame grep ls-files ls-tree ls-remote rev-parse rev-list describe shortlog cat-file
  for-each-ref show-ref name-rev whatchanged help version count-objects verify-commit var check-ignore`.split(
    /\s+/,
  ),
);
const GLOBAL_WITH_VALUE = new Set([
  "-C",
  "-c",
  "--git-dir",
  "--work-tree",
  "--namespace",
  "--exec-path",
  "--config-env",
]);

type GitOp = Omit<OpSpec, "name"> & { name: string };

const local = (name: string, summary: string, effect: OpSpec["effect"] = "write"): GitOp => ({
  name,
  effect,
  summary,
  reversibility: "reversible",
  blastRadius: "resource",
  envHints: ["local"],
});

const read = (name: string, summary: string): GitOp => ({ name, effect: "read", summary });

/** Discarding uncommitted work or history: the working tree itself, so no "local" hint. */
const discard = (
  name: string,
  summary: string,
  reversibility: OpSpec["reversibility"] = "irreversible",
): GitOp => ({ name, effect: "delete", summary, reversibility, blastRadius: "service", tags: ["data-loss"] });

function branchOf(refspec: string): string {
  const dst = refspec.replace(/^\+/, "").split(":").pop() ?? "";
  return dst.replace(/^refs\/heads\//, "");
}

const PUSH_OPTIONS_WITH_VALUE = new Set(["--repo", "-o", "--push-option", "--receive-pack", "--exec"]);

function push(args: string[]): GitOp {
  const p = parseArgs(args.map(literalWord), PUSH_OPTIONS_WITH_VALUE);
  const [remote = "", ...refspecs] = p.operands.map((o) => o.value);
  if (hasAny(p, "-n", "--dry-run")) return read("push --dry-run", "push --dry-run changes nothing");
  const force =
    hasAny(p, "-f", "--force", "--force-with-lease", "--force-if-includes") ||
    refspecs.some((r) => r.startsWith("+"));
  const del = hasAny(p, "-d", "--delete") || refspecs.some((r) => r.startsWith(":"));
  const mirror = hasAny(p, "--mirror", "--prune");
  const branches = refspecs.map(branchOf).filter((b) => b !== "");
  const isProtected = mirror || branches.some((b) => PROTECTED.test(b));
  const what = branches.join(" ") || (mirror ? "every ref" : "the current branch");
  const hints = [...branches.filter((b) => b !== "HEAD"), ...(isProtected ? ["production"] : [])];
  const targets = branches.map((b) => ({ type: "branch", name: b }));
  if (!force && !del && !mirror) {
    return {
      name: "push",
      effect: "write",
      summary: `push to ${remote || "the default remote"} ${what}`,
      reversibility: "recoverable",
      blastRadius: isProtected ? "service" : "resource",
      targets,
      envHints: isProtected ? hints : branches.length > 0 ? [...hints, "local"] : [],
    };
  }
  const name = del ? "push --delete" : mirror ? "push --mirror" : "push --force";
  if (isProtected) {
    return {
      name,
      effect: "delete",
      summary: `${name} to ${remote} ${what}: rewrites or removes a protected branch's history`,
      reversibility: "irreversible",
      blastRadius: "environment",
      targets,
      tags: ["data-loss"],
      envHints: hints,
    };
  }
  const known = branches.length > 0 && !branches.includes("HEAD");
  if (del)
    return {
      name,
      effect: "delete",
      summary: `${name} to ${remote} ${what}: deletes the branch on the remote`,
      reversibility: "recoverable",
      blastRadius: "resource",
      targets,
      envHints: hints,
    };
  return {
    name,
    effect: known ? "write" : "delete",
    summary: `${name} to ${remote} ${what}${known ? "" : " (which branch is only known when it runs)"}`,
    reversibility: "recoverable",
    blastRadius: known ? "resource" : "service",
    targets,
    envHints: known ? [...hints, "local"] : hints,
  };
}

/** Short options of git subcommands whose value may be attached: `-bfeature` is `-b feature`. */
const SHORT_WITH_VALUE = "bBcCmosSuFtU";

/** The letters of a short cluster up to the first one that takes the rest as its value: `-Dv` → D, v. */
function clusterLetters(a: string): string {
  let letters = "";
  for (const c of a.slice(1)) {
    letters += c;
    if (SHORT_WITH_VALUE.includes(c)) break;
  }
  return letters;
}

/** `-f` given alone or inside a cluster (`-fd`), or a long flag. */
function hasFlag(args: string[], ...flags: string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some(
    (a) =>
      flags.includes(a) ||
      flags.some(
        (x) => /^-[a-zA-Z]$/.test(x) && /^-[a-zA-Z]+$/.test(a) && clusterLetters(a).includes(x[1] as string),
      ),
  );
}

/** Long options git accepts abbreviated (`--har`, `--forc`, `--mir`), expanded toward the dangerous one. */
const DANGEROUS_LONG = [
  "--hard",
  "--merge",
  "--keep",
  "--force",
  "--mirror",
  "--delete",
  "--prune",
  "--discard-changes",
  "--worktree",
  "--force-with-lease",
];
export function expandAbbreviations(args: string[]): string[] {
  const end = args.indexOf("--");
  return args.map((a, i) => {
    if ((end >= 0 && i > end) || !a.startsWith("--") || a.length < 4 || a.includes("=")) return a;
    if (DANGEROUS_LONG.includes(a)) return a;
    return DANGEROUS_LONG.find((full) => full.startsWith(a)) ?? a;
  });
}

/** Operands of checkout/switch, leaving out the values of `-b NAME` and the like. */
function operandsOf(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--") break;
    if (/^-[bBcCs]$|^--(orphan|source|track)$/.test(a)) i++;
    else if (!a.startsWith("-")) out.push(a);
  }
  return out;
}

/** Whether `--staged`/`-S` is in force after the negations (`--no-staged`), the last one winning. */
function lastOf(args: string[], on: string[], off: string[]): boolean {
  let state = false;
  for (const a of args) {
    if (
      on.includes(a) ||
      (/^-[a-zA-Z]+$/.test(a) && on.some((o) => o.length === 2 && a.includes(o[1] as string)))
    )
      state = true;
    else if (off.includes(a)) state = false;
  }
  return state;
}

const LOOKS_LIKE_PATH = /^\.{1,2}$|^\.\/|^\*|\.[A-Za-z0-9]{1,6}$|^:\//;

function checkoutOrRestore(sub: string, args: string[]): GitOp {
  const has = (...f: string[]) => hasFlag(args, ...f);
  const operands = operandsOf(args);
  // `checkout main a.txt b.txt` and `checkout HEAD file`: after the first operand, paths; a lone
  // operand that looks like a file (`.`, `./src`, `app.py`) is a path too.
  const paths = args.includes("--")
    ? args.slice(args.indexOf("--") + 1)
    : sub === "restore"
      ? operands
      : sub === "checkout" && (operands.length > 1 || LOOKS_LIKE_PATH.test(operands[0] ?? ""))
        ? operands
        : [];
  const fromFile = args.some((a) => a.startsWith("--pathspec-from-file"));
  const staged = lastOf(args, ["--staged", "-S"], ["--no-staged"]);
  const worktree = lastOf(args, ["--worktree", "-W"], ["--no-worktree"]);
  if (sub === "restore" && staged && !worktree) return local("restore --staged", "restore --staged unstages");
  if (paths.length > 0 || fromFile || has("-f", "--force", "--discard-changes"))
    return discard(`${sub} --`, `${sub} ${paths.join(" ")} discards uncommitted changes`);
  return local(sub, `${sub} ${args.join(" ")}`);
}

function branch(args: string[]): GitOp {
  const has = (...f: string[]) => hasFlag(args, ...f);
  if (has("-D") || (has("-d", "--delete") && has("-f", "--force"))) {
    const names = args.filter((a) => !a.startsWith("-")).join(" ");
    return discard("branch -D", `branch -D ${names} deletes unmerged branches`, "recoverable");
  }
  if (args.length === 0 || has("-a", "-r", "-l", "--list", "-v", "-vv", "--show-current"))
    return read("branch", "branch lists branches");
  return local("branch", `branch ${args.join(" ")}`);
}

function subcommand(sub: string, args: string[]): GitOp {
  const has = (...f: string[]) => hasFlag(args, ...f);
  if (READS.has(sub)) return read(sub, `${sub} only reads`);
  switch (sub) {
    case "push":
      return push(args);
    case "reset":
      if (has("--hard", "--merge", "--keep"))
        return discard("reset --hard", "reset --hard discards uncommitted changes");
      return local("reset", "reset moves the branch; the working tree is kept");
    case "clean":
      if (has("-n", "--dry-run")) return read("clean -n", "clean --dry-run lists files");
      if (has("-f", "--force")) return discard("clean -f", "clean -f deletes untracked files for good");
      return local("clean", "clean without -f does nothing");
    case "checkout":
    case "restore":
    case "switch":
      return checkoutOrRestore(sub, args);
    case "rm":
      if (has("-n", "--dry-run")) return read("rm -n", "rm --dry-run lists files");
      if (has("-f", "--force") || (has("-r") && args.some((a) => a === "." || a === "*" || a === ":/")))
        return discard("rm -f", `rm ${args.join(" ")} deletes files and their uncommitted changes`);
      return local("rm", `rm ${args.join(" ")}`, "delete");
    case "worktree":
      if ((args[0] === "remove" || args[0] === "prune") && has("-f", "--force"))
        return discard(
          "worktree remove --force",
          "worktree remove --force deletes a worktree's uncommitted work",
        );
      return local("worktree", `worktree ${args.join(" ")}`);
    case "stash":
      if (args[0] === "drop" || args[0] === "clear")
        return discard(`stash ${args[0]}`, `stash ${args[0]} deletes stashed work`, "recoverable");
      if (args[0] === "list" || args[0] === "show") return read("stash list", "stash list only reads");
      return local("stash", "stash saves uncommitted work");
    case "branch":
      return branch(args);
    case "reflog":
      if (args[0] === "expire" || args[0] === "delete")
        return discard(`reflog ${args[0]}`, "reflog expire drops the history that undoes mistakes");
      return read("reflog", "reflog only reads");
    case "gc":
    case "prune":
      if (args.some((a) => /^--prune=now|^--expire=now/.test(a)) || sub === "prune")
        return discard(`${sub} --prune=now`, `${sub} deletes unreachable commits now`);
      return local("gc", "gc packs the repository");
    case "filter-branch":
    case "filter-repo":
      return discard(sub, `${sub} rewrites the whole history`);
    case "remote":
      if (args[0] === "remove" || args[0] === "rm")
        return local("remote remove", "remote remove forgets a remote", "delete");
      return {
        name: "remote",
        effect: args.length === 0 || args[0] === "-v" || args[0] === "show" ? "read" : "write",
        summary: `remote ${args.join(" ")}`,
        envHints: ["local"],
      };
    case "tag":
      if (has("-d", "--delete")) return local("tag -d", "tag -d deletes a local tag", "delete");
      return local("tag", "tag");
    case "config": {
      const reads =
        args.some((a) => a.startsWith("--get") || a === "-l" || a === "--list") || args.length <= 1;
      return {
        name: "config",
        effect: reads ? "read" : "write",
        summary: `config ${args.join(" ")}`,
        envHints: ["local"],
      };
    }
    default:
      return local(sub || "(none)", `${sub} ${args.slice(0, 3).join(" ")}`);
  }
}

function git(inv: Invocation): void {
  // Global options come before the subcommand; `-C dir` and `--work-tree` take a value.
  let i = 0;
  while (i < inv.argv.length && (inv.argv[i] ?? "").startsWith("-"))
    i += GLOBAL_WITH_VALUE.has(inv.argv[i] ?? "") ? 2 : 1;
  const config = gitConfig(inv, inv.argv.slice(0, i));
  let sub = inv.argv[i] ?? "";
  let args = inv.argv.slice(i + 1);
  // Aliases, as git expands them: `!cmd` runs a shell line; otherwise the alias's words replace it.
  for (let depth = 0; depth < 5; depth++) {
    const alias = config.get(`alias.${sub.toLowerCase()}`);
    if (alias === undefined) break;
    if (alias.startsWith("!")) {
      inv.reparse([alias.slice(1), ...args.map(quoteWord)].join(" "));
      return;
    }
    const [first = "", ...more] = alias.trim().split(/\s+/);
    sub = first;
    args = [...more, ...args];
  }
  for (const command of configuredCommands(config, sub)) inv.reparse(command);
  const spec = subcommand(sub, expandAbbreviations(args));
  emit(inv, { ...spec, name: `git ${spec.name}`, summary: `git ${spec.summary}` });
}

export const GIT: Record<string, Handler> = { git };
