import {
  loadModel,
  type ModelEntry,
  modelsSignedAs,
  type OperationModel,
  resolve,
  type ServiceModel,
} from "./models.js";
import { isSignatureQuery } from "./sigv4.js";
import { header, queryValue, type WireRequest } from "./wire.js";

/**
 * Which operation a request is, from the service models alone: JSON services by `X-Amz-Target`, query
 * services by `Action`, REST services by method, path template, query and headers. Matching is strict:
 * a query parameter or an `x-amz-` header the operation does not declare means it is not that
 * operation, so an API the models do not know is never mistaken for one they do.
 */
export interface Matched {
  model: ServiceModel;
  op: OperationModel;
  /** URI labels, decoded. */
  labels: Record<string, string>;
}

export type MatchResult = { ok: true; matched: Matched } | { ok: false; needsForm: boolean; message: string };

/** Headers of the transport and the signature, not of any operation. */
const TRANSPORT_HEADER =
  /^x-amz-(date|content-sha256|security-token|decoded-content-length|trailer|user-agent|target|checksum-[a-z0-9]+|sdk-checksum-algorithm|api-version)$/;

export function matchOperation(
  service: string,
  request: WireRequest,
  form?: [string, string][],
): MatchResult {
  const entries = modelsSignedAs(service);
  if (entries.length === 0)
    return { ok: false, needsForm: false, message: `no AWS service airlock knows is signed as "${service}"` };
  const target = header(request, "x-amz-target");
  if (target !== undefined) return byTarget(entries, target);
  const rest = entries.filter((e) => e.protocol === "rest-json" || e.protocol === "rest-xml");
  let best: { matched: Matched; score: number } | undefined;
  for (const entry of rest) {
    const model = loadModel(entry);
    for (const op of operationsFor(model, request.method)) {
      const m = matchRest(model, op, request);
      if (m && (!best || m.score > best.score)) best = m;
    }
  }
  if (best) return { ok: true, matched: best.matched };
  const query = entries.filter((e) => e.protocol === "query" || e.protocol === "ec2");
  if (query.length > 0) {
    const action = queryValue(request, "Action") ?? form?.find(([k]) => k === "Action")?.[1];
    if (action === undefined)
      return { ok: false, needsForm: form === undefined, message: "the request names no Action" };
    for (const entry of query) {
      const model = loadModel(entry);
      const op = model.operations[action];
      if (op) return { ok: true, matched: { model, op, labels: {} } };
    }
    return { ok: false, needsForm: false, message: `${service} has no operation ${action} in AWS's models` };
  }
  return {
    ok: false,
    needsForm: false,
    message: `no ${service} operation in AWS's models matches ${request.method} ${request.rawPath}`,
  };
}

/** A REST model's operations by HTTP method, worked out once per model (S3 has a hundred). */
const byMethod = new WeakMap<ServiceModel, Map<string, OperationModel[]>>();

function operationsFor(model: ServiceModel, method: string): readonly OperationModel[] {
  let methods = byMethod.get(model);
  if (!methods) {
    methods = new Map();
    for (const op of Object.values(model.operations)) {
      const m = op.http?.method ?? "POST";
      methods.set(m, [...(methods.get(m) ?? []), op]);
    }
    byMethod.set(model, methods);
  }
  return methods.get(method) ?? [];
}

function byTarget(entries: readonly ModelEntry[], target: string): MatchResult {
  const dot = target.lastIndexOf(".");
  const prefix = target.slice(0, dot);
  const name = target.slice(dot + 1);
  for (const entry of entries.filter((e) => e.targetPrefix === prefix)) {
    const model = loadModel(entry);
    const op = model.operations[name];
    if (op) return { ok: true, matched: { model, op, labels: {} } };
  }
  return { ok: false, needsForm: false, message: `X-Amz-Target ${target} is no operation in AWS's models` };
}

function matchRest(
  model: ServiceModel,
  op: OperationModel,
  request: WireRequest,
): { matched: Matched; score: number } | undefined {
  if ((op.http?.method ?? "POST") !== request.method) return undefined;
  const uri = op.http?.requestUri ?? "/";
  const q = uri.indexOf("?");
  const labels: Record<string, string> = {};
  const pathScore = matchPath(q < 0 ? uri : uri.slice(0, q), request.rawPath, labels);
  if (pathScore === undefined) return undefined;
  const input = resolve(model, op.input);
  const members = input.members ?? {};
  const queryNames = new Set<string>();
  const headerNames = new Set<string>();
  const headerPrefixes: string[] = [];
  for (const m of Object.values(members)) {
    const name = (m.locationName ?? "").toLowerCase();
    if (m.location === "querystring") queryNames.add(m.locationName ?? "");
    if (m.location === "header") headerNames.add(name);
    if (m.location === "headers") headerPrefixes.push(name);
  }
  let score = pathScore;
  for (const part of (q < 0 ? "" : uri.slice(q + 1)).split("&").filter(Boolean)) {
    const [key = "", value] = part.split("=");
    const given = queryValue(request, key);
    if (given === undefined) return undefined;
    if (value !== undefined && !value.startsWith("{") && given !== value) return undefined;
    queryNames.add(key);
    score += 5;
  }
  // The model puts querystring members on maps too (`location: querystring` with a map type): any key goes.
  const anyQuery = Object.values(members).some(
    (m) => m.location === "querystring" && resolve(model, m).type === "map",
  );
  for (const [key] of request.query) {
    if (!anyQuery && !queryNames.has(key) && key !== "x-id" && !isSignatureQuery(key)) return undefined;
  }
  for (const name of request.headers.keys()) {
    if (!name.startsWith("x-amz-") || TRANSPORT_HEADER.test(name)) continue;
    if (!headerNames.has(name) && !headerPrefixes.some((p) => name.startsWith(p))) return undefined;
  }
  for (const required of input.required ?? []) {
    const m = members[required];
    if (m?.location === "querystring" && queryValue(request, m.locationName ?? required) === undefined)
      return undefined;
    if (m?.location === "header") {
      if (!request.headers.has((m.locationName ?? required).toLowerCase())) return undefined;
      score += 3;
    }
    if (m?.location === "querystring") score += 3;
  }
  return { matched: { model, op, labels }, score };
}

/** Literal segments score 10 each; labels bind decoded segments; `{Name+}` takes the rest. */
function matchPath(template: string, rawPath: string, labels: Record<string, string>): number | undefined {
  const want = template.split("/").slice(1);
  const have = rawPath.split("/").slice(1);
  let score = 0;
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? "";
    const greedy = /^\{(\w+)\+\}$/.exec(w);
    if (greedy) {
      const rest = have.slice(i).join("/");
      if (rest === "") return undefined;
      labels[greedy[1] ?? ""] = safeDecode(rest);
      return score;
    }
    const h = have[i];
    if (h === undefined) return w === "" ? score : undefined;
    const label = /^\{(\w+)\}$/.exec(w);
    if (label) {
      if (h === "") return undefined;
      labels[label[1] ?? ""] = safeDecode(h);
    } else if (w !== safeDecode(h)) return undefined;
    else score += 10;
  }
  // A trailing empty segment ("/bucket/") matches the template without it.
  return have.length === want.length || (have.length === want.length + 1 && have.at(-1) === "")
    ? score
    : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
