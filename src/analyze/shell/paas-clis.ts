import type { Handler } from "./dispatch.js";
import { serviceFamily } from "./service-cli.js";

/**
 * Edge and PaaS CLIs. Elastic Beanstalk's rebuild and terminate delete every resource of the
 * environment, and a database coupled to it: the December 2025 incident's own shape.
 */
export const PAAS_CLIS: Record<string, Handler> = serviceFamily(`
eb terminate | delete irreversible environment | stateful data-loss delete-then-recreate | terminates the environment: every resource in it, and a coupled database
eb rebuild | delete irreversible environment | stateful data-loss delete-then-recreate | deletes and recreates every resource of the environment, and a coupled database
eb restore | write recoverable environment | | restores a terminated environment
eb deploy | write recoverable service | | deploys a new version
eb scale | write recoverable service | | changes the instance count
eb swap | write recoverable environment | outage | swaps the environments' URLs
eb setenv | write recoverable service | | changes environment variables and restarts the app
eb ssh | execute recoverable service opaque | | opens a shell on an instance
eb init | write reversible resource local | | configures the checkout
eb status | read reversible none | | reads status
eb logs | read reversible none | | reads logs
eb health | read reversible none | | reads health
eb list | read reversible none | | lists environments
eb printenv | read reversible none | credential-read | reads environment variables
sam delete | delete irreversible environment | stateful data-loss | deletes the stack and every resource it made
sam deploy | write recoverable environment | | deploys the stack: may replace resources
sam sync | write recoverable environment | | syncs the stack: may replace resources
sam local | execute recoverable service local | | runs functions on this machine
sam build | execute recoverable service local | | builds on this machine
sam validate | read reversible none | | validates the template
sam logs | read reversible none | | reads logs
eksctl delete cluster | delete irreversible environment | stateful data-loss | deletes the EKS cluster, its node groups and workloads
eksctl delete nodegroup | delete irreversible service | outage | deletes the node group and evicts its pods
eksctl delete | delete irreversible service | | deletes it
eksctl drain nodegroup | write recoverable service | outage | evicts every pod of the node group
eksctl scale nodegroup | write recoverable service | | changes the node count
eksctl upgrade cluster | write irreversible environment | | upgrades the control plane (no downgrade)
eksctl create | write recoverable service | | creates it
eksctl get | read reversible none | | reads
eksctl utils write-kubeconfig | write reversible resource local | | writes the local kubeconfig
copilot app delete | delete irreversible account | stateful data-loss | deletes the application and every environment and service in it
copilot env delete | delete irreversible environment | stateful data-loss | deletes the environment and its resources
copilot svc delete | delete irreversible service | outage | deletes the service
copilot job delete | delete irreversible service | | deletes the job
copilot storage delete | delete irreversible environment | stateful data-loss | deletes the storage and its data
copilot svc deploy | write recoverable service | | deploys the service
copilot env deploy | write recoverable environment | | deploys the environment
copilot svc exec | execute recoverable service opaque | | runs a command in a task
copilot svc ls | read reversible none | | lists services
copilot svc show | read reversible none | | reads a service
serverless remove | delete irreversible environment | stateful data-loss | deletes the stage's stack and every resource in it
sls remove | delete irreversible environment | stateful data-loss | deletes the stage's stack and every resource in it
serverless deploy | write recoverable environment | | deploys the stage
sls deploy | write recoverable environment | | deploys the stage
serverless offline | execute recoverable service local | | runs the service on this machine
sls offline | execute recoverable service local | | runs the service on this machine
serverless invoke local | execute recoverable service local | | runs a function on this machine
sls invoke local | execute recoverable service local | | runs a function on this machine
serverless info | read reversible none | | reads
serverless logs | read reversible none | | reads logs
wrangler delete | delete irreversible service | outage | deletes the Worker
wrangler d1 delete | delete irreversible environment | stateful data-loss | deletes the D1 database
wrangler d1 execute | execute irreversible environment opaque | | runs SQL against the D1 database
wrangler r2 bucket delete | delete irreversible environment | stateful data-loss | deletes the R2 bucket
wrangler r2 object delete | delete irreversible resource | data-loss | deletes the object
wrangler kv namespace delete | delete irreversible environment | stateful data-loss | deletes the KV namespace
wrangler kv:namespace delete | delete irreversible environment | stateful data-loss | deletes the KV namespace
wrangler kv key delete | delete irreversible resource | data-loss | deletes the key
wrangler kv bulk delete | delete irreversible service | data-loss bulk | deletes the keys
wrangler queues delete | delete irreversible service | data-loss | deletes the queue
wrangler secret delete | delete irreversible resource | outage | deletes the secret the Worker reads
wrangler secret put | privilege reversible resource | | sets a secret
wrangler deploy | write recoverable service | | deploys the Worker
wrangler publish | write recoverable service | | deploys the Worker
wrangler rollback | write recoverable service | | rolls the Worker back
wrangler dev | execute recoverable service local | | runs the Worker on this machine
wrangler tail | read reversible none | | reads logs
wrangler whoami | read reversible none | | reads the account
wrangler login | write reversible resource local | | signs in on this machine
fastly service delete | delete irreversible environment | outage | deletes the service
fastly purge --all | write recoverable environment | outage | purges the whole cache: every request goes to origin
fastly purge | write recoverable service | | purges cached content
fastly backend delete | delete irreversible service | outage | deletes the backend
fastly domain delete | delete irreversible service | outage | deletes the domain
fastly service-version activate | write recoverable environment | | activates a configuration version
fastly compute publish | write recoverable service | | deploys the service
flyctl apps destroy | delete irreversible environment | stateful data-loss | destroys the app, its machines and volumes
flyctl destroy | delete irreversible environment | stateful data-loss | destroys the app, its machines and volumes
flyctl volumes destroy | delete irreversible resource | stateful data-loss | destroys the volume and its data
flyctl volumes delete | delete irreversible resource | stateful data-loss | destroys the volume and its data
flyctl postgres destroy | delete irreversible environment | stateful data-loss | destroys the Postgres cluster
flyctl machine destroy | delete irreversible resource | | destroys the machine
flyctl secrets unset | delete irreversible resource | outage | removes secrets the app reads
flyctl scale count | write recoverable service | | changes the machine count
flyctl ssh console | execute recoverable service opaque | | opens a shell on a machine
flyctl deploy | write recoverable service | | deploys the app
flyctl status | read reversible none | | reads status
flyctl logs | read reversible none | | reads logs
fly apps destroy | delete irreversible environment | stateful data-loss | destroys the app, its machines and volumes
fly destroy | delete irreversible environment | stateful data-loss | destroys the app, its machines and volumes
fly volumes destroy | delete irreversible resource | stateful data-loss | destroys the volume and its data
fly postgres destroy | delete irreversible environment | stateful data-loss | destroys the Postgres cluster
fly machine destroy | delete irreversible resource | | destroys the machine
fly secrets unset | delete irreversible resource | outage | removes secrets the app reads
fly ssh console | execute recoverable service opaque | | opens a shell on a machine
fly deploy | write recoverable service | | deploys the app
fly status | read reversible none | | reads status
fly logs | read reversible none | | reads logs
heroku apps:destroy | delete irreversible environment | stateful data-loss | destroys the app and its add-ons' data
heroku destroy | delete irreversible environment | stateful data-loss | destroys the app and its add-ons' data
heroku pg:reset | delete irreversible environment | stateful data-loss | deletes every table of the database
heroku pg:backups:restore | delete irreversible environment | stateful data-loss | overwrites the database with a backup
heroku pg:backups:delete | delete irreversible resource | data-loss | deletes a backup
heroku pg:psql | execute irreversible environment opaque | | opens psql on the database
heroku addons:destroy | delete irreversible environment | stateful data-loss | destroys the add-on and its data
heroku addons:detach | write recoverable service | outage | detaches the add-on
heroku config:unset | delete recoverable service | outage | removes config vars and restarts the app
heroku config:set | write recoverable service | | changes config vars and restarts the app
heroku ps:scale | write recoverable service | | changes the dyno count
heroku ps:stop | write recoverable service | outage | stops dynos
heroku maintenance:on | write recoverable environment | outage | puts the app in maintenance
heroku run | execute recoverable service opaque | | runs a command on a one-off dyno
heroku releases:rollback | write recoverable service | | rolls back
heroku logs | read reversible none | | reads logs
heroku apps | read reversible none | | lists apps
heroku ps | read reversible none | | lists dynos
heroku config | read reversible none | credential-read | reads config vars
heroku login | write reversible resource local | | signs in on this machine
vercel remove | delete irreversible service | outage | removes deployments or the project
vercel rm | delete irreversible service | outage | removes deployments or the project
vercel project rm | delete irreversible environment | outage | deletes the project
vercel project remove | delete irreversible environment | outage | deletes the project
vercel env rm | delete irreversible resource | outage | removes an environment variable
vercel env remove | delete irreversible resource | outage | removes an environment variable
vercel domains rm | delete irreversible service | outage | removes the domain
vercel dns rm | delete irreversible service | outage | removes a DNS record
vercel --prod | write recoverable environment | | deploys to production
vercel deploy --prod | write recoverable environment | | deploys to production
vercel deploy | write recoverable service | | deploys a preview
vercel promote | write recoverable environment | | promotes a deployment to production
vercel rollback | write recoverable environment | | rolls production back
vercel dev | execute recoverable service local | | runs the project on this machine
vercel build | execute recoverable service local | | builds on this machine
vercel link | write reversible resource local | | links the checkout
vercel pull | write reversible resource local | | writes the project settings into the checkout
vercel env pull | read reversible none | credential-read | writes environment variables into the checkout
vercel env ls | read reversible none | | lists environment variables
vercel ls | read reversible none | | lists deployments
vercel logs | read reversible none | | reads logs
vercel inspect | read reversible none | | reads a deployment
netlify sites:delete | delete irreversible environment | outage | deletes the site
netlify env:unset | delete irreversible resource | outage | removes an environment variable
netlify deploy --prod | write recoverable environment | | deploys to production
netlify deploy | write recoverable service | | deploys a draft
netlify dev | execute recoverable service local | | runs the site on this machine
netlify build | execute recoverable service local | | builds on this machine
netlify status | read reversible none | | reads status
netlify link | write reversible resource local | | links the checkout
railway down | delete irreversible service | outage | removes the latest deployment
railway delete | delete irreversible environment | stateful data-loss | deletes the project
railway up | write recoverable service | | deploys
railway run | execute recoverable service local | | runs a command with the project's variables
render services delete | delete irreversible environment | outage | deletes the service
`);
