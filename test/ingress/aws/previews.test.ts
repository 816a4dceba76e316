import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteObjectsCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, makeToken, until } from "../http/harness.js";
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
  UPSTREAM_ENV,
} from "./harness.js";

/**
 * What approvers see, and the recovery points airlock takes, for the destructive calls issue 14 names:
 * real clients (the AWS CLI v1, boto3, the JavaScript SDK v3) through a real `airlock serve` to a real
 * moto_server, which airlock reads with its own credentials before a request is shown.
 */
const policy = (skipFinalSnapshot: "rewrite" | "refuse") => `version: 1
name: aws-previews-test
settings:
  snapshotBeforeDelete: { aws: { skipFinalSnapshot: ${skipFinalSnapshot} } }
rules:
  - id: everything-else-allowed
    reason: the upstream is an emulator
    match: {}
    decision: allow
  - id: destruction-needs-one
    reason: destruction needs another person
    match:
      operation: ["cloudformation:DeleteStack", "elasticbeanstalk:TerminateEnvironment", "rds:DeleteDB*", "dynamodb:DeleteTable", "s3:DeleteBucket", "s3:DeleteObjects", "ec2:TerminateInstances", "iam:Attach*Policy"]
    decision: hold
    approvals: { required: 1 }
  - id: bulk-object-deletes-denied
    reason: an agent does not delete more than three objects in one call
    match: { operation: "s3:DeleteObjects" }
    when: 'size(action.params.Delete.Objects) > 3'
    decision: deny
`;

/** Made upstream with airlock's (moto's) credentials, directly: what the agent will try to destroy. */
const SETUP = String.raw`
import json, sys
import boto3
e = sys.argv[1]
c = lambda s: boto3.client(s, endpoint_url=e, region_name="us-east-1")
s3 = c("s3")
s3.create_bucket(Bucket="ledger-prod")
s3.put_bucket_versioning(Bucket="ledger-prod", VersioningConfiguration={"Status": "Enabled"})
for k, n in (("a.csv", 10), ("b.csv", 20), ("c.csv", 30)):
    s3.put_object(Bucket="ledger-prod", Key=k, Body=b"x" * n)
s3.create_bucket(Bucket="scratch-prod")
s3.put_object(Bucket="scratch-prod", Key="x.csv", Body=b"12345")
ddb = c("dynamodb")
ddb.create_table(TableName="orders-prod", BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
for i in range(3):
    ddb.put_item(TableName="orders-prod", Item={"id": {"S": str(i)}, "v": {"S": "x" * 10}})
rds = c("rds")
for name in ("billing-prod", "audit-prod"):
    rds.create_db_instance(DBInstanceIdentifier=name, Engine="postgres", DBInstanceClass="db.t3.micro",
        AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="secret-password-1")
ec2 = c("ec2")
image = ec2.describe_images()["Images"][0]["ImageId"]
run = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.small",
    TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web-prod"}]}])
instance = run["Instances"][0]["InstanceId"]
volumes = [b["Ebs"]["VolumeId"] for b in ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["BlockDeviceMappings"]]
c("iam").create_user(UserName="deployer")
eb = c("elasticbeanstalk")
eb.create_application(ApplicationName="shop")
eb.create_environment(ApplicationName="shop", EnvironmentName="shop-prod")
print(json.dumps({"instance": instance, "volumes": volumes}))
`;

/** Read upstream directly, as an operator would check what is left. */
const INSPECT = String.raw`
import json, sys
import boto3
e = sys.argv[1]
c = lambda s: boto3.client(s, endpoint_url=e, region_name="us-east-1")
out = {}
out["dbSnapshots"] = [s["DBSnapshotIdentifier"] for s in c("rds").describe_db_snapshots()["DBSnapshots"]]
out["dbInstances"] = [d["DBInstanceIdentifier"] for d in c("rds").describe_db_instances()["DBInstances"]]
out["backups"] = [b["BackupArn"] for b in c("dynamodb").list_backups()["BackupSummaries"]]
out["tables"] = c("dynamodb").list_tables()["TableNames"]
out["ebsSnapshots"] = [{"id": s["SnapshotId"], "volume": s["VolumeId"], "description": s.get("Description", "")} for s in c("ec2").describe_snapshots(OwnerIds=["self"])["Snapshots"]]
out["scratch"] = [o["Key"] for o in c("s3").list_objects_v2(Bucket="scratch-prod").get("Contents", [])]
out["ledger"] = [o["Key"] for o in c("s3").list_objects_v2(Bucket="ledger-prod").get("Contents", [])]
print(json.dumps(out))
`;

