import {
  type Call,
  type CallArgs,
  type Effect,
  pathOf,
  plain,
  type Segment,
  textOf,
  type Value,
} from "./model.js";

/** SDK calls that reach services: AWS (boto3, the JS SDKs), Google and Azure deletes, SQL drivers, HTTP clients. */

const pascal = (name: string) =>
  name
    .split(/[_-]/)
    .map((w) => (w ? (w[0] ?? "").toUpperCase() + w.slice(1) : ""))
    .join("");

function params(a: CallArgs | undefined): Record<string, unknown> {
  if (!a) return {};
  const first = a.args[0];
  const fields = first?.t === "obj" ? first.fields : a.kwargs;
  return plain({ t: "obj", fields }) as Record<string, unknown>;
}

const at = (chain: Segment[], name: string) => chain.findIndex((s) => s.name === name && s.call);

/** boto3: `client("s3").delete_bucket(Bucket=…)`, `resource("s3").Bucket("x").delete()`, `….objects.all().delete()`. */
function boto3(call: Call, via: string): Effect | undefined {
  const chain = call.chain;
  if (chain[0]?.name !== "boto3") return undefined;
  const last = chain[chain.length - 1];
  const client = at(chain, "client");
  if (client >= 0 && last && chain.length === client + 2) {
    const service = textOf(chain[client]?.call?.args[0] ?? chain[client]?.call?.kwargs.get("service_name"));
    if (service)
      return { kind: "aws", service, operation: pascal(last.name), params: params(last.call), via };
  }
  const resource = at(chain, "resource");
  const service = textOf(chain[resource]?.call?.args[0]);
  // Only the action at the end of a chain (`….Bucket("x").delete()`), not the factories on the way.
  const action =
    last &&
    /^[a-z][a-z_]*$/.test(last.name) &&
    !/^(all|filter|limit|page_size|load|reload|get_available_subresources)$/.test(last.name);
  if (resource < 0 || !service || !last?.call || !action || chain.length < resource + 3) return undefined;
  const parts = chain.slice(resource + 1, -1);
  const type = parts[0];
  const id = textOf(type?.call?.args[0]);
  const collection = parts
    .slice(1)
    .find((s) => !s.call || ["all", "filter", "limit"].includes(s.name) === false);
  const target = collection ? pascal(collection.name) : (type?.name ?? "");
  const p: Record<string, unknown> = { ...params(last.call) };
  if (id !== undefined) {
    if (type?.name === "Bucket") p.Bucket = id;
    else if (type?.name === "Table") p.TableName = id;
    else if (type?.name === "Instance") p.InstanceIds = [id];
    else p[`${type?.name}Name`] = id;
  }
  if (!collection && type?.name === "Instance")
    return { kind: "aws", service, operation: `${pascal(last.name)}Instances`, params: p, via };
  return { kind: "aws", service, operation: pascal(last.name) + target, params: p, via };
}

/** JS SDK v3 `new DeleteBucketCommand({…})`, the v3 aggregated client and v2 `new AWS.S3().deleteBucket({…})`. */
function awsJs(call: Call, via: string): Effect | undefined {
  const chain = call.chain;
  const root = chain[0]?.name ?? "";
  const last = chain[chain.length - 1];
  if (!last) return undefined;
  const v3 = /^@aws-sdk\/client-(.+)$/.exec(root);
  if (v3?.[1] && call.isNew && last.name.endsWith("Command") && chain.length === 2)
    return {
      kind: "aws",
      service: v3[1],
      operation: last.name.slice(0, -"Command".length),
      params: params(last.call),
      via,
    };
  if (v3?.[1] && chain.length === 3 && chain[1]?.call && last.call)
    return { kind: "aws", service: v3[1], operation: pascal(last.name), params: params(last.call), via };
  const ruby = /^Aws::(\w+)::Client$/.exec(root);
  if (ruby?.[1] && chain[1]?.name === "new" && chain.length === 3 && last.call)
    return {
      kind: "aws",
      service: ruby[1].toLowerCase(),
      operation: pascal(last.name),
      params: params(last.call),
      via,
    };
  if (root === "aws-sdk" && chain.length === 3 && chain[1]?.call && last.call)
    return {
      kind: "aws",
      service: (chain[1]?.name ?? "").toLowerCase(),
      operation: pascal(last.name),
      params: params(last.call),
      via,
    };
  return undefined;
}

const CLOUD_ROOTS =
  /^(google\.cloud|google\.api_core|googleapiclient|@google-cloud\/|firebase-admin|azure\.|@azure\/|Google::Cloud|Azure::)/;
const DESTROYS = /^(begin_)?(delete|destroy|drop|purge|remove|wipe)|^(delete|destroy|drop|purge)[A-Z_]/i;

/** Google Cloud and Azure SDKs: a delete method on anything reached from the SDK. */
function cloudDelete(call: Call, via: string): Effect | undefined {
  const path = pathOf(call.chain);
  const last = call.chain[call.chain.length - 1];
  if (!CLOUD_ROOTS.test(path) || !last?.call || !DESTROYS.test(last.name)) return undefined;
  const names = call.chain
    .flatMap((s) => (s.call ? s.call.args.map(textOf) : []))
    .filter((x) => x !== undefined);
  return { kind: "cloud", what: `${path}`, name: names.join("/") || undefined, via };
}

