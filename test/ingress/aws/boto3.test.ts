import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AgentKeys,
  type AwsAirlock,
  agentEnv,
  auditEntries,
  awsCli,
  type Moto,
  makeAgent,
  startAwsAirlock,
  startMoto,
} from "./harness.js";

/** boto3 (and the AWS CLI for IAM) through the endpoint, in a Python process that holds only airlock's keys. */
let moto: Moto;
let airlock: AwsAirlock;
let agent: AgentKeys;

beforeAll(async () => {
  moto = await startMoto();
  airlock = await startAwsAirlock(moto.url);
  agent = makeAgent(airlock.dataDir, "kiro-7", "alice");
}, 60_000);

afterAll(async () => {
  await airlock?.stop();
  await moto?.stop();
});

const SCRIPT = String.raw`
import json, os, sys, urllib.request
try:
    import boto3
    from boto3.s3.transfer import TransferConfig
    from botocore.exceptions import ClientError
except ImportError:
    print(json.dumps({"error": "boto3 is missing: pip install boto3"})); sys.exit(3)
endpoint, work = sys.argv[1], sys.argv[2]
out = {}
s3 = boto3.client("s3", endpoint_url=endpoint)
s3.create_bucket(Bucket="dev-boto")
src = os.path.join(work, "src.bin")
with open(src, "wb") as f:
    f.write(os.urandom(12 * 1024 * 1024))
s3.upload_file(src, "dev-boto", "data/src.bin", Config=TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024))
dst = os.path.join(work, "dst.bin")
s3.download_file("dev-boto", "data/src.bin", dst)
out["roundtrip"] = open(src, "rb").read() == open(dst, "rb").read()
s3.put_object(Bucket="dev-boto", Key="hello.txt", Body=b"hello from boto3")
from botocore.config import Config
v4 = boto3.client("s3", endpoint_url=endpoint, config=Config(signature_version="s3v4"))
try:
    urllib.request.urlopen(s3.generate_presigned_url("get_object", Params={"Bucket": "dev-boto", "Key": "hello.txt"}))
except urllib.error.HTTPError as e:
    out["sigv2"] = e.read().decode()
url = v4.generate_presigned_url("get_object", Params={"Bucket": "dev-boto", "Key": "hello.txt"}, ExpiresIn=300)
out["presigned"] = urllib.request.urlopen(url).read().decode()
ddb = boto3.client("dynamodb", endpoint_url=endpoint)
ddb.create_table(TableName="dev-boto-table", BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
ddb.put_item(TableName="dev-boto-table", Item={"id": {"S": "x"}, "n": {"N": "7"}})
out["item"] = ddb.get_item(TableName="dev-boto-table", Key={"id": {"S": "x"}})["Item"]["n"]["N"]
try:
    s3.delete_bucket(Bucket="prod-ledger")
    out["prod"] = "allowed"
except ClientError as e:
    out["prod"] = e.response["Error"]["Code"]
    out["prodMessage"] = e.response["Error"]["Message"]
print(json.dumps(out))
`;

describe("boto3 through the endpoint", () => {
  it("uploads in parts, downloads, presigns, calls DynamoDB, and sees a hold as a ClientError", () => {
    const work = mkdtempSync(join(tmpdir(), "airlock-boto3-"));
    const script = join(work, "agent.py");
    writeFileSync(script, SCRIPT);
    const run = spawnSync("python3", [script, airlock.awsUrl, work], {
      env: agentEnv(agent),
      encoding: "utf8",
    });
    if (run.error)
      throw new Error(
        `python3 did not run (${run.error.message}): apt-get install python3; pip install boto3`,
      );
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}");
    expect(out).toMatchObject({
      roundtrip: true,
      presigned: "hello from boto3",
      item: "7",
      prod: "AirlockHeld",
    });
    expect(out.prodMessage).toContain("retry the identical call after approval");
    expect(out.sigv2).toContain("Signature Version 2, which airlock does not accept");
  });

  it("holds iam attach-user-policy AdministratorAccess (the CLI), and nothing reaches IAM", () => {
    const attach = awsCli(airlock.awsUrl, agent, [
      "iam",
      "attach-user-policy",
      "--user-name",
      "build-bot",
      "--policy-arn",
      "arn:aws:iam::aws:policy/AdministratorAccess",
    ]);
    expect(attach.status).not.toBe(0);
    expect(attach.stderr).toContain(
      "An error occurred (AirlockHeld) when calling the AttachUserPolicy operation",
    );
    const held = auditEntries(airlock.dataDir).find(
      (e) => e.type === "action" && (e.action as { action?: string }).action === "iam:AttachUserPolicy",
    );
    expect(held).toMatchObject({
      agent: "kiro-7",
      onBehalfOf: "alice",
      action: { params: { UserName: "build-bot", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } },
      decision: { decision: "hold" },
    });
    expect(
      auditEntries(airlock.dataDir).some(
        (e) => e.type === "outcome.reported" && e.operation === "iam:AttachUserPolicy",
      ),
    ).toBe(false);
  });
});