function python(script: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  const run = spawnSync("python3", ["-c", script, ...args], { env, encoding: "utf8" });
  if (run.error) throw new Error(`python3 did not run (${run.error.message})`);
  if (run.status !== 0) {
    if (/No module named 'boto3'/.test(run.stderr)) throw new Error("boto3 is missing: pip install boto3");
    throw new Error(`python3 failed (${run.status}): ${run.stderr}`);
  }
  return JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "null");
}

/**
 * The API, one connection per call: the clients this test runs synchronously block its event loop for
 * seconds, so a kept-alive socket the server closed meanwhile would still look usable.
 */
const api = (server: { url: string }, method: string, path: string, token?: string, body?: unknown) =>
  call(server, method, path, token, body, { connection: "close" });

const upstreamEnv = { ...process.env, ...UPSTREAM_ENV, AWS_DEFAULT_REGION: "us-east-1" };

/** airlock's own calls (previews, recovery points, STS) wait on moto as long as a shared machine needs. */
const PATIENT = "  ownCallTimeoutSeconds: 600\n";

let moto: Moto;
let airlock: AwsAirlock;
let agent: AgentKeys;
let ops: AgentKeys;
let auditor: AgentKeys;
let bob: string;
let setup: { instance: string; volumes: string[] };

beforeAll(async () => {
  moto = await startMoto();
  const dir = mkdtempSync(join(tmpdir(), "airlock-previews-"));
  writeFileSync(join(dir, "policy.yaml"), policy("rewrite"));
  // A shared credentials file with the profile `sandbox` (airlock's own keys stay in its environment).
  writeFileSync(
    join(dir, "credentials"),
    "[sandbox]\naws_access_key_id = AKIASANDBOXPROFILE01\naws_secret_access_key = sandbox-secret\n",
  );
  airlock = await startAwsAirlock(moto.url, {
    policy: join(dir, "policy.yaml"),
    extraYaml: `${PATIENT}  accounts:\n    - agents: ["ops-*"]\n      roleArn: arn:aws:iam::111111111111:role/airlock-ops\n    - agents: [audit-1]\n      profile: sandbox\n`,
    env: { AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials") },
  });
  agent = makeAgent(airlock.dataDir, "kiro-7", "alice");
  ops = makeAgent(airlock.dataDir, "ops-1", "alice");
  auditor = makeAgent(airlock.dataDir, "audit-1", "alice");
  bob = makeToken(airlock.dataDir, ["--name", "bob", "--role", "approver"]);
  setup = python(SETUP, upstreamEnv, moto.url);
}, 120_000);

afterAll(async () => {
  await airlock?.stop();
  await moto?.stop();
});

/** The CLI, run again when the identical call fell into the same second (AirlockReplayedRequest). */
const cli = (keys: AgentKeys, ...args: string[]) => {
  for (;;) {
    const run = awsCli(airlock.awsUrl, keys, args);
    if (!run.stderr.includes("AirlockReplayedRequest")) return run;
  }
};

/** boto3 in the agent's environment: one call, its error code and message if it failed. */
const BOTO = String.raw`
import json, sys
import boto3
from botocore.exceptions import ClientError
endpoint, service, op, params = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
try:
    r = getattr(boto3.client(service, endpoint_url=endpoint, region_name="us-east-1"), op)(**params)
    r.pop("ResponseMetadata", None)
    print(json.dumps({"ok": r}, default=str))
except ClientError as e:
    print(json.dumps({"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}))
`;
/** boto3, run again when the identical call fell into the same second (AirlockReplayedRequest). */
const boto = (service: string, op: string, params: object) => {
  for (;;) {
    const run = python(BOTO, agentEnv(agent), airlock.awsUrl, service, op, JSON.stringify(params)) as {
      ok?: Record<string, unknown>;
      code?: string;
      message?: string;
    };
    if (run.code !== "AirlockReplayedRequest") return run;
  }
};

const requestIdIn = (text: string) => /request (r_[A-Za-z0-9_-]+)/.exec(text)?.[1];

interface Preview {
  summary: string;
  error?: string;
  recoveryPoint?: string;
  resources?: Record<string, unknown>[];
}

async function heldRequest(id: string | undefined) {
  expect(id).toBeDefined();
  const r = await api(airlock, "GET", `/v1/requests/${id}`, bob);
  return {
    digest: r.json.digest as string,
    preview: (r.json.action as { airlockPreview: Preview }).airlockPreview,
    json: r.json,
  };
}

async function approve(id: string, digest: string) {
  const voted = await api(airlock, "POST", `/v1/requests/${id}/approve`, bob, { digest });
  expect(voted.status, JSON.stringify(voted.json)).toBe(200);
}

/** The request's page as a signed-in approver sees it. */
async function page(id: string): Promise<string> {
  const login = await fetch(`${airlock.url}/login`, {
    method: "POST",
    body: new URLSearchParams({ token: bob }),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      connection: "close",
      origin: airlock.url,
      "sec-fetch-site": "same-origin",
    },
    redirect: "manual",
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return (await fetch(`${airlock.url}/requests/${id}`, { headers: { cookie, connection: "close" } })).text();
}

const s3 = () =>
  new S3Client({
    endpoint: airlock.awsUrl,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: agent,
    maxAttempts: 1,
  });

describe("previews for approvers, read upstream before the request is shown", () => {
  it("Elastic Beanstalk TerminateEnvironment: the environment, and says what it could not read", async () => {
    const held = cli(agent, "elasticbeanstalk", "terminate-environment", "--environment-name", "shop-prod");
    expect(held.stderr).toContain("AirlockHeld");
    const { preview } = await heldRequest(requestIdIn(held.stderr));
    expect(preview.summary).toContain("terminates environment shop-prod");
    expect(preview.summary).toContain("of application shop");
    expect(preview.resources?.[0]).toMatchObject({
      type: "AWS::ElasticBeanstalk::Environment",
      id: "shop-prod",
    });
    // moto has no DescribeEnvironmentResources: the preview says so, and the call is held all the same.
    expect(preview.error).toContain("the environment's resources could not be read");
  });

  it("S3 DeleteBucket: the objects it still holds and their size", async () => {
    const held = cli(agent, "s3api", "delete-bucket", "--bucket", "ledger-prod");
    const { preview } = await heldRequest(requestIdIn(held.stderr));
    expect(preview.summary).toContain("holds 3 objects (60 bytes");
    expect(preview.summary).toContain("versioning Enabled");
  });

  it("IAM AttachUserPolicy AdministratorAccess: the policy's effective actions", async () => {
    const held = cli(
      agent,
      "iam",
      "attach-user-policy",
      "--user-name",
      "deployer",
      "--policy-arn",
      "arn:aws:iam::aws:policy/AdministratorAccess",
    );
    expect(held.stderr).toContain("AirlockHeld");
    const { preview } = await heldRequest(requestIdIn(held.stderr));
    expect(preview.error).toBeUndefined();
    expect(preview.summary).toContain("gives deployer arn:aws:iam::aws:policy/AdministratorAccess");
    expect(preview.summary).toContain("every action of every service (administrator)");
    expect(preview.summary).toMatch(/\d{4,} actions in \d{3} services/);
    expect(preview.summary).toMatch(/\d+ Permissions management/);
  });

  it("a preview that cannot be read says so and the call is held all the same", async () => {
    const held = cli(agent, "dynamodb", "delete-table", "--table-name", "no-such-table-prod");
    expect(held.stderr).toContain("AirlockHeld");
    const { preview } = await heldRequest(requestIdIn(held.stderr));
    expect(preview.summary).toContain("could not read what this would change");
    expect(preview.error).toContain("ResourceNotFoundException");
  });
});

describe("recovery points before a released destruction (snapshotBeforeDelete)", () => {
  it("RDS DeleteDBInstance with SkipFinalSnapshot=true: rewritten to take a final snapshot airlock names", async () => {
    const args = [
      "rds",
      "delete-db-instance",
      "--db-instance-identifier",
      "billing-prod",
      "--skip-final-snapshot",
    ];
    const held = cli(agent, ...args);
    expect(held.stderr).toContain("AirlockHeld");
    const id = requestIdIn(held.stderr) ?? "";
    const { digest, preview } = await heldRequest(id);
    expect(preview.summary).toContain("deletes DB instance billing-prod (postgres");
    expect(preview.summary).toContain("db.t3.micro, 20 GiB");
    expect(preview.summary).toContain("no final snapshot (SkipFinalSnapshot=true)");
    expect(preview.recoveryPoint).toContain("rewrites the call to take a final snapshot");
    await approve(id, digest);
    const released = cli(agent, ...args);
    expect(released.status, released.stderr).toBe(0);

    const upstream = python(INSPECT, upstreamEnv, moto.url);
    expect(upstream.dbInstances).not.toContain("billing-prod");
    const r = await api(airlock, "GET", `/v1/requests/${id}`, bob);
    const point = (r.json.recoveryPoints as Record<string, string>[])[0];
    expect(point).toMatchObject({ kind: "RDS final DB snapshot", of: "billing-prod" });
    expect(upstream.dbSnapshots).toContain(point?.id);
    expect(point?.restore).toBe(
      `aws rds restore-db-instance-from-db-snapshot --db-instance-identifier billing-prod --db-snapshot-identifier ${point?.id}`,
    );
    const html = await page(id);
    expect(html).toContain(point?.id);
    expect(html).toContain("restore-db-instance-from-db-snapshot");
    const entry = auditEntries(airlock.dataDir).find(
      (e) => e.type === "snapshot.taken" && e.requestId === id,
    );
    expect(entry).toMatchObject({
      ingress: "aws",
      agent: "kiro-7",
      id: point?.id,
      operation: "rds:DeleteDBInstance",
    });
  });

  it("DynamoDB DeleteTable (boto3): the item count in the preview, a backup before the deletion", async () => {
    const held = boto("dynamodb", "delete_table", { TableName: "orders-prod" });
    expect(held.code).toBe("AirlockHeld");
    const id = requestIdIn(held.message ?? "") ?? "";
    const { digest, preview } = await heldRequest(id);
    expect(preview.summary).toContain("deletes table orders-prod with 3 items");
    expect(preview.resources?.[0]).toMatchObject({ items: 3 });
    expect(preview.recoveryPoint).toContain("DynamoDB backup");
    await approve(id, digest);
    expect(boto("dynamodb", "delete_table", { TableName: "orders-prod" }).ok).toBeDefined();
    const upstream = python(INSPECT, upstreamEnv, moto.url);
    expect(upstream.tables).not.toContain("orders-prod");
    const r = await api(airlock, "GET", `/v1/requests/${id}`, bob);
    const point = (r.json.recoveryPoints as Record<string, string>[])[0];
    expect(upstream.backups).toContain(point?.id);
    expect(point?.restore).toContain(
      `restore-table-from-backup --target-table-name orders-prod --backup-arn ${point?.id}`,
    );
  });

  it("EC2 TerminateInstances (boto3): the instance and its volumes, an EBS snapshot of each first", async () => {
    const params = { InstanceIds: [setup.instance] };
    const held = boto("ec2", "terminate_instances", params);
    expect(held.code).toBe("AirlockHeld");
    const id = requestIdIn(held.message ?? "") ?? "";
    const { digest, preview } = await heldRequest(id);
    expect(preview.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "AWS::EC2::Instance", id: setup.instance, name: "web-prod" }),
        ...setup.volumes.map((v) => expect.objectContaining({ type: "AWS::EC2::Volume", id: v })),
      ]),
    );
    expect(preview.summary).toContain("terminates 1 instance");
    await approve(id, digest);
    expect(boto("ec2", "terminate_instances", params).ok).toBeDefined();
    const upstream = python(INSPECT, upstreamEnv, moto.url);
    const r = await api(airlock, "GET", `/v1/requests/${id}`, bob);
    const points = r.json.recoveryPoints as Record<string, string>[];
    expect(points).toHaveLength(setup.volumes.length);
    for (const v of setup.volumes) {
      const snap = upstream.ebsSnapshots.find((s: { volume: string }) => s.volume === v);
      expect(snap?.description).toContain(id);
      expect(points.map((p) => p.id)).toContain(snap?.id);
    }
  });

  it("S3 DeleteObjects (JavaScript SDK): keys read from the XML body; versioning checked first", async () => {
    const send = (bucket: string, keys: string[]) =>
      s3()
        .send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }))
        .then(
          () => ({ ok: true, message: "" }),
          (e: Error) => ({ ok: false, name: e.name, message: e.message }),
        );
    const held = await send("ledger-prod", ["a.csv", "c.csv"]);
    expect(held).toMatchObject({ ok: false, name: "AirlockHeld" });
    const id = requestIdIn(held.message) ?? "";
    const { digest, preview, json } = await heldRequest(id);
    expect((json.action as { params: unknown }).params).toMatchObject({
      Bucket: "ledger-prod",
      Delete: { Objects: [{ Key: "a.csv" }, { Key: "c.csv" }] },
    });
    expect(preview.summary).toContain("deletes 2 of 2 named objects in ledger-prod (40 bytes)");
    expect(preview.summary).toContain("earlier versions stay recoverable");
    await approve(id, digest);
    expect(await send("ledger-prod", ["a.csv", "c.csv"])).toMatchObject({ ok: true });
    expect(python(INSPECT, upstreamEnv, moto.url).ledger).toEqual(["b.csv"]);
    const r = await api(airlock, "GET", `/v1/requests/${id}`, bob);
    expect((r.json.recoveryPoints as Record<string, string>[])[0]).toMatchObject({ id: "s3://ledger-prod" });

    // Without versioning nothing would be recoverable: the released call is not forwarded.
    const unversioned = await send("scratch-prod", ["x.csv"]);
    const second = requestIdIn(unversioned.message) ?? "";
    await approve(second, (await heldRequest(second)).digest);
    const refused = await send("scratch-prod", ["x.csv"]);
    expect(refused).toMatchObject({ ok: false, name: "AirlockRecoveryPointFailed" });
    expect(refused.message).toContain("versioning of bucket scratch-prod is never enabled");
    expect(refused.message).toContain("the call was not forwarded");
    expect(python(INSPECT, upstreamEnv, moto.url).scratch).toEqual(["x.csv"]);
    const failed = auditEntries(airlock.dataDir).find(
      (e) => e.type === "snapshot.taken" && e.requestId === second,
    );
    expect(failed?.failed).toContain("never enabled");
  });

  it("a policy deny on the number of keys in DeleteObjects: AccessDenied with the reason, nothing forwarded, audited", async () => {
    const keys = ["a.csv", "b.csv", "c.csv", "d.csv"];
    const denied = await s3()
      .send(
        new DeleteObjectsCommand({
          Bucket: "ledger-prod",
          Delete: { Objects: keys.map((Key) => ({ Key })) },
        }),
      )
      .catch((e: Error) => e);
    expect(denied).toMatchObject({ name: "AccessDenied" });
    expect((denied as Error).message).toContain(
      "an agent does not delete more than three objects in one call",
    );
    expect(python(INSPECT, upstreamEnv, moto.url).ledger).toEqual(["b.csv"]);
    const entries = auditEntries(airlock.dataDir);
    const decision = entries.find(
      (e) =>
        e.type === "action" &&
        (e.decision as { decision?: string })?.decision === "deny" &&
        (e.action as { action?: string })?.action === "s3:DeleteObjects",
    );
    expect(decision).toBeDefined();
    expect(
      entries.some(
        (e) =>
          e.type === "request.rejected" && e.code === "AccessDenied" && e.operation === "s3:DeleteObjects",
      ),
    ).toBe(true);
  });
});

