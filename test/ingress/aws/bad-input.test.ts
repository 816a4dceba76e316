import { connect } from "node:net";
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlockSync } from "../http/harness.js";
import {
  type AgentKeys,
  type AwsAirlock,
  auditEntries,
  type Moto,
  makeAgent,
  startAwsAirlock,
  startMoto,
  UPSTREAM_ENV,
} from "./harness.js";
import { errorCode, type RawAnswer, type RawRequest, send, signRequest } from "./raw-request.js";

/**
 * Bad input at the AWS endpoint: each gets a clear AWS-shaped error, nothing reaches moto, and each
 * refusal is an audit entry. Requests are signed by AWS's own signer and tampered with afterwards.
 */
let moto: Moto;
let airlock: AwsAirlock;
let agent: AgentKeys;
let s3: S3Client;
let ddb: DynamoDBClient;
const TABLE = "dev-counters";
const BUCKET = "dev-bucket";

beforeAll(async () => {
  moto = await startMoto();
  airlock = await startAwsAirlock(moto.url, { extraYaml: "  regions: [us-east-1]\n" });
  agent = makeAgent(airlock.dataDir, "kiro-7", "alice");
  const upstream = {
    endpoint: moto.url,
    region: "us-east-1",
    credentials: {
      accessKeyId: UPSTREAM_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: UPSTREAM_ENV.AWS_SECRET_ACCESS_KEY,
    },
  };
  s3 = new S3Client({ ...upstream, forcePathStyle: true });
  ddb = new DynamoDBClient(upstream);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await ddb.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    }),
  );
}, 60_000);

afterAll(async () => {
  if (process.env.DEBUG_AIRLOCK) process.stderr.write(airlock?.stderr() ?? "");
  await airlock?.stop();
  await moto?.stop();
});

const dynamo = (target: string, body: unknown, extra: Partial<Parameters<typeof signRequest>[0]> = {}) =>
  signRequest({
    endpoint: airlock.awsUrl,
    keys: agent,
    service: "dynamodb",
    method: "POST",
    path: "/",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `DynamoDB_20120810.${target}` },
    body: JSON.stringify(body),
    ...extra,
  });
const putItem = (id: string) => ({ TableName: TABLE, Item: { id: { S: id } } });
const s3Put = (path: string, body: string, extra: Partial<Parameters<typeof signRequest>[0]> = {}) =>
  signRequest({
    endpoint: airlock.awsUrl,
    keys: agent,
    service: "s3",
    method: "PUT",
    path,
    body,
    s3: true,
    ...extra,
  });
const go = (r: RawRequest) => send(airlock.awsUrl, r);
const items = async () =>
  ((await ddb.send(new ScanCommand({ TableName: TABLE }))).Items ?? []).map((i) => i.id?.S);
const objects = async () =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key);

function expectAws(answer: RawAnswer, code: string, status?: number): void {
  expect(errorCode(answer), answer.body).toBe(code);
  if (status) expect(answer.status).toBe(status);
}

/** Raw bytes on a socket, and whatever comes back until the server closes it. */
function rawSocket(head: string, body: string, halfClose: boolean): Promise<string> {
  const url = new URL(airlock.awsUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      if (head) socket.write(head);
      if (body) socket.write(body);
      if (halfClose) socket.end();
    });
    let got = "";
    socket.on("data", (d) => {
      got += d;
    });
    socket.on("close", () => resolve(got));
    socket.on("error", (err) => (got ? resolve(got) : reject(err)));
  });
}

