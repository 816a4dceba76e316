import type { HttpAction, K8sAction } from "../action/schema.js";
import { environmentOfName, isLoopbackHost } from "./environment.js";
import { type Finding, finding, isShape, opaqueOperation, type Shape } from "./finding.js";
import { searchRequest } from "./http-search.js";
import { analyzeK8s } from "./k8s.js";
import type { Analysis, Operation, Target } from "./types.js";

/**
 * An HTTP request: the method says read or write, the URL says what. A few well-known APIs'
 * destructive endpoints are recognised by host and path; a Kubernetes API server path is handed to the
 * k8s analyzer; everything else is judged by its method alone.
 */

export interface Request {
  method: string;
  url: URL;
  /** origin + path, without credentials or query (which may carry tokens). */
  where: string;
  segments: string[];
  body: unknown;
}

// ── well-known APIs ───────────────────────────────────────────────────────────────────────

/**
 * METHOD host /path/:param | effect reversibility radius | tags | what it does (`:param` filled in).
 * `:rest*` matches the remainder of the path. GitHub Enterprise serves the GitHub API under /api/v3.
 */
const ENDPOINT_TABLE = `
DELETE api.github.com /repos/:owner/:repo | delete irreversible environment | data-loss | deletes the GitHub repository :owner/:repo with its code, issues and pull requests
DELETE api.github.com /orgs/:org | delete irreversible account | data-loss | deletes the GitHub organization :org and every repository in it
DELETE api.github.com /repos/:owner/:repo/git/refs/:ref* | delete recoverable resource | | deletes :ref in :owner/:repo
DELETE api.github.com /repos/:owner/:repo/branches/:branch/protection | privilege reversible service | | removes branch protection from :branch in :owner/:repo
PUT api.github.com /repos/:owner/:repo/collaborators/:user | privilege reversible service | | grants :user access to :owner/:repo
POST api.github.com /repos/:owner/:repo/transfer | privilege recoverable environment | | transfers :owner/:repo to another owner
POST api.github.com /repos/:owner/:repo/dispatches | execute recoverable service | | triggers the workflows of :owner/:repo that listen for the event
POST api.github.com /repos/:owner/:repo/actions/workflows/:workflow/dispatches | execute recoverable service | | runs the workflow :workflow of :owner/:repo
PUT api.github.com /repos/:owner/:repo/actions/workflows/:workflow/disable | write recoverable service | outage | disables the workflow :workflow of :owner/:repo
PUT api.github.com /repos/:owner/:repo/pulls/:number/merge | write recoverable service | | merges pull request :number into its base branch of :owner/:repo
DELETE api.github.com /repos/:owner/:repo/releases/:id | delete irreversible resource | data-loss | deletes release :id of :owner/:repo with its assets
DELETE api.github.com /repos/:owner/:repo/actions/secrets/:name | delete irreversible resource | outage | deletes the Actions secret :name of :owner/:repo
PUT api.github.com /repos/:owner/:repo/actions/secrets/:name | privilege reversible service | | sets the Actions secret :name of :owner/:repo
DELETE api.github.com /repos/:owner/:repo/actions/variables/:name | delete irreversible resource | outage | deletes the Actions variable :name of :owner/:repo
DELETE api.github.com /repos/:owner/:repo/rulesets/:id | privilege recoverable service | security-disable | deletes ruleset :id of :owner/:repo (its branch and tag protections)
DELETE api.github.com /orgs/:org/rulesets/:id | privilege recoverable environment | security-disable | deletes the organization ruleset :id of :org
DELETE api.github.com /repos/:owner/:repo/environments/:name | delete irreversible service | | deletes the deployment environment :name of :owner/:repo with its secrets and protection rules
DELETE api.github.com /orgs/:org/members/:user | privilege recoverable service | | removes :user from :org
DELETE api.github.com /user/codespaces/:name | delete recoverable resource | | deletes the codespace :name
DELETE api.github.com /gists/:id | delete irreversible resource | data-loss | deletes the gist :id
DELETE api.cloudflare.com /client/v4/zones/:zone | delete irreversible environment | stateful data-loss | deletes the Cloudflare zone :zone with all its DNS records and settings
DELETE api.cloudflare.com /client/v4/zones/:zone/dns_records/:record | delete recoverable resource | | deletes DNS record :record of zone :zone
POST api.cloudflare.com /client/v4/zones/:zone/purge_cache | write reversible service | | purges the CDN cache of zone :zone
DELETE api.heroku.com /apps/:app | delete irreversible environment | stateful data-loss | deletes the Heroku app :app with its add-ons, databases included
DELETE api.digitalocean.com /v2/databases/:id | delete irreversible environment | stateful data-loss | deletes the database cluster :id
DELETE api.digitalocean.com /v2/volumes/:id | delete irreversible service | stateful data-loss | deletes the volume :id and its data
DELETE api.digitalocean.com /v2/droplets/:id | delete irreversible service | data-loss | deletes the droplet :id and its disk
DELETE api.vercel.com /:version/projects/:project | delete irreversible environment | data-loss | deletes the Vercel project :project with its deployments
DELETE gitlab.com /api/v4/projects/:project | delete irreversible environment | data-loss | deletes the GitLab project :project`;

