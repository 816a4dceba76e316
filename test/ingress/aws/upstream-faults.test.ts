import http from "node:http";
import type { AddressInfo } from "node:net";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../http/harness.js";
import { type AwsAirlock, auditEntries, freePort, makeAgent, startAwsAirlock } from "./harness.js";

/**
 * An upstream that fails: AWS cannot fail on request, so a small server stands in for a faulty AWS
 * (the agent's side is the real JavaScript SDK, airlock is the real `airlock serve`). The agent gets
 * the error, and the audit log records how each call ended.
 */
let faulty: http.Server;
let airlock: AwsAirlock;
let refusing: AwsAirlock;

beforeAll(async () => {
  faulty = http.createServer((req, res) => {
    const path = req.url ?? "";
    if (req.method === "POST" && path === "/") {
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(
        "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>210987654321</Account></GetCallerIdentityResult></GetCallerIdentityResponse>",
      );
    } else if (path.startsWith("/dev-faults/err500")) {
      res.writeHead(500, { "content-type": "application/xml", "x-amz-request-id": "FAULT500" });
      res.end(
        "<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>FAULT500</RequestId></Error>",
      );
    } else if (path.startsWith("/dev-faults/reset")) {
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": "100000",
        "x-amz-request-id": "FAULTRESET",
      });
      res.write(Buffer.alloc(1000, "x"), () => setTimeout(() => res.socket?.destroy(), 50));
    } else if (path.startsWith("/dev-faults/hang")) {
      // Never answers.
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => faulty.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(faulty.address() as AddressInfo).port}`;
  airlock = await startAwsAirlock(url, { extraYaml: "  upstreamTimeoutSeconds: 1\n" });
  refusing = await startAwsAirlock(`http://127.0.0.1:${await freePort()}`);
}, 60_000);

afterAll(async () => {
  await airlock?.stop();
  await refusing?.stop();
  faulty?.closeAllConnections();
  await new Promise((resolve) => faulty?.close(resolve));
});

const s3For = (a: AwsAirlock) =>
  new S3Client({
    endpoint: a.awsUrl,
    region: "us-east-1",
    credentials: makeAgent(a.dataDir, "kiro-7", "alice"),
    forcePathStyle: true,
    maxAttempts: 1,
  });
/** The outcome entries, once `match` is among them: airlock records an outcome after the agent has its answer. */
const outcomes = (a: AwsAirlock, match: Record<string, unknown>) =>
  until(async () => {
    const found = auditEntries(a.dataDir).filter((e) => e.type === "outcome.reported");
    return found.some((e) => expect.objectContaining(match).asymmetricMatch(e)) ? found : undefined;
  });

describe("upstream faults", () => {
  it("passes AWS's 5xx on as it is, and records it", async () => {
    const err = await s3For(airlock)
      .send(new GetObjectCommand({ Bucket: "dev-faults", Key: "err500" }))
      .catch((e: Error) => e);
    expect((err as Error).name).toBe("InternalError");
    await outcomes(airlock, {
      ok: false,
      status: 500,
      awsRequestId: "FAULT500",
      account: "210987654321",
    });
  });

  it("breaks the agent's answer off when upstream resets mid-stream, and records it", async () => {
    const got = await s3For(airlock).send(new GetObjectCommand({ Bucket: "dev-faults", Key: "reset" }));
    await expect(got.Body?.transformToByteArray()).rejects.toThrow();
    await outcomes(airlock, {
      ok: false,
      status: 200,
      awsRequestId: "FAULTRESET",
      message: expect.stringContaining("broke off"),
    });
  });

  it("answers AirlockUpstreamError when upstream does not answer in time, or refuses the connection", async () => {
    const hung = await s3For(airlock)
      .send(new GetObjectCommand({ Bucket: "dev-faults", Key: "hang" }))
      .catch((e: Error) => e);
    expect((hung as Error).name).toBe("AirlockUpstreamError");
    expect((hung as Error).message).toContain("did not answer");
    const refused = await s3For(refusing)
      .send(new GetObjectCommand({ Bucket: "dev-faults", Key: "x" }))
      .catch((e: Error) => e);
    expect((refused as Error).name).toBe("AirlockUpstreamError");
    expect((refused as Error).message).toContain("ECONNREFUSED");
    await outcomes(airlock, { ok: false, message: expect.stringContaining("did not answer") });
    await outcomes(refusing, { ok: false, message: expect.stringContaining("ECONNREFUSED") });
  });
});
