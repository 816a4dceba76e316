import { hasAny, parseArgs } from "./args.js";
import { emit, type Invocation, type OpSpec } from "./context.js";
import type { Handler } from "./dispatch.js";
import { changeDirectory, forkState } from "./state.js";

const PROTECTED = /^(main|master|production|prod|live|trunk|release\/.+|releases\/.+|stable)$/;
const READS = new Set(
  `status log diff show blame grep ls-files ls-tree ls-remote rev-parse rev-list describe shortlog cat-file
  for-each-ref show-ref name-rev whatchanged help version count-objects verify-commit var check-ignore`.split(
    /\s+/,
  ),
);
const GLOBAL_WITH_VALUE = new Set(["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"]);

function op(inv: Invocation, spec: Omit<OpSpec, "name"> & { name: string }): void {
  emit(inv, { ...spec, name: `git ${spec.name}`, summary: `git ${spec.summary}` });
}

const local = (inv: Invocation, name: string, summary: string, effect: OpSpec["effect"] = "write") =>
  op(inv, {
    name,
    effect,
    summary,
    reversibility: "reversible",
    blastRadius: "resource",
    envHints: ["local"],
  });

/** Discarding uncommitted work or history: the working tree itself, so no "local" hint. */
const discard = (
  inv: Invocation,
  name: string,
  summary: string,
  reversibility: OpSpec["reversibility"] = "irreversible",
) => op(inv, { name, effect: "delete", summary, reversibility, blastRadius: "service", tags: ["data-loss"] });