interface Endpoint {
  method: string;
  host: string;
  path: RegExp;
  params: string[];
  shape: Shape;
  tags: string[];
  what: string;
}

function compileRoute(template: string): { path: RegExp; params: string[] } {
  const params: string[] = [];
  const source = template
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .replace(/:(\w+)(\*?)/g, (_, name: string, rest: string) => {
      params.push(name);
      return rest ? "(.+)" : "([^/]+)";
    });
  return { path: new RegExp(`^${source}/?$`), params };
}

const ENDPOINTS: Endpoint[] = ENDPOINT_TABLE.trim()
  .split("\n")
  .map((row) => {
    const [route = "", shape = "", tags = "", what = ""] = row.split("|").map((c) => c.trim());
    const [method = "", host = "", template = ""] = route.split(" ");
    if (!isShape(shape)) throw new Error(`http endpoint table: bad row ${row}`);
    return { method, host, ...compileRoute(template), shape, tags: tags ? tags.split(" ") : [], what };
  });

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function knownEndpoint(req: Request): Finding | undefined {
  const host = req.url.hostname;
  const enterprise = req.url.pathname.startsWith("/api/v3/");
  const path = enterprise ? req.url.pathname.slice("/api/v3".length) : req.url.pathname;
  for (const e of ENDPOINTS) {
    if (e.method !== req.method || !(e.host === host || (enterprise && e.host === "api.github.com")))
      continue;
    const m = e.path.exec(path);
    if (!m) continue;
    let what = e.what;
    e.params.forEach((name, i) => {
      what = what.replaceAll(`:${name}`, decode(m[i + 1] ?? ""));
    });
    return finding(e.shape, `${req.method} ${req.where}: ${what}`, e.tags);
  }
  return undefined;
}

/**
 * `PATCH /repos/:owner/:repo` with what it changes: visibility, archiving, a rename. Other settings
 * (description, merge buttons) are ordinary writes, judged by the method.
 */
function githubRepoSettings(req: Request): Finding | undefined {
  const enterprise = req.url.pathname.startsWith("/api/v3/");
  if (req.method !== "PATCH" || !(req.url.hostname === "api.github.com" || enterprise)) return undefined;
  const path = enterprise ? req.url.pathname.slice("/api/v3".length) : req.url.pathname;
  if (!/^\/repos\/[^/]+\/[^/]+\/?$/.test(path) || typeof req.body !== "object" || req.body === null)
    return undefined;
  const body = req.body as Record<string, unknown>;
  const said = (key: string) => (body[key] === undefined ? undefined : String(body[key]).toLowerCase());
  if (said("visibility") === "public" || said("private") === "false")
    return finding("privilege irreversible service", `PATCH ${req.where}: makes the repository public`, [
      "public",
    ]);
  if (said("visibility") !== undefined || said("private") !== undefined)
    return finding("privilege recoverable service", `PATCH ${req.where}: changes who can see the repository`);
  if (said("archived") === "true")
    return finding("write recoverable service", `PATCH ${req.where}: archives the repository`, ["outage"]);
  if (said("name") !== undefined)
    return finding("write recoverable service", `PATCH ${req.where}: renames the repository`, ["outage"]);
  return undefined;
}

