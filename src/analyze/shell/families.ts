import { AGENTS } from "./agents.js";
import { APPLY_PATCH } from "./apply-patch.js";
import { AWS_CLI } from "./aws-cli.js";
import { AZ } from "./az.js";
import { BASIC } from "./basic.js";
import { CDK } from "./cdk.js";
import { CMD } from "./cmd.js";
import { CODE_HOSTS } from "./code-hosts.js";
import { CQL } from "./cql.js";
import { DATA_CLIS } from "./data-clis.js";
import { DATABASE } from "./database.js";
import { DEFERRED } from "./deferred.js";
import type { Handler } from "./dispatch.js";
import { DOCKER } from "./docker.js";
import { FIND } from "./find.js";
import { FILESYSTEM } from "./fs-commands.js";
import { GCLOUD } from "./gcloud.js";
import { GH } from "./gh.js";
import { GIT } from "./git.js";
import { HELM } from "./helm.js";
import { HOST_STORAGE } from "./host-storage.js";
import { HTTP_CLIENTS } from "./http-clients.js";
import { INTERPRETERS } from "./interpreters.js";
import { KUBECTL } from "./kubectl.js";
import { LOCAL_CLUSTERS } from "./local-clusters.js";
import { MIGRATIONS } from "./migrations.js";
import { OPERATIONS_CLIS } from "./operations-clis.js";
import { PAAS_CLIS } from "./paas-clis.js";
import { PACKAGES } from "./packages.js";
import { PUBLISHING } from "./publishing.js";
import { PULUMI } from "./pulumi.js";
import { RUNNERS } from "./runners.js";
import { SECRETS_CLIS } from "./secrets-clis.js";
import { SERVICE_CONTROL } from "./service-control.js";
import { SHELLS } from "./shells.js";
import { SSH } from "./ssh.js";
import { STORAGE_CLIS } from "./storage-clis.js";
import { SYSTEM } from "./system.js";
import { TERRAFORM } from "./terraform.js";
import { TRANSFERS } from "./transfers.js";
import { WRAPPERS } from "./unwrap.js";
import { WINDOWS } from "./windows.js";
import { XARGS } from "./xargs.js";

/** Every program the shell analyzer has rules for, by name. Later families override earlier ones. */
export const FAMILIES = new Map<string, Handler>(
  Object.entries({
    ...BASIC,
    // Service CLIs known from tables; the hand-written families below override them.
    ...STORAGE_CLIS,
    ...SECRETS_CLIS,
    ...CODE_HOSTS,
    ...PAAS_CLIS,
    ...DATA_CLIS,
    ...CQL,
    ...OPERATIONS_CLIS,
    ...HOST_STORAGE,
    ...SERVICE_CONTROL,
    ...PUBLISHING,
    ...LOCAL_CLUSTERS,
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
    ...DEFERRED,
    ...APPLY_PATCH,
    ...RUNNERS,
    ...TRANSFERS,
  }),
);
