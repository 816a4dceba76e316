import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { promisify } from "node:util";
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Identity } from "../../../src/approvals/identity.js";
import { ApprovalService } from "../../../src/approvals/service.js";
import { hashToken, issueToken } from "../../../src/approvals/tokens.js";
import { type AwsEndpointConfig, awsEndpointConfig } from "../../../src/ingress/aws/config.js";
import { credentialsFor, loadOrCreateCredentialsKey } from "../../../src/ingress/aws/credentials.js";
import { type RunningAwsEndpoint, startAwsEndpoint } from "../../../src/ingress/aws/server.js";
import { loadPolicy } from "../../../src/local/policy-file.js";
import { StoreUnavailable } from "../../../src/store/errors.js";
import { SqliteStore } from "../../../src/store/sqlite/store.js";
import { entries as entriesOf } from "../../approvals/monitor-fixtures.js";
import { DoorStore } from "../../store/door-store.js";
import { until } from "../http/harness.js";
import { agentEnv, type Moto, startMoto, UPSTREAM_ENV } from "./harness.js";

/**
 * When a call's audit entry is durable: an allowed read is forwarded before it is (aws.readEntryDelayMs),
 * anything that may write only after. The endpoint runs in this process over the real store with its
 * commits held at the door while a test says so, so what reaches moto, and what the client gets when
 * an entry cannot be written, is seen without timing anything.
 */
let moto: Moto;
let dir: string;
let store: SqliteStore;
let door: DoorStore;
let endpoint: RunningAwsEndpoint;
let keys: { accessKeyId: string; secretAccessKey: string };
const logs: string[] = [];
const TABLE = "dev-durability";
const BUCKET = "dev-durability";
const real = {
  accessKeyId: UPSTREAM_ENV.AWS_ACCESS_KEY_ID,
  secretAccessKey: UPSTREAM_ENV.AWS_SECRET_ACCESS_KEY,
};
const client = <T>(C: new (c: object) => T, url: string, credentials: object) =>
  new C({ endpoint: url, region: "us-east-1", credentials, forcePathStyle: true, maxAttempts: 1 });
let ddb: DynamoDBClient;
let direct: DynamoDBClient;

const entries = () => entriesOf(store);
const actionOf = (e: Record<string, unknown>) =>
  e.type === "action" ? (e.action as { action?: string }).action : undefined;
const getItem = (c: DynamoDBClient, id: string) =>
  c.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } } }));

beforeAll(async () => {
  moto = await startMoto();
  dir = mkdtempSync(join(tmpdir(), "airlock-aws-durability-"));
  const dataDir = join(dir, "data");
  store = await SqliteStore.open(dataDir);
  door = new DoorStore(store);
  const agent: Identity = { name: "kiro-7", role: "agent", groups: [], onBehalfOf: "alice" };
  const token = await issueToken(store, agent, "test");
  keys = credentialsFor(loadOrCreateCredentialsKey(dataDir), hashToken(token));
  const config = awsEndpointConfig(
    { listen: "127.0.0.1:0", endpoint: moto.url, account: "123456789012", readEntryDelayMs: 5 },
    undefined,
  ) as AwsEndpointConfig;
  endpoint = await startAwsEndpoint({
    config,
    service: new ApprovalService({
      store: door.asStore(),
      policy: await loadPolicy(),
      publicUrl: () => "http://127.0.0.1:1",
    }),
    store,
    identities: new Map(),
    dataDir,
    log: (line) => logs.push(line),
    credentials: async () => real,
  });
  ddb = client(DynamoDBClient, endpoint.url, keys);
  direct = client(DynamoDBClient, moto.url, real);
  await direct.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    }),
  );
  await direct.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: "a" }, v: { S: "x" } } }));
}, 60_000);

