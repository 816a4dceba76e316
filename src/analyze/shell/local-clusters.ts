import type { Handler } from "./dispatch.js";
import { serviceFamily } from "./service-cli.js";

/**
 * Clusters and VMs that live on this machine: deleting them is ordinary development work. Where
 * such a tool can also reach a hosted project (`supabase … --linked`), the remote form is named.
 */
export const LOCAL_CLUSTERS: Record<string, Handler> = serviceFamily(
  `
minikube delete | delete recoverable service local | | deletes the local cluster
minikube stop | write recoverable service local | | stops the local cluster
kind delete | delete recoverable service local | | deletes the local kind cluster
k3d cluster delete | delete recoverable service local | | deletes the local k3d cluster
k3d cluster stop | write recoverable service local | | stops the local k3d cluster
colima delete | delete recoverable service local | | deletes the local VM
colima stop | write recoverable service local | | stops the local VM
limactl delete | delete recoverable service local | | deletes the local VM
limactl stop | write recoverable service local | | stops the local VM
multipass delete | delete recoverable service local | | deletes the local VM
multipass stop | write recoverable service local | | stops the local VM
vagrant destroy | delete recoverable service local | | destroys the local VM
vagrant halt | write recoverable service local | | stops the local VM
podman machine rm | delete recoverable service local | | deletes the local VM
podman machine stop | write recoverable service local | | stops the local VM
supabase stop | write recoverable service local | | stops the local stack
supabase db reset | delete recoverable service local | | resets the local database
supabase db reset --linked | delete irreversible environment | stateful data-loss | resets the hosted project's database
supabase db push | write irreversible environment | stateful | applies migrations to the hosted project
supabase projects delete | delete irreversible environment | stateful data-loss | deletes the hosted project
supabase start | execute recoverable service local | | starts the local stack
supabase status | read reversible none | | reads status
`,
  { local: true },
);
