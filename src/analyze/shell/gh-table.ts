import { parseShape, type RuleShape } from "./service-cli.js";

/**
 * GitHub's CLI: `gh AREA VERB [target]`. What each verb does, as data (`area verb [--flag] | effect
 * reversibility radius [local] | tags | what`); a line with a flag applies only when the flag is
 * given and wins over the line without it. `gh api` is an HTTP request to the GitHub API and goes to
 * the HTTP analyzer, which knows GitHub's endpoints and GraphQL mutations. A verb no line names is
 * judged by its word: a reading verb reads, anything else writes something on GitHub.
 */
const TABLE = `
repo delete | delete irreversible environment | stateful data-loss | deletes the repository with its issues, pull requests, wiki and releases
repo archive | write recoverable service | outage | archives the repository: read-only for everyone, pushes and CI stop
repo unarchive | write reversible service | | unarchives the repository
repo rename | write recoverable service | outage | renames the repository: remotes, CI and links that name it break
repo edit | write reversible resource | | changes the repository's settings
repo edit --visibility | privilege recoverable service | public | changes who can see the repository (private loses stars and watchers)
repo edit --visibility=public | privilege irreversible service | public | makes the repository public: its code and history are out for good
repo edit --default-branch | write recoverable service | | changes the default branch pull requests and CI target
repo sync --force | delete irreversible resource | data-loss | hard-resets the destination branch to the source: commits only it had are lost
repo sync | write reversible resource local | | syncs a branch from its upstream
repo create | write reversible resource | | creates a repository
repo fork | write reversible resource | | forks the repository
repo set-default | write reversible resource local | | sets the default repository of this checkout
repo deploy-key delete | privilege recoverable service | outage | deletes a deploy key: what deploys with it stops
repo deploy-key add | privilege reversible service | | adds a deploy key with access to the repository
repo autolink delete | delete recoverable resource | | deletes an autolink reference
release delete | delete irreversible resource | data-loss | deletes the release and its uploaded assets
release delete --cleanup-tag | delete irreversible resource | data-loss | deletes the release, its assets and its tag
release delete-asset | delete irreversible resource | data-loss | deletes an uploaded release asset
release create | write recoverable resource | | publishes a release
release upload --clobber | delete irreversible resource | data-loss | replaces release assets of the same name
secret set | privilege reversible service | | sets a secret Actions, Dependabot or Codespaces use
secret delete | delete irreversible resource | outage | deletes a secret: workflows that need it fail, its value is gone
secret remove | delete irreversible resource | outage | deletes a secret: workflows that need it fail, its value is gone
variable set | privilege reversible service | | changes a variable workflows read (deploy targets, feature switches)
variable delete | delete irreversible resource | outage | deletes a variable workflows read
variable remove | delete irreversible resource | outage | deletes a variable workflows read
workflow disable | write recoverable service | outage | disables the workflow: its schedules and triggers stop
workflow enable | write reversible resource | | enables the workflow
workflow run | execute recoverable service | | starts the workflow, with whatever it deploys or deletes
run delete | delete irreversible resource | | deletes the workflow run and its logs
run cancel | write reversible resource | | cancels a workflow run
run rerun | write reversible resource | | re-runs a workflow run
cache delete | delete recoverable resource | | deletes Actions caches (rebuilt on the next run)
cache delete --all | delete recoverable service | bulk | deletes every Actions cache of the repository
pr merge | write recoverable service | | merges the pull request into its base branch
pr merge --admin | privilege recoverable environment | security-disable | merges past branch protection and required reviews
pr close | write reversible resource | | closes the pull request
pr close --delete-branch | delete recoverable resource | | closes the pull request and deletes its branch
pr create | write reversible resource local | | opens a pull request
pr checkout | write reversible resource local | | checks the pull request out in this checkout
pr review | write reversible resource local | | reviews the pull request
pr comment | write reversible resource local | | comments on the pull request
pr edit | write reversible resource local | | edits the pull request
pr ready | write reversible resource local | | marks the pull request ready
issue delete | delete irreversible resource | data-loss | deletes the issue and its comments
issue transfer | write recoverable resource | | moves the issue to another repository
issue create | write reversible resource local | | opens an issue
issue comment | write reversible resource local | | comments on an issue
issue edit | write reversible resource local | | edits an issue
issue close | write reversible resource local | | closes an issue
label delete | delete recoverable resource | | deletes the label from every issue and pull request
gist delete | delete irreversible resource | data-loss | deletes the gist and its history
codespace delete | delete recoverable resource | | deletes a codespace (work not pushed is lost)
codespace delete --all | delete irreversible service | bulk data-loss | deletes every codespace, with the work not pushed in them
codespace stop | write reversible resource | | stops a codespace
project delete | delete irreversible service | data-loss | deletes the project and its items' fields
project close | write reversible resource | | closes the project
ssh-key delete | privilege recoverable service | | deletes an SSH key of the account
ssh-key add | privilege reversible service | | adds an SSH key to the account
gpg-key delete | privilege recoverable service | | deletes a GPG key of the account
gpg-key add | privilege reversible service | | adds a GPG key to the account
auth token | read reversible none | secret-read | prints the GitHub token
auth refresh | write reversible resource local | | refreshes the stored token
auth refresh --scopes | privilege reversible service | | widens or narrows what the stored token may do
auth refresh -s | privilege reversible service | | widens or narrows what the stored token may do
auth login | write reversible resource local | | signs in on this machine
auth logout | write reversible resource local | | signs out on this machine
auth switch | write reversible resource local | | switches the active account on this machine
auth setup-git | write reversible resource local | | makes git use gh's credentials
auth status | read reversible none | | shows the signed-in accounts
org list | read reversible none | | lists organisations
ruleset list | read reversible none | | lists rulesets
ruleset view | read reversible none | | shows a ruleset
ruleset check | read reversible none | | shows the rules that apply to a branch
extension install | write reversible resource local | | installs a gh extension
extension remove | write reversible resource local | | removes a gh extension
alias set | write reversible resource local | | defines a gh alias
config set | write reversible resource local | | changes gh's configuration
`;

