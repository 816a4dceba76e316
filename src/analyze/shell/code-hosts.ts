import type { Handler } from "./dispatch.js";
import { serviceFamily } from "./service-cli.js";

/** GitLab's CLI (gh has its own handler): deleting a project, its branches, releases or variables. */
export const CODE_HOSTS: Record<string, Handler> = serviceFamily(`
glab repo delete | delete irreversible environment | stateful data-loss | deletes the project, its issues, merge requests and wiki
glab repo archive | write recoverable service | | archives the project
glab repo transfer | privilege recoverable environment | | transfers the project to another owner
glab release delete | delete irreversible resource | | deletes the release
glab variable delete | delete irreversible resource | outage | deletes a CI/CD variable pipelines need
glab variable set | privilege reversible service | | changes a CI/CD variable
glab variable get | read reversible none | credential-read | reads a CI/CD variable
glab ci delete | delete irreversible resource | | deletes the pipeline
glab schedule delete | delete recoverable resource | | deletes the schedule
glab label delete | delete recoverable resource | | deletes the label
glab deploy-key delete | privilege recoverable service | outage | deletes a deploy key
glab ssh-key delete | privilege recoverable service | | deletes an SSH key
glab mr merge | write recoverable service | | merges the merge request
glab mr close | write reversible resource | | closes the merge request
glab issue delete | delete irreversible resource | data-loss | deletes the issue
glab api -X DELETE | delete irreversible service | | sends a DELETE to the GitLab API
glab api --method DELETE | delete irreversible service | | sends a DELETE to the GitLab API
glab mr list | read reversible none | | lists merge requests
glab mr view | read reversible none | | reads a merge request
glab mr create | write reversible resource local | | opens a merge request
glab issue create | write reversible resource local | | opens an issue
glab auth | write reversible resource local | | signs in on this machine
`);
