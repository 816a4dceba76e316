/** `gh`: the table of what each verb does is gh-table.ts; `gh api` requests go to the HTTP analyzer (gh-api.ts). */
import { optionValue, parseArgs, withStdin } from "./args.js";
import { emit, type Invocation } from "./context.js";
import type { Handler } from "./dispatch.js";
import { ghApi } from "./gh-api.js";
import { lineFor } from "./gh-table.js";
import { environmentWords, verdictOf } from "./leading-words.js";
import { literalWord } from "./words.js";

/** gh's reading verbs, whatever area they follow (`gh run list`: `run` is an area here, not a verb). */
const READ_VERBS = new Set(
  "list view status diff checks search browse watch download clone ls show get".split(" "),
);

const VALUE_OPTIONS = new Set(
  `-R --repo -X --method -b --body -t --title -F -f --field --raw-field -H --header -B --base -l --label
  -m --message -a --assignee --jq -q --template --body-file --json --hostname --input -s --scopes
  --visibility --default-branch -e --env -o --org --owner -c --codespace -u --user -w --workflow -r --ref
  --cache-control -p --preview`.split(/\s+/),
);

/** Options whose value is prose (a body, a title, a query), never a name that tells an environment. */
const TEXT_OPTIONS = new Set(
  "-b --body -t --title -m --message --body-file --notes -n --notes-file --subject -q --jq --template -d --description".split(
    " ",
  ),
);

/** The words that may name where gh acts: without the prose of bodies, titles and messages. */
function namesOnly(argv: string[]): string[] {
  return argv.filter(
    (a, i) => !TEXT_OPTIONS.has(argv[i - 1] ?? "") && !TEXT_OPTIONS.has(a.split("=", 1)[0] ?? ""),
  );
}

/** gh's own commands; any other first word is an alias or an extension. */
const AREAS = new Set(
  `alias api attestation auth browse cache co codespace completion config extension gist gpg-key issue
  label org pr preview project release repo ruleset run search secret ssh-key status variable workflow
  help version copilot agent-task`.split(/\s+/),
);

/**
 * `gh alias set NAME EXPANSION` remembers the expansion for the rest of the line (`gh rd x` is then
 * `gh repo delete x`); a `--shell` alias (or one starting with `!`) runs its text in sh whenever it is
 * used, so the text is judged now.
 */
function aliasSet(inv: Invocation): void {
  const rest = inv.argv.slice(inv.argv.indexOf("set") + 1);
  const shell = rest.includes("--shell") || rest.includes("-s");
  const [name = "", expansion = ""] = rest.filter((a) => !a.startsWith("-"));
  if (shell || expansion.startsWith("!")) inv.reparse(expansion.replace(/^!/, ""));
  else if (name) inv.state.aliases.set(`gh ${name}`, expansion);
  emit(inv, {
    name: "gh alias set",
    effect: "write",
    summary: `gh alias set ${name}: defines a gh alias`,
    reversibility: "reversible",
    blastRadius: "resource",
    envHints: ["local"],
  });
}

function gh(inv: Invocation): void {
  const p = parseArgs(inv.args, VALUE_OPTIONS);
  const words = p.operands.map((o) => o.value);
  const [area = "", verb = "", third = ""] = words;
  if (area === "alias" && verb === "set") {
    aliasSet(inv);
    return;
  }
  const expansion = AREAS.has(area) ? undefined : inv.state.aliases.get(`gh ${area}`);
  if (expansion !== undefined) {
    const at = inv.args.findIndex((a) => a.value === area);
    const expanded = expansion.split(/\s+/).filter(Boolean).map(literalWord);
    // Not expanded again inside its own expansion (`gh alias set rd 'rd x'`).
    inv.state.aliases.delete(`gh ${area}`);
    inv.dispatch([literalWord("gh"), ...inv.args.slice(0, at), ...expanded, ...inv.args.slice(at + 1)]);
    inv.state.aliases.set(`gh ${area}`, expansion);
    return;
  }
  const repo =
    optionValue(p, "-R", "--repo") ??
    (area === "repo" ? third || undefined : undefined) ??
    inv.env.get("GH_REPO");
  const hints = [...(repo ? [repo] : []), ...environmentWords({ argv: namesOnly(inv.argv), env: inv.env })];
  if (area === "codespace" && verb === "ssh" && inv.argv.includes("--")) {
    // `gh codespace ssh -c NAME -- CMD`: CMD runs in the codespace, as `ssh host CMD` runs on host.
    const command = inv.args.slice(inv.argv.indexOf("--") + 1);
    const where = optionValue(p, "-c", "--codespace") ?? "codespace";
    inv.reparse(withStdin(command.map((w) => w.value).join(" "), inv.stdin), {
      depth: inv.scope.depth + 1,
      remote: [where],
    });
    return;
  }
  if (area === "api") {
    ghApi(inv, p, verb, hints);
    return;
  }
  const verdict = READ_VERBS.has(verb) ? "read" : verdictOf(inv.argv);
  const found = verdict === "help" ? undefined : lineFor(area, [verb, `${verb} ${third}`.trim()], inv.argv);
  const name = found
    ? `gh ${found.area} ${found.verb}${found.flag ? ` ${found.flag.split("=")[0]}` : ""}`
    : `gh ${area} ${verb}`.trim();
  const target = found?.verb.includes(" ") ? (words[3] ?? "") : third;
  if (found) {
    emit(inv, {
      name,
      effect: found.effect,
      summary: `${name} ${target}: ${found.what}`.replace(/ {2,}/g, " "),
      reversibility: found.reversibility,
      blastRadius: found.blastRadius,
      tags: found.tags,
      targets: target ? [{ type: area, name: target }] : [],
      envHints: [...hints, ...(found.local ? ["local"] : [])],
    });
    return;
  }
  if (
    verdict === "help" ||
    verdict === "read" ||
    area === "search" ||
    area === "browse" ||
    area === "status"
  ) {
    emit(inv, { name, effect: "read", summary: `${name} only reads`, envHints: hints });
    return;
  }
  const destructive = verdict === "destructive";
  emit(inv, {
    name,
    effect: destructive ? "delete" : "write",
    summary: destructive
      ? `${name} ${target}: deletes something on GitHub airlock has no rule for`
      : `${name} ${target}: changes something on GitHub`,
    reversibility: destructive ? "irreversible" : "reversible",
    blastRadius: "resource",
    envHints: hints,
  });
}

export const GH: Record<string, Handler> = { gh };