export interface Line extends RuleShape {
  area: string;
  verb: string;
  flag?: string;
}

const LINES: Line[] = TABLE.trim()
  .split("\n")
  .map((row) => {
    const [path = "", shape = "", tags = "", what = ""] = row.split("|").map((s) => s.trim());
    const [area = "", verb = "", ...more] = path.split(/\s+/);
    const flag = more.find((w) => w.startsWith("-"));
    // `repo deploy-key delete`: a third word is part of the verb.
    const third = more.filter((w) => !w.startsWith("-")).join(" ");
    return {
      area,
      verb: third ? `${verb} ${third}` : verb,
      ...(flag ? { flag } : {}),
      ...parseShape(shape, tags, what),
    };
  });

/** The flag a line names is given, as `--flag`, `--flag=value` or (`--visibility=public`) with that value. */
function flagGiven(argv: string[], flag: string): boolean {
  const [name = "", value] = flag.split("=");
  return argv.some((a, i) => {
    if (value === undefined) return a === name || a.startsWith(`${name}=`);
    return a === `${name}=${value}` || (a === name && argv[i + 1]?.toLowerCase() === value);
  });
}

export function lineFor(area: string, verbs: string[], argv: string[]): Line | undefined {
  let best: Line | undefined;
  for (const l of LINES) {
    if (l.area !== area || !verbs.includes(l.verb)) continue;
    if (l.flag && !flagGiven(argv, l.flag)) continue;
    const rank = (x: Line) => x.verb.length + (x.flag ? 100 + x.flag.length : 0);
    if (!best || rank(l) > rank(best)) best = l;
  }
  return best;
}
