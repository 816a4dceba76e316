import { type Finding, finding, type Shape } from "./finding.js";
import type { Request } from "./http.js";

/**
 * Elasticsearch and OpenSearch REST requests (curl, wget, HTTPie, an SDK's HTTP call): an index is
 * `/<index>[/<_action>…]`, a cluster API `/_<api>/…`. An index name of `_all`, a wildcard or a list
 * reaches every index it matches (environment-wide); deleting an index, a data stream, a snapshot or
 * every document a query matches is irreversible; closing, shrinking and cluster settings disrupt.
 */

const SEARCH_HOST = /elastic|opensearch|(?:^|[.-])es(?:[.-]|$)/;
const SEARCH_READS = new Set([
  "_search",
  "_count",
  "_msearch",
  "_mget",
  "_field_caps",
  "_validate",
  "_explain",
  "_sql",
  "_termvectors",
  "_mtermvectors",
  "_rank_eval",
  "_knn_search",
  "_async_search",
  "_pit",
]);
/** Definitions, not data: a template, a lifecycle policy or a pipeline can be put back from code. */
const DEFINITIONS = new Set([
  "_index_template",
  "_component_template",
  "_template",
  "_ilm",
  "_ingest",
  "_transform",
  "_watcher",
  "_enrich",
  "_slm",
  "_ism",
]);
const SECURITY = new Set(["_security", "_plugins", "_opendistro"]);

interface Target {
  index: string;
  wide: boolean;
  scope: "environment" | "service";
}

function text(body: unknown): string {
  return typeof body === "string" ? body : JSON.stringify(body ?? "");
}

/** A query that matches everything: none at all, `{}`, or `match_all`. */
function unbounded(body: unknown): boolean {
  const t = text(body).trim();
  return t === "" || t === '""' || t === "{}" || /match_all/.test(t) || !/"query"\s*:/.test(t);
}

function target(index: string): Target {
  const wide = index === "_all" || index.includes("*") || index.includes(",");
  return { index, wide, scope: wide ? "environment" : "service" };
}

function shape(effect: string, reversibility: string, t: Target): Shape {
  return `${effect} ${reversibility} ${t.scope}` as Shape;
}