describe("bad input at the AWS endpoint", () => {
  it("passes a correctly signed call (the baseline the others tamper with)", async () => {
    const ok = await go(await dynamo("PutItem", putItem("baseline")));
    expect(ok.status, ok.body).toBe(200);
    expect(await items()).toContain("baseline");
  });

  it("refuses an unsigned request, a wrong secret, a real AWS key id and a revoked token", async () => {
    const unsigned = await go({
      method: "GET",
      target: "/",
      headers: { host: new URL(airlock.awsUrl).host },
    });
    expectAws(unsigned, "MissingAuthenticationToken", 403);
    const wrong = await go(
      await dynamo("PutItem", putItem("wrong-secret"), {
        keys: { ...agent, secretAccessKey: "x".repeat(40) },
      }),
    );
    expectAws(wrong, "SignatureDoesNotMatch", 403);
    const real = await go(
      await dynamo("PutItem", putItem("real-key"), {
        keys: {
          accessKeyId: "AKIAIOSFODNN7EXAMPLE",
          secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        },
      }),
    );
    expectAws(real, "InvalidClientTokenId", 403);
    expect(real.body).toContain("airlock holds the real credentials");
    const other = makeAgent(airlock.dataDir, "kiro-9", "alice");
    expect(airlockSync(["token", "revoke", "kiro-9", "--data-dir", airlock.dataDir]).status).toBe(0);
    expectAws(
      await go(await dynamo("PutItem", putItem("revoked"), { keys: other })),
      "InvalidClientTokenId",
      403,
    );
    expect(await items()).not.toEqual(expect.arrayContaining(["wrong-secret"]));
    expect(await items()).toEqual(["baseline"]);
  });

  it("refuses a body or a signed header changed after signing", async () => {
    const signed = await dynamo("PutItem", putItem("t1"));
    expectAws(await go({ ...signed, body: JSON.stringify(putItem("t2")) }), "SignatureDoesNotMatch", 403);
    const get = await dynamo("GetItem", { TableName: TABLE, Key: { id: { S: "baseline" } } });
    expectAws(
      await go({ ...get, headers: { ...get.headers, "x-amz-target": "DynamoDB_20120810.DeleteItem" } }),
      "SignatureDoesNotMatch",
    );
    const object = await s3Put(`/${BUCKET}/tampered.txt`, "hello");
    expectAws(await go({ ...object, body: "HELLO" }), "XAmzContentSHA256Mismatch", 400);
    expect(await items()).toEqual(["baseline"]);
    expect(await objects()).toEqual([]);
  });

  it("refuses an old date, an expired presigned URL and a replayed request", async () => {
    const old = await dynamo("PutItem", putItem("old"), { signingDate: new Date(Date.now() - 20 * 60_000) });
    expectAws(await go(old), "RequestTimeTooSkewed", 403);
    const presigned = await signRequest({
      endpoint: airlock.awsUrl,
      keys: agent,
      service: "s3",
      method: "GET",
      path: `/${BUCKET}/x`,
      s3: true,
      presignSeconds: 60,
      signingDate: new Date(Date.now() - 10 * 60_000),
    });
    expectAws(await go(presigned), "RequestExpired", 400);
    const add = await dynamo("UpdateItem", {
      TableName: TABLE,
      Key: { id: { S: "counter" } },
      UpdateExpression: "ADD n :one",
      ExpressionAttributeValues: { ":one": { N: "1" } },
    });
    expect((await go(add)).status).toBe(200);
    expectAws(await go(add), "AirlockReplayedRequest", 403);
    const counter = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: "counter" } } }));
    expect(counter.Item?.n?.N).toBe("1");
  });

  it("refuses a call signed for another region or service, or with its scope changed", async () => {
    expectAws(await go(await dynamo("PutItem", putItem("eu"), { region: "eu-west-1" })), "AccessDenied", 403);
    expectAws(
      await go(await dynamo("PutItem", putItem("as-kinesis"), { service: "kinesis" })),
      "AirlockUnknownOperation",
      400,
    );
    const signed = await dynamo("PutItem", putItem("rescoped"));
    const rescoped = {
      ...signed,
      headers: {
        ...signed.headers,
        authorization: (signed.headers.authorization ?? "").replace(
          "/us-east-1/dynamodb/",
          "/us-east-1/lambda/",
        ),
      },
    };
    expectAws(await go(rescoped), "SignatureDoesNotMatch", 403);
    expect(await items()).not.toEqual(expect.arrayContaining(["eu", "as-kinesis", "rescoped"]));
  });

  it("refuses Host header games and path traversal in S3 keys", async () => {
    const aws = await s3Put(`/${BUCKET}/host.txt`, "x", { endpoint: "http://s3.amazonaws.com" });
    expectAws(await go(aws), "AirlockWrongHost", 400);
    const port = new URL(airlock.awsUrl).port;
    const virtual = await s3Put("/host2.txt", "x", { endpoint: `http://${BUCKET}.localhost:${port}` });
    expectAws(await go(virtual), "AirlockWrongHost", 400);
    expectAws(await go(await s3Put(`/${BUCKET}/../prod-bucket/x`, "x")), "InvalidURI", 400);
    expectAws(await go(await s3Put(`/${BUCKET}/%2E%2E/prod-bucket/x`, "x")), "InvalidURI", 400);
    expect(await objects()).toEqual([]);
  });

  it("refuses an operation AWS's models do not know", async () => {
    const dropped = await go(await dynamo("DropEverything", { TableName: TABLE }));
    expectAws(dropped, "AirlockUnknownOperation", 400);
    expect(dropped.body).toContain("DropEverything");
    const sub = await s3Put(`/${BUCKET}`, "<x/>", { query: { frobnicate: "" } });
    expectAws(await go(sub), "AirlockUnknownOperation", 400);
    expect(await items()).toContain("baseline");
  });

  it("refuses a Content-Length larger than the body, and a client that sends nothing", async () => {
    const signed = await dynamo("PutItem", putItem("short"));
    const head = `POST / HTTP/1.1\r\n${Object.entries({ ...signed.headers, "content-length": "5000" })
      .map(([k, v]) => `${k}: ${v}`)
      .join("\r\n")}\r\n\r\n`;
    const stalled = await rawSocket(head, String(signed.body), false);
    expect(stalled).toMatch(/<Code>(RequestTimeout|IncompleteBody)<\/Code>/);
    const closed = await rawSocket(head, String(signed.body), true);
    expect(closed).toContain("<Code>IncompleteBody</Code>");
    const nothing = await rawSocket("", "", false);
    expect(nothing).toContain("<Code>RequestTimeout</Code>");
    expect(await items()).not.toContain("short");
  });

  it("records every refusal in the audit log, and the log verifies", async () => {
    const codes = auditEntries(airlock.dataDir)
      .filter((e) => e.type === "request.rejected" && e.ingress === "aws")
      .map((e) => e.code);
    for (const code of [
      "MissingAuthenticationToken",
      "SignatureDoesNotMatch",
      "InvalidClientTokenId",
      "XAmzContentSHA256Mismatch",
      "RequestTimeTooSkewed",
      "RequestExpired",
      "AirlockReplayedRequest",
      "AccessDenied",
      "AirlockUnknownOperation",
      "AirlockWrongHost",
      "InvalidURI",
      "RequestTimeout",
      "IncompleteBody",
    ])
      expect(codes).toContain(code);
    expect(
      airlockSync(["audit", "verify", "--data-dir", airlock.dataDir, "--key", airlock.verifierKey]).status,
    ).toBe(0);
  });
});
