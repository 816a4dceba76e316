import type { Handler } from "./dispatch.js";
import { serviceFamily } from "./service-cli.js";

/** Servers controlled by their own binaries rather than systemctl, and DNS updates. */
export const SERVICE_CONTROL: Record<string, Handler> = serviceFamily(`
nginx -s stop | write recoverable service | outage | stops nginx
nginx -s quit | write recoverable service | outage | stops nginx
nginx -s reload | write recoverable service | | reloads nginx's configuration
nginx -s reopen | write reversible resource | | reopens log files
nginx -t | read reversible none | | tests the configuration
nginx -T | read reversible none | | prints the configuration
nginx -v | read reversible none | | prints the version
nginx -V | read reversible none | | prints the version
nginx | write recoverable service | | starts nginx
haproxy -c | read reversible none | | checks the configuration
haproxy -v | read reversible none | | prints the version
haproxy -vv | read reversible none | | prints the version
haproxy -sf | write recoverable service | | replaces the running haproxy
haproxy -st | write recoverable service | outage | terminates the running haproxy
haproxy | write recoverable service | | starts haproxy
apachectl stop | write recoverable service | outage | stops Apache
apachectl -k stop | write recoverable service | outage | stops Apache
apachectl graceful-stop | write recoverable service | outage | stops Apache
apachectl -k graceful-stop | write recoverable service | outage | stops Apache
apachectl restart | write recoverable service | outage | restarts Apache
apachectl -k restart | write recoverable service | outage | restarts Apache
apachectl graceful | write recoverable service | | reloads Apache
apachectl configtest | read reversible none | | tests the configuration
apachectl -t | read reversible none | | tests the configuration
apachectl status | read reversible none | | reads status
apachectl -S | read reversible none | | prints the virtual hosts
apachectl -M | read reversible none | | lists modules
apachectl -v | read reversible none | | prints the version
apache2ctl stop | write recoverable service | outage | stops Apache
apache2ctl restart | write recoverable service | outage | restarts Apache
apache2ctl graceful | write recoverable service | | reloads Apache
apache2ctl configtest | read reversible none | | tests the configuration
apache2ctl -t | read reversible none | | tests the configuration
apache2ctl -S | read reversible none | | prints the virtual hosts
httpd -k stop | write recoverable service | outage | stops Apache
httpd -t | read reversible none | | tests the configuration
nsupdate | write irreversible environment opaque | | sends DNS updates airlock cannot read (deletions included)
nsupdate -l | write irreversible environment opaque | | sends DNS updates airlock cannot read (deletions included)
rndc stop | write recoverable service | outage | stops the name server
rndc halt | write recoverable service | outage | stops the name server
rndc flush | write recoverable service | | empties the cache
rndc reload | write recoverable service | | reloads zones
rndc status | read reversible none | | reads status
pg_ctl stop | write recoverable service | outage | stops PostgreSQL
pg_ctl restart | write recoverable service | outage | restarts PostgreSQL
pg_ctl promote | write irreversible environment | | promotes the standby to primary
pg_ctl status | read reversible none | | reads status
pg_ctlcluster | write recoverable service | outage | controls a PostgreSQL cluster
pg_dropcluster | delete irreversible host | stateful data-loss | deletes the PostgreSQL cluster and its data
supervisorctl stop | write recoverable service | outage | stops programs
supervisorctl restart | write recoverable service | outage | restarts programs
supervisorctl shutdown | write recoverable service | outage | stops supervisord and every program
supervisorctl status | read reversible none | | reads status
pm2 delete | delete recoverable service | outage | removes processes from pm2
pm2 kill | write recoverable service | outage | stops pm2 and every process
pm2 stop | write recoverable service | outage | stops processes
pm2 list | read reversible none | | lists processes
pm2 logs | read reversible none | | reads logs
pm2 status | read reversible none | | reads status
`);