describe("aws.accounts: agents served by a role assumed with STS, or by a profile", () => {
  it("calls in the role's account, and the audit entry names the account and the role", async () => {
    const mine = JSON.parse(cli(agent, "s3api", "list-buckets").stdout) as { Buckets: { Name: string }[] };
    expect(mine.Buckets.map((b) => b.Name)).toContain("ledger-prod");
    const theirs = cli(ops, "s3api", "list-buckets");
    expect(theirs.status, theirs.stderr).toBe(0);
    expect((JSON.parse(theirs.stdout) as { Buckets: unknown[] }).Buckets).toEqual([]);
    const outcome = await until(async () =>
      auditEntries(airlock.dataDir).find((e) => e.type === "outcome.reported" && e.agent === "ops-1"),
    );
    expect(outcome).toMatchObject({
      account: "111111111111",
      role: "arn:aws:iam::111111111111:role/airlock-ops",
      operation: "s3:ListBuckets",
    });
  });

  it("calls with a shared-config profile's credentials, and the audit entry says which", async () => {
    const run = cli(auditor, "s3api", "list-buckets");
    expect(run.status, run.stderr).toBe(0);
    const outcome = await until(async () =>
      auditEntries(airlock.dataDir).find((e) => e.type === "outcome.reported" && e.agent === "audit-1"),
    );
    expect(outcome).toMatchObject({ role: "profile sandbox", account: "123456789012", ok: true });
  });
});