afterAll(async () => {
  door?.open();
  await endpoint?.close();
  await store?.close();
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("when a call's audit entry is durable", () => {
  it("records each read through the real AWS CLI once, with its outcome after it", async () => {
    const before = (await entries()).length;
    const aws = (args: string[]) =>
      promisify(execFile)("aws", ["--endpoint-url", endpoint.url, "--output", "json", ...args], {
        env: agentEnv(keys),
      });
    // Three different keys: the identical call signed within the same second is refused as a replay.
    for (const id of ["a", "b", "c"])
      await aws(["dynamodb", "get-item", "--table-name", TABLE, "--key", `{"id":{"S":"${id}"}}`]);
    await aws(["dynamodb", "describe-table", "--table-name", TABLE]);
    const fresh = await until(async () => {
      const now = (await entries()).slice(before);
      return now.filter((e) => e.type === "outcome.reported").length >= 4 ? now : undefined;
    }, 50);
    const actions = fresh.filter((e) => e.type === "action");
    expect(actions.map(actionOf)).toEqual([
      "dynamodb:GetItem",
      "dynamodb:GetItem",
      "dynamodb:GetItem",
      "dynamodb:DescribeTable",
    ]);
    // Each entry comes before its own outcome, which carries its digest: per digest, they alternate.
    const digestOf = (e: Record<string, unknown>) =>
      e.type === "action" ? (e.decision as { digest?: string }).digest : e.digest;
    for (const digest of new Set(actions.map(digestOf))) {
      const mine = fresh.filter((e) => digestOf(e) === digest).map((e) => e.type);
      const count = actions.filter((e) => digestOf(e) === digest).length;
      expect(mine).toEqual(Array.from({ length: count }, () => ["action", "outcome.reported"]).flat());
    }
  });

  it("answers a read while its entry is not written yet", async () => {
    door.closed = true;
    try {
      // The store takes nothing: the read is answered all the same.
      expect((await getItem(ddb, "a")).Item).toEqual({ id: { S: "a" }, v: { S: "x" } });
      const at = await door.waitFor((e) => actionOf(e) === "dynamodb:GetItem");
      expect(door.held[at]?.change.audit[0]).toMatchObject({ decision: { decision: "allow" } });
    } finally {
      door.open();
    }
  });

  it("forwards a write only once its entry is durable", async () => {
    door.closed = true;
    try {
      const put = ddb.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: "w" } } }));
      await door.waitFor((e) => actionOf(e) === "dynamodb:PutItem");
      // Its entry waits at the door: moto has not seen the write.
      expect((await getItem(direct, "w")).Item).toBeUndefined();
      door.open();
      await put;
      expect((await getItem(direct, "w")).Item).toEqual({ id: { S: "w" } });
    } finally {
      door.open();
    }
  });

  it("refuses every call while a read's entry cannot be written, and goes on once the store takes entries", async () => {
    door.closed = true;
    try {
      // The read was answered before its entry failed (docs/aws.md says so)…
      expect((await getItem(ddb, "a")).Item).toBeDefined();
      const at = await door.waitFor((e) => actionOf(e) === "dynamodb:GetItem");
      door.held.splice(at, 1)[0]?.fail(new StoreUnavailable("disk full"));
      await until(async () => (logs.some((l) => /could not record a read/.test(l)) ? true : undefined), 20);
      // …and from then on a read waits for its own entry: with the store failing, it is refused.
      const next = getItem(ddb, "a").catch((e: Error) => e);
      const again = await door.waitFor((e) => actionOf(e) === "dynamodb:GetItem");
      door.held.splice(again, 1)[0]?.fail(new StoreUnavailable("disk full"));
      const rejected = await door.waitFor((e) => e.type === "request.rejected");
      door.held.splice(rejected, 1)[0]?.fail(new StoreUnavailable("disk full"));
      expect(await next).toMatchObject({
        name: "AccessDenied",
        message: expect.stringMatching(/store_unavailable.*could not record this action \(disk full\)/),
      });
      door.open();
      // The store takes entries again: the read waits for its entry, which is written, and then reads go early again.
      expect((await getItem(ddb, "a")).Item).toBeDefined();
      door.closed = true;
      expect((await getItem(ddb, "a")).Item).toBeDefined();
    } finally {
      door.open();
    }
  });

  it("cuts off a read's answer still streaming when its entry cannot be written", async () => {
    const s3 = client(S3Client, endpoint.url, keys);
    const s3direct = client(S3Client, moto.url, real);
    await s3direct.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // Larger than every buffer between moto and this client, so it cannot all be sent before it is read.
    const size = 32 * 1024 * 1024;
    await s3direct.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: "big",
        Body: Buffer.alloc(size, "a"),
        ContentLength: size,
      }),
    );
    door.closed = true;
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "big" }));
      const at = await door.waitFor((e) => actionOf(e) === "s3:GetObject");
      door.held.splice(at, 1)[0]?.fail(new StoreUnavailable("disk full"));
      await until(async () => (logs.some((l) => /its answer was cut off/.test(l)) ? true : undefined), 20);
      let read = 0;
      const whole = (async () => {
        for await (const chunk of got.Body as Readable) read += (chunk as Buffer).length;
      })();
      await expect(whole).rejects.toThrow();
      expect(read).toBeLessThan(size);
    } finally {
      door.open();
    }
    // The store is back: the next call is written before it goes on, and reads go early again.
    expect((await getItem(ddb, "a")).Item).toBeDefined();
  });
});