/** `/_cluster`, `/_snapshot`, `/_nodes`, `/_aliases`, `/_security`…: the cluster's own APIs. */
function clusterApi(req: Request, api: string, rest: string[]): Finding | undefined {
  const where = `${req.method} ${req.where}`;
  if (req.method === "GET" || req.method === "HEAD")
    return finding("read reversible none", `${where}: reads`);
  if (api === "_snapshot") {
    const [repo = "", snap = "", sub = ""] = rest;
    if (req.method === "DELETE" && snap)
      return finding(
        shape("delete", "irreversible", target(snap)),
        `${where}: deletes snapshot ${snap} of repository ${repo}, a backup`,
        ["data-loss", ...(target(snap).wide ? ["bulk"] : [])],
      );
    if (req.method === "DELETE")
      return finding(
        "delete recoverable service",
        `${where}: unregisters snapshot repository ${repo} (its files stay in storage)`,
      );
    if (sub === "_restore")
      return finding("write irreversible service", `${where}: restores over the indices the snapshot names`, [
        "data-loss",
      ]);
    return undefined;
  }
  if (api === "_cluster" && rest[0] === "settings")
    return finding(
      "write reversible service",
      `${where}: changes cluster-wide settings (allocation, limits)`,
      ["outage"],
    );
  if (api === "_cluster" && rest[0] === "reroute" && /accept_data_loss"?\s*:\s*true/.test(text(req.body)))
    return finding("delete irreversible service", `${where}: allocates an empty primary, losing its data`, [
      "data-loss",
    ]);
  if (api === "_nodes" && rest.some((s) => s === "_shutdown"))
    return finding("write recoverable service", `${where}: shuts nodes down`, ["outage"]);
  if (api === "_aliases" && /"remove_index"\s*:/.test(text(req.body)))
    return finding("delete irreversible service", `${where}: an alias action that deletes an index`, [
      "data-loss",
    ]);
  if (api === "_data_stream" && req.method === "DELETE") {
    const t = target(rest[0] ?? "");
    return finding(
      shape("delete", "irreversible", t),
      `${where}: deletes data stream ${t.index} and its backing indices`,
      ["data-loss", ...(t.wide ? ["bulk"] : [])],
    );
  }
  if (DEFINITIONS.has(api) && req.method === "DELETE")
    return finding(
      "delete recoverable resource",
      `${where}: deletes a definition (template, policy, pipeline)`,
    );
  if (SECURITY.has(api) && (api === "_security" || rest.includes("_security")))
    return finding("privilege reversible service", `${where}: changes users, roles or keys of the cluster`);
  return undefined;
}

/** `/<index>/_<action>`: what an action does to the indices it names. */
function indexAction(req: Request, t: Target, action: string): Finding | undefined {
  const where = `${req.method} ${req.where}`;
  const bulk = t.wide ? ["bulk"] : [];
  switch (action) {
    case "_delete_by_query":
      return finding(
        shape("delete", "irreversible", t),
        `${where}: deletes every document matching the query in ${t.index}`,
        ["data-loss", ...bulk, ...(/match_all|^\{\}$/.test(text(req.body)) ? ["unbounded"] : [])],
      );
    case "_update_by_query":
      // Like SQL's UPDATE: a query bounds it; without one every document is rewritten.
      return unbounded(req.body) || t.wide
        ? finding(shape("write", "irreversible", t), `${where}: rewrites every document of ${t.index}`, [
            "bulk",
            "unbounded",
          ])
        : finding("write recoverable service", `${where}: rewrites the documents matching the query`, [
            "bulk",
          ]);
    case "_close":
    case "_freeze":
      return finding(
        shape("write", "recoverable", t),
        `${where}: closes ${t.index}: no reads or writes until reopened`,
        ["outage", ...bulk],
      );
    case "_shrink":
    case "_split":
      return finding(
        shape("write", "recoverable", t),
        `${where}: relocates every shard of ${t.index} into a new index (the source must be write-blocked)`,
        ["outage", ...bulk],
      );
    case "_settings":
      return /blocks|read_only/.test(text(req.body)) && req.method === "PUT"
        ? finding(shape("write", "reversible", t), `${where}: blocks writes or reads on ${t.index}`, [
            "outage",
            ...bulk,
          ])
        : undefined;
    case "_bulk":
      if (req.method !== "POST" && req.method !== "PUT") return undefined;
      return /"delete"\s*:/.test(text(req.body))
        ? finding("delete irreversible service", `${where}: a bulk request that deletes documents`, [
            "bulk",
            "data-loss",
          ])
        : finding("write recoverable service", `${where}: a bulk index/update request`, ["bulk"]);
    default:
      return undefined;
  }
}

/** Kibana's Dev Tools proxy: `POST /api/console/proxy?path=/orders&method=DELETE` is that request. */
function throughKibana(req: Request): Request | undefined {
  if (!/\/api\/console\/proxy\/?$/.test(req.url.pathname)) return undefined;
  const path = req.url.searchParams.get("path");
  const method = req.url.searchParams.get("method");
  if (!path || !method) return undefined;
  const url = new URL(path.startsWith("/") ? path : `/${path}`, "http://elasticsearch:9200");
  return {
    method: method.toUpperCase(),
    url,
    where: `${req.where}?path=${url.pathname}`,
    segments: url.pathname.split("/").filter(Boolean),
    body: req.body,
  };
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function searchRequest(sent: Request): Finding | undefined {
  const proxied = throughKibana(sent);
  const req = proxied ?? { ...sent, segments: sent.segments.map(decoded) };
  const [first = "", ...rest] = req.segments;
  const port = req.url.port;
  const looksLikeSearch = port === "9200" || port === "9243" || SEARCH_HOST.test(req.url.hostname);
  const action = req.segments.find((s) => s.startsWith("_") && s !== "_all");
  if (!looksLikeSearch && action === undefined) return undefined;
  if (action && SEARCH_READS.has(action) && req.method !== "DELETE")
    return finding("read reversible none", `${req.method} ${req.where}: a search (reads only)`);
  // `/_bulk` names its indices line by line: an action at the root is the action on what it names.
  if (first.startsWith("_") && first !== "_all")
    return clusterApi(req, first, rest) ?? indexAction(req, target(""), first);
  const t = target(first);
  if (action) return indexAction(req, t, action);
  if (req.method === "DELETE" && looksLikeSearch && rest.length === 0 && first !== "")
    return finding(
      shape("delete", "irreversible", t),
      `DELETE ${req.where}: deletes the index ${first} and all its documents`,
      ["data-loss", ...(t.wide ? ["bulk"] : [])],
    );
  return undefined;
}
