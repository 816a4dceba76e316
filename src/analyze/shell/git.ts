import { hasAny, parseArgs } from "./args.js";
import { emit, type Invocation, type OpSpec } from "./context.js";
import type { Handler } from "./dispatch.js";
import { literalWord } from "./words.js";

const PROTECTED = /^(main|master|production|prod|live|trunk|release\/.+|releases\/.+|stable)$/;
const READS = new Set(
  `status log diff show blame grep ls-files ls-tree ls-remote rev-parse rev-list describe shortlog cat-file
  for-each-ref show-ref name-rev whatchanged help version count-objects verify-commit var check-ignore`.split(
    /\s+/,
  ),
);
const GLOBAL_WITH_VALUE = new Set(["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"]);

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

/** `-f` given alone or inside a cluster (`-fd`), or a long flag. */
function hasFlag(args: string[], ...flags: string[]): boolean {
  return args.some(
    (a) =>
      flags.includes(a) ||
      flags.some((x) => /^-[a-z]$/.test(x) && /^-[a-zA-Z]+$/.test(a) && a.includes(x[1] as string)),
  );
}

function checkoutOrRestore(sub: string, args: string[]): GitOp {
  const has = (...f: string[]) => hasFlag(args, ...f);
  const paths = args.includes("--")
    ? args.slice(args.indexOf("--") + 1)
    : sub === "restore"
      ? args.filter((a) => !a.startsWith("-"))
      : [];
  if (sub === "restore" && has("--staged") && !has("--worktree", "-W"))
    return local("restore --staged", "restore --staged unstages");
  if (paths.length > 0 || has("-f", "--force"))
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
      return checkoutOrRestore(sub, args);
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
  const spec = subcommand(inv.argv[i] ?? "", inv.argv.slice(i + 1));
  emit(inv, { ...spec, name: `git ${spec.name}`, summary: `git ${spec.summary}` });
}

export const GIT: Record<string, Handler> = { git };