function branchOf(refspec: string): string {
  const dst = refspec.replace(/^\+/, "").split(":").pop() ?? "";
  return dst.replace(/^refs\/heads\//, "");
}

function push(inv: Invocation, args: string[]): void {
  const p = parseArgs(
    args.map((a) => ({ value: a, known: true, ifEmpty: a, glob: false, substitutions: [] })),
    new Set(["--repo", "-o", "--push-option", "--receive-pack", "--exec"]),
  );
  const [remote = "", ...refspecs] = p.operands.map((o) => o.value);
  const force =
    hasAny(p, "-f", "--force", "--force-with-lease", "--force-if-includes") ||
    refspecs.some((r) => r.startsWith("+"));
  const del = hasAny(p, "-d", "--delete") || refspecs.some((r) => r.startsWith(":"));
  const mirror = hasAny(p, "--mirror", "--prune");
  const branches = refspecs.map(branchOf).filter((b) => b !== "");
  const isProtected = branches.some((b) => PROTECTED.test(b)) || (mirror && true);
  const what = branches.join(" ") || (mirror ? "every ref" : "the current branch");
  const hints = [...branches.filter((b) => b !== "HEAD"), ...(isProtected ? ["production"] : [])];
  if (force || del || mirror) {
    const name = del ? "push --delete" : mirror ? "push --mirror" : "push --force";
    if (isProtected) {
      return op(inv, {
        name,
        effect: "delete",
        summary: `${name} to ${remote} ${what}: rewrites or removes a protected branch's history`,
        reversibility: "irreversible",
        blastRadius: "environment",
        targets: branches.map((b) => ({ type: "branch", name: b })),
        tags: ["data-loss"],
        envHints: hints,
      });
    }
    const known = branches.length > 0 && !branches.includes("HEAD");
    return op(inv, {
      name,
      effect: known ? "write" : "delete",
      summary: `${name} to ${remote} ${what}${known ? "" : " (which branch is only known when it runs)"}`,
      reversibility: "recoverable",
      blastRadius: known ? "resource" : "service",
      targets: branches.map((b) => ({ type: "branch", name: b })),
      envHints: known ? [...hints, "local"] : hints,
    });
  }
  op(inv, {
    name: "push",
    effect: "write",
    summary: `push to ${remote || "the default remote"} ${what}`,
    reversibility: "recoverable",
    blastRadius: isProtected ? "service" : "resource",
    targets: branches.map((b) => ({ type: "branch", name: b })),
    envHints: isProtected ? hints : branches.length > 0 ? [...hints, "local"] : [],
  });
}

function subcommand(inv: Invocation, sub: string, args: string[]): void {
  const has = (...f: string[]) =>
    args.some(
      (a) =>
        f.includes(a) ||
        f.some((x) => /^-[a-z]$/.test(x) && /^-[a-zA-Z]+$/.test(a) && a.includes(x[1] as string)),
    );
  if (READS.has(sub)) return op(inv, { name: sub, effect: "read", summary: `${sub} only reads` });
  switch (sub) {
    case "push":
      return push(inv, args);
    case "reset":
      if (has("--hard", "--merge", "--keep"))
        return discard(inv, "reset --hard", "reset --hard discards uncommitted changes");
      return local(inv, "reset", "reset moves the branch; the working tree is kept");
    case "clean":
      if (has("-n", "--dry-run"))
        return op(inv, { name: "clean -n", effect: "read", summary: "clean --dry-run lists files" });
      if (has("-f", "--force")) return discard(inv, "clean -f", "clean -f deletes untracked files for good");
      return local(inv, "clean", "clean without -f does nothing");
    case "checkout":
    case "restore": {
      const paths = args.includes("--")
        ? args.slice(args.indexOf("--") + 1)
        : sub === "restore"
          ? args.filter((a) => !a.startsWith("-"))
          : [];
      if (sub === "restore" && has("--staged") && !has("--worktree", "-W"))
        return local(inv, "restore --staged", "restore --staged unstages");
      if (paths.length > 0 || has("-f", "--force"))
        return discard(inv, `${sub} --`, `${sub} ${paths.join(" ")} discards uncommitted changes`);
      return local(inv, sub, `${sub} ${args.join(" ")}`);
    }
    case "stash":
      if (args[0] === "drop" || args[0] === "clear")
        return discard(inv, `stash ${args[0]}`, `stash ${args[0]} deletes stashed work`, "recoverable");
      if (args[0] === "list" || args[0] === "show")
        return op(inv, { name: "stash list", effect: "read", summary: "stash list only reads" });
      return local(inv, "stash", "stash saves uncommitted work");
    case "branch":
      if (has("-D") || (has("-d", "--delete") && has("-f", "--force")))
        return discard(
          inv,
          "branch -D",
          `branch -D ${args.filter((a) => !a.startsWith("-")).join(" ")} deletes unmerged branches`,
          "recoverable",
        );
      if (args.length === 0 || has("-a", "-r", "-l", "--list", "-v", "-vv", "--show-current"))
        return op(inv, { name: "branch", effect: "read", summary: "branch lists branches" });
      return local(inv, "branch", `branch ${args.join(" ")}`);
    case "reflog":
      if (args[0] === "expire" || args[0] === "delete")
        return discard(inv, `reflog ${args[0]}`, "reflog expire drops the history that undoes mistakes");
      return op(inv, { name: "reflog", effect: "read", summary: "reflog only reads" });
    case "gc":
    case "prune":
      if (args.some((a) => /^--prune=now|^--expire=now/.test(a)) || sub === "prune")
        return discard(inv, `${sub} --prune=now`, `${sub} deletes unreachable commits now`);
      return local(inv, "gc", "gc packs the repository");
    case "filter-branch":
    case "filter-repo":
      return discard(inv, sub, `${sub} rewrites the whole history`);
    case "remote":
      if (args[0] === "remove" || args[0] === "rm")
        return local(inv, "remote remove", "remote remove forgets a remote", "delete");
      return op(inv, {
        name: "remote",
        effect: args.length === 0 || args[0] === "-v" || args[0] === "show" ? "read" : "write",
        summary: `remote ${args.join(" ")}`,
        envHints: ["local"],
      });
    case "tag":
      if (has("-d", "--delete")) return local(inv, "tag -d", "tag -d deletes a local tag", "delete");
      return local(inv, "tag", "tag");
    case "config":
      return op(inv, {
        name: "config",
        effect:
          args.some((a) => a.startsWith("--get") || a === "-l" || a === "--list") || args.length <= 1
            ? "read"
            : "write",
        summary: `config ${args.join(" ")}`,
        envHints: ["local"],
      });
    default:
      return local(inv, sub || "(none)", `${sub} ${args.slice(0, 3).join(" ")}`);
  }
}

function git(inv: Invocation): void {
  let i = 0;
  let state = inv.state;
  for (; i < inv.argv.length; i++) {
    const a = inv.argv[i] ?? "";
    if (!a.startsWith("-")) break;
    if (a === "-C" || a === "--work-tree" || a.startsWith("--work-tree=")) {
      state = forkState(state);
      const dir = a.includes("=") ? a.slice(a.indexOf("=") + 1) : inv.args[i + 1];
      changeDirectory(state, typeof dir === "string" ? dir : dir?.known ? dir.value : null);
    }
    if (GLOBAL_WITH_VALUE.has(a)) i++;
  }
  const sub = inv.argv[i] ?? "";
  subcommand({ ...inv, state }, sub, inv.argv.slice(i + 1));
}

export const GIT: Record<string, Handler> = { git };
