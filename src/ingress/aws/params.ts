import { resolve, type ServiceModel, type Shape } from "./models.js";
import type { Matched } from "./operation.js";
import { isSignatureQuery } from "./sigv4.js";
import type { WireRequest } from "./wire.js";
import { children, parseXml, type XmlNode } from "./xml.js";

/**
 * The operation's input in SDK spelling (`StackName`, `TableName`, `Bucket`, `Key`), read back from the
 * wire as the model says each member travels: URI labels, query string, headers, a JSON body, or the
 * query protocol's flattened form (`Tags.member.1.Key`). Idempotency tokens the SDKs make up per call
 * are left out, so the identical call made again has the identical parameters (and digest).
 */
export type Params = Record<string, unknown>;

export interface BodyForParams {
  /** Form pairs (query protocol), already decoded. */
  form?: [string, string][];
  /** A JSON body, parsed. */
  json?: unknown;
  /** A rest-xml body's text (S3 DeleteObjects, Route 53, CloudFront), read by the model into SDK spelling. */
  xml?: string;
}

export function paramsOf(matched: Matched, request: WireRequest, body: BodyForParams): Params {
  const { model, op } = matched;
  const input = resolve(model, op.input);
  const members = input.members ?? {};
  switch (model.entry.protocol) {
    case "json":
      return dropTokens(model, input, isObject(body.json) ? body.json : {});
    case "query":
    case "ec2": {
      const flat = new Map<string, string>();
      for (const [k, v] of [...request.query, ...(body.form ?? [])])
        if (k !== "Action" && k !== "Version") flat.set(k, v);
      return readStructure(model, input, "", flat, model.entry.protocol === "ec2") as Params;
    }
    default: {
      const params: Params = {};
      for (const [name, raw] of Object.entries(members)) {
        const m = resolve(model, raw);
        if (m.idempotencyToken) continue;
        const where = (m.locationName ?? name).toLowerCase();
        if (m.location === "uri") {
          const v = matched.labels[m.locationName ?? name];
          if (v !== undefined) params[name] = v;
        } else if (m.location === "querystring") {
          const values = request.query.filter(([k]) => k === m.locationName).map(([, v]) => v);
          if (m.type === "map") {
            const map = Object.fromEntries(request.query.filter(([k]) => !isSignatureQuery(k)));
            if (Object.keys(map).length > 0) params[name] = map;
          } else if (values.length > 0)
            params[name] = m.type === "list" ? values : scalar(m, values.at(-1) ?? "");
        } else if (m.location === "header") {
          const v = request.headers.get(where);
          if (v) params[name] = scalar(m, v.join(","));
        } else if (m.location === "headers") {
          const map: Record<string, string> = {};
          for (const [k, v] of request.headers)
            if (k.startsWith(where)) map[k.slice(where.length)] = v.join(",");
          if (Object.keys(map).length > 0) params[name] = map;
        }
      }
      if (input.payload) {
        const p = resolve(model, members[input.payload]);
        if (p.type === "structure") {
          const value = body.json ?? (body.xml ? readXml(model, p, parseXml(body.xml)) : undefined);
          if (value !== undefined) params[input.payload] = value;
        }
      } else {
        const doc = isObject(body.json)
          ? body.json
          : body.xml
            ? (readXml(model, input, parseXml(body.xml)) as Params)
            : undefined;
        for (const [k, v] of Object.entries(isObject(doc) ? doc : {}))
          if (members[k] && !members[k].location) params[k] = v;
      }
      return params;
    }
  }
}

function isObject(v: unknown): v is Params {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function dropTokens(model: ServiceModel, input: Shape, value: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(value)) {
    if (resolve(model, input.members?.[k]).idempotencyToken) continue;
    out[k] = v;
  }
  return out;
}

function scalar(shape: Shape, text: string): unknown {
  if (shape.type === "boolean") return text === "true" ? true : text === "false" ? false : text;
  if (
    shape.type === "integer" ||
    shape.type === "long" ||
    shape.type === "double" ||
    shape.type === "float"
  ) {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  return text;
}

/** The query protocol's flattened keys, back into structures, lists and maps. */
function readStructure(
  model: ServiceModel,
  shape: Shape,
  prefix: string,
  flat: Map<string, string>,
  ec2: boolean,
): unknown {
  const out: Params = {};
  for (const [name, raw] of Object.entries(shape.members ?? {})) {
    const m = resolve(model, raw);
    if (m.idempotencyToken) continue;
    const wire = ec2 ? (m.queryName ?? capitalise(m.locationName ?? name)) : (m.locationName ?? name);
    const value = readValue(model, m, `${prefix}${wire}`, flat, ec2);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function readValue(
  model: ServiceModel,
  m: Shape,
  key: string,
  flat: Map<string, string>,
  ec2: boolean,
): unknown {
  if (m.type === "structure") {
    if (![...flat.keys()].some((k) => k.startsWith(`${key}.`))) return undefined;
    return readStructure(model, m, `${key}.`, flat, ec2);
  }
  if (m.type === "list") {
    const member = resolve(model, m.member);
    const base = ec2 || m.flattened ? key : `${key}.${member.locationName ?? "member"}`;
    const items: unknown[] = [];
    for (let i = 1; i <= 10000; i++) {
      const item = readValue(model, member, `${base}.${i}`, flat, ec2);
      if (item === undefined) break;
      items.push(item);
    }
    return items.length > 0 ? items : flat.has(key) ? [] : undefined;
  }
  if (m.type === "map") {
    const base = m.flattened ? key : `${key}.entry`;
    const map: Params = {};
    for (let i = 1; i <= 10000; i++) {
      const k = flat.get(`${base}.${i}.${m.key?.locationName ?? "key"}`);
      if (k === undefined) break;
      map[k] = readValue(
        model,
        resolve(model, m.value),
        `${base}.${i}.${m.value?.locationName ?? "value"}`,
        flat,
        ec2,
      );
    }
    return Object.keys(map).length > 0 ? map : undefined;
  }
  const text = flat.get(key);
  return text === undefined ? undefined : scalar(m, text);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A rest-xml document read as the model says: members by their element names (`locationName`), lists
 * wrapped (`<Changes><Change>…`) or flattened (`<Object>…<Object>…`), maps as `<entry><key/><value/>`;
 * members that travel elsewhere (URI, headers) are not read from the body.
 */
function readXml(model: ServiceModel, shape: Shape, node: XmlNode): unknown {
  if (shape.type === "structure") {
    const out: Params = {};
    for (const [name, raw] of Object.entries(shape.members ?? {})) {
      const m = resolve(model, raw);
      if (m.location) continue;
      const wire = m.locationName ?? name;
      if (m.type === "list" && m.flattened) {
        const member = resolve(model, m.member);
        const items = children(node, member.locationName ?? wire);
        if (items.length > 0) out[name] = items.map((c) => readXml(model, member, c));
        continue;
      }
      const c = children(node, wire)[0];
      if (c) out[name] = readXml(model, m, c);
    }
    return out;
  }
  if (shape.type === "list") {
    const member = resolve(model, shape.member);
    return children(node, member.locationName ?? "member").map((c) => readXml(model, member, c));
  }
  if (shape.type === "map") {
    const map: Params = {};
    for (const entry of shape.flattened ? [node] : children(node, "entry")) {
      const k = children(entry, shape.key?.locationName ?? "key")[0]?.text.trim();
      const v = children(entry, shape.value?.locationName ?? "value")[0];
      if (k !== undefined && v) map[k] = readXml(model, resolve(model, shape.value), v);
    }
    return map;
  }
  return scalar(shape, node.text.trim());
}
