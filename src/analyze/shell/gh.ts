import { optionValue, parseArgs } from "./args.js";
import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";

function gh(inv: Invocation): void {
  const p = parseArgs(
    inv.args,
    new Set([
      "-R",
      "--repo",
      "-X",
      "--method",
      "-b",
      "--body",
      "-t",
      "--title",
      "-F",
      "-f",
      "--field",
      "--raw-field",
      "-H",
      "--header",
      "-B",
      "--base",
      "-l",
      "--label",
      "-m",
      "--message",
      "-a",
      "--assignee",
      "--jq",
      "-q",
      "--template",
      "--body-file",
      "--json",
    ]),
  );
  const [area = "", verb = "", target = ""] = p.operands.map((o) => o.value);
  const repo = optionValue(p, "-R", "--repo") ?? (area === "repo" ? target : undefined);
  const hints = repo ? [repo] : [];
  const name = `gh ${area} ${verb}`.trim();
  if (area === "api") {
    const method = (
      optionValue(p, "-X", "--method") ??
      (p.flags.has("-f") || p.flags.has("-F") || p.flags.has("--field") ? "POST" : "GET")
    ).toUpperCase();
    const del = method === "DELETE";
    emit(inv, {
      name: `gh api ${method}`,
      effect: method === "GET" ? "read" : del ? "delete" : "write",
      summary: `gh api ${method} ${verb}`,
      reversibility: del ? "irreversible" : "recoverable",
      blastRadius: del && /^\/?repos\/[^/]+\/[^/]+\/?$/.test(verb) ? "environment" : "resource",
      targets: [{ type: "endpoint", name: verb }],
      envHints: hints,
    });
    return;
  }
  if (verb === "delete") {
    const repoDelete = area === "repo";
    emit(inv, {
      name,
      effect: "delete",
      summary: `${name} ${target}${repoDelete ? ": the repository, its issues, pull requests and wiki (irreversible)" : ""}`,
      reversibility: repoDelete ? "irreversible" : "recoverable",
      blastRadius: repoDelete ? "environment" : "resource",
      targets: [{ type: area, name: target }],
      tags: repoDelete ? ["stateful", "data-loss"] : [],
      envHints: hints,
    });
    return;
  }
  if (
    ["list", "view", "status", "diff", "checks", "search", "browse", "watch", "download", "clone"].includes(
      verb,
    ) ||
    area === "auth" ||
    area === "search" ||
    area === "browse" ||
    area === "status"
  ) {
    emit(inv, { name, effect: "read", summary: `${name} only reads`, envHints: hints });
    return;
  }
  if (
    area === "secret" ||
    area === "ssh-key" ||
    area === "gpg-key" ||
    (area === "repo" && verb === "edit" && p.flags.has("--visibility"))
  ) {
    emit(inv, {
      name,
      effect: "privilege",
      summary: `${name}: changes credentials or access`,
      reversibility: "recoverable",
      blastRadius: "service",
      envHints: hints,
    });
    return;
  }
  const local = ["issue", "pr"].includes(area) && verb !== "merge" ? ["local"] : [];
  emit(inv, {
    name,
    effect: verb === "run" ? "execute" : "write",
    summary: `${name} ${target}`,
    reversibility: verb === "merge" || area === "release" ? "recoverable" : "reversible",
    blastRadius: verb === "merge" ? "service" : "resource",
    envHints: [...hints, ...local],
  });
}

export const GH: Record<string, Handler> = { gh };
