import { createHash, createHmac } from "node:crypto";
import { Readable } from "node:stream";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AgentKeys,
  type AwsAirlock,
  type Moto,
  makeAgent,
  peakRss,
  startAwsAirlock,
  startMoto,
  UPSTREAM_ENV,
} from "./harness.js";
import { send, signRequest } from "./raw-request.js";

/** The AWS SDK for JavaScript v3 against the endpoint, with moto upstream. */
let moto: Moto;
let airlock: AwsAirlock;
let agent: AgentKeys;
let s3: S3Client;
let direct: S3Client;
const BUCKET = "dev-sdk-bucket";

const client = <T>(
  C: new (c: object) => T,
  endpoint: string,
  keys: { accessKeyId: string; secretAccessKey: string },
) => new C({ endpoint, region: "us-east-1", credentials: keys, forcePathStyle: true, maxAttempts: 1 });

beforeAll(async () => {
  moto = await startMoto();
  airlock = await startAwsAirlock(moto.url);
  agent = makeAgent(airlock.dataDir, "kiro-7", "alice");
  s3 = client(S3Client, airlock.awsUrl, agent);
  direct = client(S3Client, moto.url, {
    accessKeyId: UPSTREAM_ENV.AWS_ACCESS_KEY_ID,
    secretAccessKey: UPSTREAM_ENV.AWS_SECRET_ACCESS_KEY,
  });
}, 60_000);

afterAll(async () => {
  await airlock?.stop();
  await moto?.stop();
});

/** `size` bytes of a repeating pattern, made as they are read. */
function pattern(size: number, chunk = 1 << 20): Readable {
  let sent = 0;
  const block = Buffer.alloc(chunk, "airlock-");
  return new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const n = Math.min(chunk, size - sent);
      sent += n;
      this.push(n === chunk ? block : block.subarray(0, n));
    },
  });
}

