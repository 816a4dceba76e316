import type { Handler } from "./dispatch.js";
import { serviceFamily } from "./service-cli.js";

/** Backup, configuration management, CI servers, GitLab's own consoles, messaging and billing. */
export const OPERATIONS_CLIS: Record<string, Handler> = serviceFamily(`
velero backup delete | delete irreversible environment | stateful data-loss | deletes the backup (the last copy)
velero delete backup | delete irreversible environment | stateful data-loss | deletes the backup (the last copy)
velero schedule delete | delete recoverable service | | stops scheduled backups
velero restore create | write irreversible environment | stateful | restores resources over the cluster's
velero uninstall | delete irreversible environment | | removes Velero and its backups' configuration
velero backup create | write reversible resource | | takes a backup
velero backup get | read reversible none | | lists backups
velero backup describe | read reversible none | | reads a backup
ansible-playbook | execute recoverable environment opaque | | runs a playbook airlock cannot read against its inventory
ansible-playbook --check | read reversible none | | shows what the playbook would change
ansible-playbook --syntax-check | read reversible none | | checks syntax
ansible-playbook --list-hosts | read reversible none | | lists hosts
ansible-playbook --list-tasks | read reversible none | | lists tasks
ansible-galaxy | write reversible resource local | | installs roles or collections
ansible-inventory | read reversible none | | reads the inventory
jenkins-cli delete-job | delete irreversible service | data-loss | deletes the job and its history
jenkins-cli delete-builds | delete irreversible resource | data-loss | deletes builds
jenkins-cli delete-node | write irreversible service | outage | removes an agent
jenkins-cli delete-view | delete recoverable resource | | deletes the view
jenkins-cli safe-restart | write recoverable environment | outage | restarts Jenkins
jenkins-cli restart | write recoverable environment | outage | restarts Jenkins
jenkins-cli shutdown | write recoverable environment | outage | stops Jenkins
jenkins-cli groovy | execute irreversible environment opaque | | runs a Groovy script with full access
jenkins-cli groovysh | execute irreversible environment opaque | | runs Groovy with full access
jenkins-cli build | execute recoverable service | | starts a job
jenkins-cli list-jobs | read reversible none | | lists jobs
jenkins-cli get-job | read reversible none | | reads a job
gitlab-rails runner | execute irreversible environment opaque | | runs Ruby against GitLab's database
gitlab-rails console | execute irreversible environment opaque | | opens a console with GitLab's database
gitlab-rails dbconsole | execute irreversible environment opaque | | opens psql on GitLab's database
gitlab-rake gitlab:backup:restore | delete irreversible environment | stateful data-loss | replaces every GitLab record with a backup's
gitlab-rake gitlab:backup:create | read reversible none | | takes a backup
gitlab-rake db:drop | delete irreversible environment | stateful data-loss | drops GitLab's database
gitlab-rake db:reset | delete irreversible environment | stateful data-loss | drops and recreates GitLab's database
gitlab-rake gitlab:setup | delete irreversible environment | stateful data-loss | recreates GitLab's database from nothing
gitlab-rake gitlab:check | read reversible none | | checks the installation
gitlab-rake gitlab:env:info | read reversible none | | reads the installation
gitlab-rake | execute recoverable environment opaque | | runs a GitLab maintenance task
gitlab-ctl stop | write recoverable environment | outage | stops GitLab
gitlab-ctl restart | write recoverable environment | outage | restarts GitLab
gitlab-ctl reconfigure | write recoverable environment | | reconfigures GitLab
gitlab-ctl cleanse | delete irreversible host | stateful data-loss | deletes all GitLab data on the host
gitlab-ctl uninstall | delete irreversible host | outage | removes GitLab's services
gitlab-ctl status | read reversible none | | reads status
gitlab-ctl tail | read reversible none | | reads logs
nats stream rm | delete irreversible service | stateful data-loss | deletes the stream and its messages
nats stream purge | delete irreversible service | data-loss | deletes the stream's messages
nats stream del | delete irreversible service | data-loss | deletes messages
nats consumer rm | delete irreversible resource | | deletes the consumer
nats kv rm | delete irreversible service | stateful data-loss | deletes the bucket
nats kv del | delete irreversible resource | data-loss | deletes the key
nats kv purge | delete irreversible resource | data-loss | deletes the key's history
nats object rm | delete irreversible service | stateful data-loss | deletes the store
nats stream ls | read reversible none | | lists streams
nats stream info | read reversible none | | reads a stream
nats sub | read reversible none | | reads messages
nats pub | write recoverable resource | | publishes a message
stripe customers delete | delete irreversible resource | data-loss | deletes the customer
stripe products delete | delete irreversible resource | | deletes the product
stripe subscriptions cancel | write irreversible resource | | cancels the subscription
stripe refunds create | write irreversible resource | | refunds money
stripe payouts create | write irreversible resource | | pays money out
stripe charges capture | write irreversible resource | | captures a charge
stripe delete | delete irreversible resource | | sends a DELETE to the Stripe API
stripe post | write recoverable resource | | sends a POST to the Stripe API
stripe get | read reversible none | | reads
stripe listen | read reversible none local | | forwards events to this machine
stripe trigger | write recoverable resource | | sends test events
stripe logs | read reversible none | | reads logs
`);