// ── GraphQL ────────────────────────────────────────────────────────────────────────────────

const DESTRUCTIVE_FIELD = /\b(?:delete|destroy|remove|drop|purge|truncate|wipe)[A-Za-z0-9_]*\s*[({]/i;

/** Deletes sent as POST: Jenkins' `doDelete` and `doWipeOutWorkspace`, `/delete` actions. */
function postedDelete(req: Request): Finding | undefined {
  if (req.method !== "POST" || !/\/(doDelete|doWipeOutWorkspace|doDeleteAll)\/?$/.test(req.url.pathname))
    return undefined;
  return finding(
    "delete irreversible service",
    `POST ${req.url.pathname} on ${req.where}: deletes the job or workspace`,
  );
}

function graphqlRequest(req: Request): Finding | undefined {
  if (req.method !== "POST" || !/\/graphql\/?$/.test(req.url.pathname)) return undefined;
  const body = req.body;
  const query =
    typeof body === "string"
      ? body
      : typeof body === "object" && body !== null
        ? (body as Record<string, unknown>).query
        : undefined;
  if (typeof query !== "string") return undefined;
  if (!/\bmutation\b/.test(query)) return finding("read reversible none", `GraphQL query to ${req.where}`);
  if (DESTRUCTIVE_FIELD.test(query)) {
    return finding(
      "delete irreversible service",
      `GraphQL mutation to ${req.where} that deletes (${query.trim().slice(0, 80)})`,
    );
  }
  return finding("write recoverable service", `GraphQL mutation to ${req.where}`);
}

// ── Kubernetes API server ──────────────────────────────────────────────────────────────────

const CORE_RESOURCES = new Set(
  `namespaces pods services secrets configmaps nodes persistentvolumeclaims persistentvolumes serviceaccounts
  endpoints events replicationcontrollers limitranges resourcequotas`.split(/\s+/),
);
const UNDOTTED_GROUPS = new Set(["apps", "batch", "autoscaling", "policy"]);
const K8S_GROUP_PATH = /^\/apis\/([^/]+)\/(v\d+(?:(?:alpha|beta)\d+)?)\/(.+)$/;
const K8S_VERB: Record<string, (named: boolean, url: URL) => K8sAction["verb"] | undefined> = {
  GET: (named, url) =>
    named ? "get" : /^(?:true|1)$/.test(url.searchParams.get("watch") ?? "") ? "watch" : "list",
  HEAD: () => "get",
  POST: () => "create",
  PUT: () => "update",
  PATCH: () => "patch",
  DELETE: (named) => (named ? "delete" : "deletecollection"),
};

/** `/api/v1/namespaces/shop/pods/web/exec` and `/apis/apps/v1/…` as the k8s Action they are. */
export function kubernetesAction(method: string, url: URL, body: unknown): K8sAction | undefined {
  let group: string | undefined;
  let rest: string;
  const grouped = K8S_GROUP_PATH.exec(url.pathname);
  if (grouped?.[1] && grouped[3] && (grouped[1].includes(".") || UNDOTTED_GROUPS.has(grouped[1]))) {
    group = grouped[1];
    rest = grouped[3];
  } else if (url.pathname.startsWith("/api/v1/")) {
    rest = url.pathname.slice("/api/v1/".length);
  } else {
    return undefined;
  }
  let seg = rest.split("/").filter(Boolean).map(decode);
  let namespace: string | undefined;
  const namespaceItself =
    seg[0] === "namespaces" && (seg.length <= 2 || seg[2] === "finalize" || seg[2] === "status");
  if (seg[0] === "namespaces" && !namespaceItself) {
    namespace = seg[1];
    seg = seg.slice(2);
  }
  const [resource, name, subresource] = seg;
  if (!resource || (group === undefined && !CORE_RESOURCES.has(resource))) return undefined;
  const verb = K8S_VERB[method]?.(name !== undefined, url);
  if (!verb) return undefined;
  const commands = url.searchParams.getAll("command");
  const k8sBody = subresource === "exec" && commands.length > 0 ? { command: commands } : body;
  return {
    kind: "k8s",
    verb,
    resource: `${resource}${group ? `.${group}` : ""}${subresource ? `/${subresource}` : ""}`,
    ...(name ? { name } : {}),
    ...(namespace ? { namespace } : {}),
    ...(k8sBody !== undefined ? { body: k8sBody } : {}),
  };
}

// ── generic methods ────────────────────────────────────────────────────────────────────────

/** DELETE …/<collection>/<name>: what the collection holds decides how bad it is. */
const COLLECTIONS = new Map<string, [Shape, string[]]>([
  ["databases", ["delete irreversible environment", ["stateful", "data-loss"]]],
  ["clusters", ["delete irreversible environment", ["stateful", "data-loss"]]],
  ["namespaces", ["delete irreversible environment", ["stateful", "data-loss"]]],
  ["zones", ["delete irreversible environment", ["stateful"]]],
  ["projects", ["delete irreversible environment", ["data-loss"]]],
  ["environments", ["delete irreversible environment", ["data-loss"]]],
  ["stacks", ["delete irreversible environment", ["stateful"]]],
  ["repos", ["delete irreversible environment", ["data-loss"]]],
  ["repositories", ["delete irreversible environment", ["data-loss"]]],
  ["buckets", ["delete irreversible service", ["stateful", "data-loss"]]],
  ["volumes", ["delete irreversible service", ["stateful", "data-loss"]]],
  ["disks", ["delete irreversible service", ["stateful", "data-loss"]]],
  ["tables", ["delete irreversible service", ["data-loss"]]],
  ["indices", ["delete irreversible service", ["data-loss"]]],
  ["indexes", ["delete irreversible service", ["data-loss"]]],
  ["backups", ["delete irreversible service", ["data-loss"]]],
  ["snapshots", ["delete irreversible service", ["data-loss"]]],
]);

function genericDelete(req: Request): Finding {
  const last = req.segments.at(-1) ?? "";
  const parent = req.segments.at(-2) ?? "";
  const named = COLLECTIONS.get(parent.toLowerCase());
  if (named)
    return finding(
      named[0],
      `DELETE ${req.where}: deletes the ${parent.replace(/s$/, "")} ${last}`,
      named[1],
    );
  const whole = COLLECTIONS.get(last.toLowerCase());
  if (whole) {
    return finding(
      "delete irreversible environment",
      `DELETE ${req.where}: deletes the whole ${last} collection`,
      [...whole[1], "bulk"],
    );
  }
  const single = /\d/.test(last) || parent.endsWith("s");
  return finding(
    `delete irreversible ${single ? "resource" : "service"}`,
    `DELETE ${req.where}: deletes what the URL names (irreversible unless the API keeps it)`,
  );
}

function byMethod(req: Request): Finding {
  switch (req.method) {
    case "GET":
    case "HEAD":
    case "OPTIONS":
      return finding("read reversible none", `${req.method} ${req.where}`);
    case "POST":
      return finding(
        "write recoverable service",
        `POST ${req.where}: effect unknown to airlock, treated as a write`,
      );
    case "PUT":
      return finding("write recoverable resource", `PUT ${req.where}: replaces what the URL names`);
    case "PATCH":
      return finding("write reversible resource", `PATCH ${req.where}: changes what the URL names`);
    case "DELETE":
      return genericDelete(req);
    default:
      return finding(
        "execute irreversible service",
        `${req.method} ${req.where}: a method airlock does not know`,
        [],
        true,
      );
  }
}

// ── the analyzer ───────────────────────────────────────────────────────────────────────────

const OVERRIDE_HEADERS = ["x-http-method-override", "x-http-method", "x-method-override"];
const WEB_PROTOCOLS = new Set(["http:", "https:", "ws:", "wss:"]);

function lowerKeys(headers: unknown): Map<string, string> {
  const map = new Map<string, string>();
  if (typeof headers === "object" && headers !== null) {
    for (const [k, v] of Object.entries(headers)) if (typeof v === "string") map.set(k.toLowerCase(), v);
  }
  return map;
}

/** Frameworks honour a method override (header, or `_method` on a POST): the effective method is that. */
function effectiveMethod(declared: string, headers: Map<string, string>, url: URL, body: unknown): string {
  for (const h of OVERRIDE_HEADERS) {
    const v = headers.get(h);
    if (v?.trim()) return v.trim().toUpperCase();
  }
  if (declared !== "POST") return declared;
  const field =
    typeof body === "object" && body !== null ? (body as Record<string, unknown>)._method : undefined;
  const override = url.searchParams.get("_method") ?? (typeof field === "string" ? field : undefined);
  return override?.trim() ? override.trim().toUpperCase() : declared;
}

/** Path segments and `env=` values count only when they raise the stakes (production or staging). */
function urlHints(url: URL): string[] {
  const words = [
    ...url.pathname.split("/"),
    url.searchParams.get("env") ?? "",
    url.searchParams.get("environment") ?? "",
  ];
  return words.filter((w) => {
    const env = w && w.length <= 40 ? environmentOfName(w) : undefined;
    return env === "production" || env === "staging";
  });
}

function opaqueAnalysis(name: string, summary: string, notes: string[]): Analysis {
  const op = opaqueOperation("http", name, summary);
  return { status: "opaque", operations: [op], envHints: [], notes };
}

function analyze(action: HttpAction): Analysis {
  const declared = String(action.method ?? "")
    .trim()
    .toUpperCase();
  const headers = lowerKeys(action.headers);
  const raw = String(action.url ?? "").trim();
  const hostHeader = headers.get("host");
  let url: URL;
  try {
    url = new URL(raw, raw.startsWith("/") && hostHeader ? `http://${hostHeader}` : undefined);
  } catch {
    return opaqueAnalysis(
      declared || "HTTP",
      `${declared} ${raw.slice(0, 200)}: the URL could not be parsed`,
      ["malformed URL"],
    );
  }
  if (!WEB_PROTOCOLS.has(url.protocol)) {
    return opaqueAnalysis(declared || "HTTP", `${declared} ${url.protocol} URL: not an HTTP request`, [
      "not http",
    ]);
  }
  const method = effectiveMethod(declared, headers, url, action.body);
  const host = url.hostname.toLowerCase();
  const envHints = [
    host,
    ...(hostHeader && hostHeader.split(":")[0] !== host ? [hostHeader] : []),
    ...urlHints(url),
  ];
  const loopback = isLoopbackHost(host);
  const notes = [
    method === declared ? `${method} ${url.origin}${url.pathname}` : `${declared} overridden to ${method}`,
  ];
  const k8s = kubernetesAction(method, url, action.body);
  if (k8s) {
    const inner = analyzeK8s(k8s);
    const ops = inner.operations.map((op) =>
      loopback ? { ...op, tags: [...(op.tags ?? []), "loopback"] } : op,
    );
    return {
      ...inner,
      operations: ops,
      envHints: [...envHints, ...inner.envHints],
      notes: [...notes, "Kubernetes API request", ...inner.notes],
    };
  }
  const where = `${url.origin}${url.pathname}`;
  const req: Request = {
    method,
    url,
    where,
    segments: url.pathname.split("/").filter(Boolean),
    body: action.body,
  };
  const websocket = headers.get("upgrade")?.toLowerCase() === "websocket" || url.protocol.startsWith("ws");
  const f = websocket
    ? finding(
        "execute irreversible service",
        `${where}: a WebSocket; what flows over it is not visible`,
        [],
        true,
      )
    : (knownEndpoint(req) ??
      githubRepoSettings(req) ??
      searchRequest(req) ??
      postedDelete(req) ??
      graphqlRequest(req) ??
      byMethod(req));
  if (method !== declared) f.summary += ` (sent as ${declared} with a method override)`;
  const target: Target = { type: "url", name: where };
  const tags = [...(f.tags ?? []), ...(loopback ? ["loopback"] : [])];
  const op: Operation = {
    kind: "http",
    name: method,
    ...f,
    ...(tags.length > 0 ? { tags } : {}),
    targets: [target],
  };
  return { status: f.opaque ? "partial" : "complete", operations: [op], envHints, notes };
}

/** Never throws: an internal fault becomes an opaque operation. */
export function analyzeHttp(action: HttpAction): Analysis {
  try {
    return analyze(action);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return opaqueAnalysis(
      String(action?.method ?? "HTTP").toUpperCase(),
      `could not analyse the HTTP request: ${reason}`,
      ["analysis failed"],
    );
  }
}
