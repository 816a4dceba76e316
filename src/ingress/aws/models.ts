import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { AWS_MODELS } from "./models-index.generated.js";

/**
 * AWS's own service models (the JSON that aws-sdk v2 ships in `apis/*.min.json`), loaded lazily: the
 * index of which model serves which signing name is compiled in, and a model's file is read and
 * parsed the first time a request for that service arrives (a few ms; 1 MB for EC2), then kept.
 */

export type Protocol = "query" | "ec2" | "json" | "rest-json" | "rest-xml";

export interface ModelEntry {
  name: string;
  file: string;
  protocol: Protocol;
  signingName: string;
  endpointPrefix: string;
  targetPrefix: string;
  globalEndpoint: string;
}

/** A shape, inline or referenced: only the fields airlock reads. */
export interface Shape {
  shape?: string;
  type?: string;
  members?: Record<string, Shape>;
  member?: Shape;
  key?: Shape;
  value?: Shape;
  required?: string[];
  payload?: string;
  location?: "uri" | "querystring" | "header" | "headers" | "statusCode";
  locationName?: string;
  queryName?: string;
  flattened?: boolean;
  streaming?: boolean;
  idempotencyToken?: boolean;
  jsonvalue?: boolean;
}

export interface OperationModel {
  name: string;
  http?: { method?: string; requestUri?: string };
  input?: Shape;
}

export interface ServiceModel {
  entry: ModelEntry;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

const ENTRIES: readonly ModelEntry[] = AWS_MODELS.map((line) => {
  const [
    name = "",
    file = "",
    protocol = "",
    signingName = "",
    endpointPrefix = "",
    targetPrefix = "",
    globalEndpoint = "",
  ] = line.split("|");
  return {
    name,
    file,
    protocol: protocol as Protocol,
    signingName,
    endpointPrefix,
    targetPrefix,
    globalEndpoint,
  };
});

const BY_SIGNING_NAME = new Map<string, ModelEntry[]>();
for (const e of ENTRIES) {
  const list = BY_SIGNING_NAME.get(e.signingName) ?? [];
  // The model named like its signing name comes first: `rds` before `docdb` and `neptune`.
  if (e.name === e.signingName) list.unshift(e);
  else list.push(e);
  BY_SIGNING_NAME.set(e.signingName, list);
}

/** The models of every service signed with this name (`s3` → s3, s3control). */
export function modelsSignedAs(signingName: string): readonly ModelEntry[] {
  return BY_SIGNING_NAME.get(signingName) ?? [];
}

let apisDir: string | undefined;
const loaded = new Map<string, ServiceModel>();

export function loadModel(entry: ModelEntry): ServiceModel {
  const cached = loaded.get(entry.file);
  if (cached) return cached;
  apisDir ??= join(dirname(createRequire(import.meta.url).resolve("aws-sdk/package.json")), "apis");
  const raw = JSON.parse(readFileSync(join(apisDir, `${entry.file}.min.json`), "utf8")) as {
    operations: Record<string, Omit<OperationModel, "name">>;
    shapes?: Record<string, Shape>;
  };
  const operations: Record<string, OperationModel> = {};
  for (const [name, op] of Object.entries(raw.operations)) operations[name] = { ...op, name };
  const model: ServiceModel = { entry, operations, shapes: raw.shapes ?? {} };
  loaded.set(entry.file, model);
  return model;
}

/** A shape with its reference followed (inline fields such as location stay those of the member). */
export function resolve(model: ServiceModel, shape: Shape | undefined): Shape {
  if (!shape) return {};
  if (!shape.shape) return shape;
  const target = model.shapes[shape.shape] ?? {};
  return { ...target, ...shape, shape: undefined, type: target.type ?? shape.type };
}

/** Whether an operation's input is a streaming blob (S3 PutObject, UploadPart): its body is never buffered. */
export function streamingPayload(model: ServiceModel, op: OperationModel): boolean {
  const input = resolve(model, op.input);
  if (!input.payload) return false;
  const member = resolve(model, input.members?.[input.payload]);
  return member.streaming === true;
}