const SQL_METHODS =
  /^(execute|executemany|executescript|exec_driver_sql|query|raw|exec|none|any|many|one|oneOrNone|\$executeRawUnsafe|\$queryRawUnsafe|\$executeRaw|\$queryRaw|sql|prepare)$/;
const SQL_TEXT =
  /^\s*(select|insert|update|delete|drop|truncate|alter|create|grant|revoke|with|copy|merge|replace|vacuum|reindex|do|call|comment|lock|set|begin|commit|pragma)\b/i;
const DB_ROOTS =
  /^(psycopg2?|asyncpg|pg|postgres|pg-promise|mysql2?|pymysql|MySQLdb|mysql\.connector|sqlite3|better-sqlite3|sqlalchemy|knex|sequelize|@prisma\/client|PG|Mysql2|SQLite3|Sequel|ActiveRecord|PDO|mysqli|databases|django\.db|peewee|pony)/;

function engineOf(path: string): "postgres" | "mysql" | "sqlite" {
  if (/mysql|MySQLdb|Mysql2|mysqli/i.test(path)) return "mysql";
  if (/sqlite/i.test(path)) return "sqlite";
  return "postgres";
}

/** The SQL text of an argument: a string, or SQLAlchemy's `text("…")`. */
function sqlText(v: Value | undefined): string | undefined {
  if (v?.t === "str") return v.s;
  if (v?.t === "ref") {
    const last = v.chain[v.chain.length - 1];
    if (last?.name === "text" && last.call) return textOf(last.call.args[0]);
  }
  return undefined;
}

/** What the connection was opened with (`connect("dbname=prod")`, `new PDO("mysql:host=…")`), credentials left out. */
function connectionNames(chain: Segment[]): string[] {
  return chain
    .slice(0, -1)
    .flatMap((s) => (s.call ? [...s.call.args, ...s.call.kwargs.values()] : []))
    .flatMap((v) => (v.t === "obj" ? [...v.fields.values()] : [v]))
    .map(textOf)
    .filter((t): t is string => t !== undefined && t.length < 300)
    .map((t) => t.replace(/\/\/[^@/\s]*@/, "//").replace(/password=\S*/gi, ""));
}

function sql(call: Call, via: string): Effect | undefined {
  const last = call.chain[call.chain.length - 1];
  if (!last?.call || !SQL_METHODS.test(last.name)) return undefined;
  const path = pathOf(call.chain);
  const text = sqlText(last.call.args[0]);
  if (text !== undefined && SQL_TEXT.test(text))
    return { kind: "sql", sql: text, engine: engineOf(path), hints: connectionNames(call.chain), via };
  if (text === undefined && DB_ROOTS.test(path) && last.call.args[0] !== undefined)
    return { kind: "opaque", why: `${path} runs SQL only known at run time`, via };
  return undefined;
}

const HTTP_ROOTS =
  /^(requests|httpx|aiohttp|urllib3|axios|got|superagent|node-fetch|ky|HTTParty|Faraday|RestClient|Net::HTTP|GuzzleHttp)/;
const MUTATIONS = /^(delete|post|put|patch|del)$/i;

function http(call: Call, via: string): Effect | undefined {
  const path = pathOf(call.chain);
  const last = call.chain[call.chain.length - 1];
  const a = last?.call;
  if (!last || !a) return undefined;
  if (path === "fetch" || path === "node-fetch") {
    const options = a.args[1];
    const method = options?.t === "obj" ? textOf(options.fields.get("method")) : "GET";
    if (method === undefined)
      return { kind: "opaque", why: "fetch with a method only known at run time", via };
    const url = textOf(a.args[0]);
    return method.toUpperCase() === "GET" || url === undefined
      ? undefined
      : { kind: "http", method, url, via };
  }
  if (!HTTP_ROOTS.test(path)) return undefined;
  if (MUTATIONS.test(last.name)) {
    const url = textOf(a.args[0] ?? a.kwargs.get("url"));
    const method = last.name.toLowerCase() === "del" ? "DELETE" : last.name.toUpperCase();
    return url === undefined
      ? { kind: "opaque", why: `${path} to a URL only known at run time`, via }
      : { kind: "http", method, url, via };
  }
  if (last.name === "request" || call.chain.length === 1) {
    const first = a.args[0];
    const method =
      first?.t === "obj" ? textOf(first.fields.get("method")) : textOf(first ?? a.kwargs.get("method"));
    const url =
      first?.t === "obj" ? textOf(first.fields.get("url")) : textOf(a.args[1] ?? a.kwargs.get("url"));
    if (method && url && method.toUpperCase() !== "GET")
      return { kind: "http", method: method.toUpperCase(), url, via };
  }
  return undefined;
}

export function serviceEffect(call: Call, via: string): Effect | undefined {
  return boto3(call, via) ?? awsJs(call, via) ?? cloudDelete(call, via) ?? sql(call, via) ?? http(call, via);
}