describe("the AWS SDK for JavaScript v3 through the endpoint", () => {
  it("writes and reads S3 objects in development", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: "notes/a.txt", Body: "hello through airlock" }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "notes/a.txt" }));
    expect(await got.Body?.transformToString()).toBe("hello through airlock");
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "notes/a.txt" }));
    expect(head.ContentLength).toBe(21);
    const upstream = await direct.send(new GetObjectCommand({ Bucket: BUCKET, Key: "notes/a.txt" }));
    expect(await upstream.Body?.transformToString()).toBe("hello through airlock");
  });

  it("counts its reads and writes in /metrics, as every edge's decisions are", async () => {
    const allowed = async () => {
      const text = await (await fetch(`${airlock.url}/metrics`)).text();
      return Number(/^airlock_decisions_total\{verdict="allow",kind="aws"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    const before = await allowed();
    // A read (forwarded before its entry is durable) and a write (after).
    await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "notes/a.txt" }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "notes/b.txt", Body: "b" }));
    expect(await allowed()).toBe(before + 2);
  });

  it("uploads in parts (multipart)", async () => {
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "parts.bin" }),
    );
    const parts = [];
    for (let n = 1; n <= 2; n++) {
      const body = Buffer.alloc(n === 1 ? 5 * 1024 * 1024 : 1024, String(n));
      const part = await s3.send(
        new UploadPartCommand({ Bucket: BUCKET, Key: "parts.bin", UploadId, PartNumber: n, Body: body }),
      );
      parts.push({ ETag: part.ETag, PartNumber: n });
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: "parts.bin",
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    const head = await direct.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "parts.bin" }));
    expect(head.ContentLength).toBe(5 * 1024 * 1024 + 1024);
  });

  it("streams a 96 MiB upload and download through at constant memory", async () => {
    const size = 96 * 1024 * 1024;
    await direct.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: "big.bin", Body: pattern(size), ContentLength: size }),
    );
    const before = peakRss(airlock.pid);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "big.bin" }));
    const hash = createHash("sha256");
    let received = 0;
    for await (const chunk of got.Body as Readable) {
      hash.update(chunk as Buffer);
      received += (chunk as Buffer).length;
    }
    expect(received).toBe(size);
    const expected = createHash("sha256");
    for await (const chunk of pattern(size)) expected.update(chunk as Buffer);
    expect(hash.digest("hex")).toBe(expected.digest("hex"));
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: "big-up.bin", Body: pattern(size), ContentLength: size }),
    );
    expect(
      (await direct.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "big-up.bin" }))).ContentLength,
    ).toBe(size);
    // Neither direction held the object in airlock's memory: the peak grew by less than the object
    // itself (a bound on the object, not a tuned figure: the garbage collector's timing moves the
    // peak by tens of MiB on a busy machine).
    expect(peakRss(airlock.pid) - before).toBeLessThan(size);
  });

  it("accepts a chunk-signed upload (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) and refuses a tampered chunk", async () => {
    const upload = async (key: string, tamper: boolean) => {
      const chunks = [Buffer.alloc(64 * 1024, "a"), Buffer.alloc(1000, "b")];
      const length = chunks.reduce((n, c) => n + c.length, 0);
      const headers = {
        "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "x-amz-decoded-content-length": String(length),
        "content-encoding": "aws-chunked",
      };
      const bodyLength = (sizes: number[]) =>
        sizes.reduce((n, s) => n + s.toString(16).length + ";chunk-signature=".length + 64 + 4 + s, 0);
      const encodedLength = bodyLength([...chunks.map((c) => c.length), 0]);
      const signed = await signRequest({
        endpoint: airlock.awsUrl,
        keys: agent,
        service: "s3",
        method: "PUT",
        path: `/${BUCKET}/${key}`,
        s3: true,
        headers: { ...headers, "content-length": String(encodedLength) },
      });
      const amzDate = signed.headers["x-amz-date"] ?? "";
      const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
      let previous = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization ?? "")?.[1] ?? "";
      const hmac = (k: Buffer | string, d: string) => createHmac("sha256", k).update(d).digest();
      const key4 = hmac(
        hmac(hmac(hmac(`AWS4${agent.secretAccessKey}`, amzDate.slice(0, 8)), "us-east-1"), "s3"),
        "aws4_request",
      );
      const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
      const parts: Buffer[] = [];
      for (const data of [...chunks, Buffer.alloc(0)]) {
        const sts = ["AWS4-HMAC-SHA256-PAYLOAD", amzDate, scope, previous, sha(""), sha(data)].join("\n");
        previous = createHmac("sha256", key4).update(sts).digest("hex");
        const sent = tamper && data.length === 1000 ? Buffer.alloc(1000, "c") : data;
        parts.push(
          Buffer.from(`${data.length.toString(16)};chunk-signature=${previous}\r\n`),
          sent,
          Buffer.from("\r\n"),
        );
      }
      const body = Buffer.concat(parts);
      expect(body.length).toBe(encodedLength);
      return send(airlock.awsUrl, { ...signed, body });
    };
    const ok = await upload("chunked.txt", false);
    expect(ok.status, ok.body).toBe(200);
    const stored = await direct.send(new GetObjectCommand({ Bucket: BUCKET, Key: "chunked.txt" }));
    expect((await stored.Body?.transformToByteArray())?.length).toBe(64 * 1024 + 1000);
    const bad = await upload("tampered-chunk.txt", true);
    expect(bad.body).toContain("<Code>SignatureDoesNotMatch</Code>");
    await expect(
      direct.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "tampered-chunk.txt" })),
    ).rejects.toThrow();
  });

  it("serves a presigned URL", async () => {
    const url = await signRequest({
      endpoint: airlock.awsUrl,
      keys: agent,
      service: "s3",
      method: "GET",
      path: `/${BUCKET}/notes/a.txt`,
      s3: true,
      presignSeconds: 300,
    });
    const answer = await fetch(`${airlock.awsUrl}${url.target}`);
    expect(answer.status, `${url.target} ${await answer.clone().text()}`).toBe(200);
    expect(await answer.text()).toBe("hello through airlock");
  });

  it("calls DynamoDB and CloudFormation", async () => {
    const ddb = client(DynamoDBClient, airlock.awsUrl, agent);
    await ddb.send(
      new CreateTableCommand({
        TableName: "dev-items",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      }),
    );
    await ddb.send(new PutItemCommand({ TableName: "dev-items", Item: { pk: { S: "a" }, v: { N: "1" } } }));
    const item = await ddb.send(new GetItemCommand({ TableName: "dev-items", Key: { pk: { S: "a" } } }));
    expect(item.Item?.v?.N).toBe("1");
    const q = await ddb.send(
      new QueryCommand({
        TableName: "dev-items",
        KeyConditionExpression: "pk = :p",
        ExpressionAttributeValues: { ":p": { S: "a" } },
      }),
    );
    expect(q.Count).toBe(1);
    const cfn = client(CloudFormationClient, airlock.awsUrl, agent);
    expect((await cfn.send(new DescribeStacksCommand({}))).Stacks).toEqual([]);
  });

  it("shows a hold as an error the SDK raises with its code", async () => {
    const err = await s3
      .send(new DeleteObjectCommand({ Bucket: "prod-ledger", Key: "2026/ledger.csv" }))
      .catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe("AirlockHeld");
    expect((err as Error).message).toContain("retry the identical call after approval");
  });
});
