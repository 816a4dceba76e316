import { AGENTS } from "./agents.js";
import { AWS_CLI } from "./aws-cli.js";
import { AZ } from "./az.js";
import { BASIC } from "./basic.js";
import { CDK } from "./cdk.js";
import { CMD } from "./cmd.js";
import { DATABASE } from "./database.js";
import type { Handler } from "./dispatch.js";
import { DOCKER } from "./docker.js";
import { FIND } from "./find.js";
import { FILESYSTEM } from "./fs-commands.js";
import { GCLOUD } from "./gcloud.js";
import { GH } from "./gh.js";
import { GIT } from "./git.js";
import { HELM } from "./helm.js";
import { HTTP_CLIENTS } from "./http-clients.js";
import { INTERPRETERS } from "./interpreters.js";
import { KUBECTL } from "./kubectl.js";
import { MIGRATIONS } from "./migrations.js";
import { PACKAGES } from "./packages.js";
import { PULUMI } from "./pulumi.js";
import { SHELLS } from "./shells.js";
import { SSH } from "./ssh.js";
import { SYSTEM } from "./system.js";
import { TERRAFORM } from "./terraform.js";
import { WRAPPERS } from "./unwrap.js";
import { WINDOWS } from "./windows.js";
import { XARGS } from "./xargs.js";

/** Every program the shell analyzer has rules for, by name. Later families override earlier ones. */
export const FAMILIES = new Map<string, Handler>(
  Object.entries({
    ...BASIC,
    ...FILESYSTEM,
    ...FIND,
    ...WRAPPERS,
    ...SHELLS,
    ...XARGS,
    ...SSH,
    ...GIT,
    ...AWS_CLI,
    ...KUBECTL,
    ...TERRAFORM,
    ...PULUMI,
    ...CDK,
    ...HELM,
    ...GCLOUD,
    ...AZ,
    ...DATABASE,
    ...MIGRATIONS,
    ...DOCKER,
    ...GH,
    ...HTTP_CLIENTS,
    ...SYSTEM,
    ...WINDOWS,
    ...CMD,
    ...PACKAGES,
    ...INTERPRETERS,
    ...AGENTS,
  }),
);