describe("skipFinalSnapshot: refuse, and aws.holdWaitSeconds", () => {
  let strict: AwsAirlock;
  let strictAgent: AgentKeys;
  let carol: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "airlock-refuse-"));
    writeFileSync(join(dir, "policy.yaml"), policy("refuse"));
    strict = await startAwsAirlock(moto.url, {
      policy: join(dir, "policy.yaml"),
      extraYaml: `${PATIENT}  holdWaitSeconds: 900\n`,
    });
    strictAgent = makeAgent(strict.dataDir, "kiro-8", "alice");
    carol = makeToken(strict.dataDir, ["--name", "carol", "--role", "approver"]);
  }, 60_000);
  afterAll(async () => {
    await strict?.stop();
  });

  it("refuses an RDS deletion without a final snapshot at once: no request, nothing forwarded", async () => {
    const run = awsCli(strict.awsUrl, strictAgent, [
      "rds",
      "delete-db-instance",
      "--db-instance-identifier",
      "audit-prod",
      "--skip-final-snapshot",
    ]);
    expect(run.stderr).toContain("AirlockRecoveryPointRequired");
    expect(run.stderr).toContain("--final-db-snapshot-identifier");
    expect(python(INSPECT, upstreamEnv, moto.url).dbInstances).toContain("audit-prod");
    expect((await api(strict, "GET", "/v1/requests?status=pending", carol)).json).toMatchObject({
      requests: [],
    });
  });

  /** The AWS CLI in the background (the held call waits), and the first pending request it opened. */
  async function waitingCli(...args: string[]) {
    const child = spawn(
      "aws",
      ["--endpoint-url", strict.awsUrl, "--cli-read-timeout", "0", "--output", "json", ...args],
      { env: agentEnv(strictAgent) },
    );
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const pending = await until(async () => {
      const list = await api(strict, "GET", "/v1/requests?status=pending", carol);
      return (list.json.requests as { id: string; digest: string }[] | undefined)?.[0];
    });
    return { pending, done: async () => ({ status: await exited, stderr }) };
  }

  it("answers a held call kept open with AccessDenied when its request is denied meanwhile", async () => {
    const call = await waitingCli("dynamodb", "delete-table", "--table-name", "orders-prod");
    const voted = await api(strict, "POST", `/v1/requests/${call.pending.id}/deny`, carol, {
      digest: call.pending.digest,
    });
    expect(voted.status).toBe(200);
    const done = await call.done();
    expect(done.status).not.toBe(0);
    expect(done.stderr).toContain("AccessDenied");
    expect(done.stderr).toContain(
      `request ${call.pending.id}, which ended while the call waited (denied by carol)`,
    );
  });

  it("keeps the held call open and forwards it once approved meanwhile; the final snapshot it names is recorded", async () => {
    const call = await waitingCli(
      "rds",
      "delete-db-instance",
      "--db-instance-identifier",
      "audit-prod",
      "--final-db-snapshot-identifier",
      "audit-prod-final",
    );
    const pending = call.pending;
    const voted = await api(strict, "POST", `/v1/requests/${pending.id}/approve`, carol, {
      digest: pending.digest,
    });
    expect(voted.status).toBe(200);
    const done = await call.done();
    expect(done.status, done.stderr).toBe(0);
    const upstream = python(INSPECT, upstreamEnv, moto.url);
    expect(upstream.dbInstances).not.toContain("audit-prod");
    expect(upstream.dbSnapshots).toContain("audit-prod-final");
    const r = await api(strict, "GET", `/v1/requests/${pending.id}`, carol);
    expect((r.json.recoveryPoints as Record<string, string>[])[0]).toMatchObject({ id: "audit-prod-final" });
  });
});
