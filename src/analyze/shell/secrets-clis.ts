import type { Handler } from "./dispatch.js";
import { serviceFamily } from "./service-cli.js";

/** Secret stores: deleting or disabling a secret breaks what reads it; reading one is a credential. */
export const SECRETS_CLIS: Record<string, Handler> = serviceFamily(`
vault secrets disable | delete irreversible environment | stateful data-loss | unmounts the engine and deletes every secret in it
vault secrets move | write recoverable service | outage | moves the engine: readers of the old path fail
vault auth disable | privilege irreversible environment | outage | disables the auth method: its tokens are revoked
vault kv delete | delete recoverable resource | | deletes the latest version of the secret
vault kv destroy | delete irreversible resource | data-loss | destroys secret versions for good
vault kv metadata delete | delete irreversible resource | data-loss | deletes every version of the secret
vault delete | delete irreversible resource | data-loss | deletes the path
vault token revoke | privilege irreversible service | outage | revokes the token and its children
vault lease revoke | privilege irreversible service | outage | revokes leases: their credentials stop working
vault operator seal | write recoverable environment | outage | seals Vault: every client fails until unsealed
vault operator raft remove-peer | write irreversible environment | outage | removes a node from the cluster
vault policy delete | privilege irreversible service | outage | deletes the policy
vault policy write | privilege reversible service | | changes who may read what
vault write | write recoverable resource | | writes the path
vault kv put | write recoverable resource | | writes a secret version
vault read | read reversible none | credential-read | reads a secret
vault kv get | read reversible none | credential-read | reads a secret
vault login | write reversible resource local | | signs in on this machine
vault status | read reversible none | | reads status
op item delete | delete irreversible resource | data-loss | deletes the item
op vault delete | delete irreversible environment | data-loss | deletes the vault and its items
op document delete | delete irreversible resource | data-loss | deletes the document
op user delete | privilege irreversible service | | removes the user
op item get | read reversible none | credential-read | reads a secret
op read | read reversible none | credential-read | reads a secret
op signin | write reversible resource local | | signs in on this machine
doppler secrets delete | delete irreversible resource | data-loss | deletes the secrets
doppler projects delete | delete irreversible environment | data-loss | deletes the project and its secrets
doppler environments delete | delete irreversible environment | data-loss | deletes the environment and its secrets
doppler configs delete | delete irreversible service | data-loss | deletes the config and its secrets
doppler secrets set | write recoverable resource | | changes secrets
doppler secrets get | read reversible none | credential-read | reads secrets
doppler secrets download | read reversible none | credential-read | downloads secrets
doppler run | execute recoverable service local | | runs a command with the secrets in its environment
doppler login | write reversible resource local | | signs in on this machine
`);
