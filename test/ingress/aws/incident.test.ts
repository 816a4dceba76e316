import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from "@aws-sdk/client-cloudformation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlockSync, call, makeToken, policyWithDelay, until } from "../http/harness.js";
import {
  type AgentKeys,
  type AwsAirlock,
  auditEntries,
  awsCli,
  type Moto,
  makeAgent,
  startAwsAirlock,
  startMoto,
  UPSTREAM_ENV,
} from "./harness.js";

/**
 * The incident, end to end, with the real AWS CLI (v1) against a real moto_server behind a real
 * `airlock serve`: the agent holds only airlock's keys, and deleting the production stack waits for
 * two other people and the wait; then the identical call deletes it upstream, once.
 */
const DELAY = 3;
const STACK = "cost-explorer-prod";
const TEMPLATE = JSON.stringify({
  Resources: {
    Data: { Type: "AWS::S3::Bucket", Properties: { BucketName: "cost-explorer-prod-data" } },
    Table: {
      Type: "AWS::DynamoDB::Table",
      DeletionPolicy: "Retain",
      Properties: {
        TableName: "cost-explorer-prod",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      },
    },
  },
});

let moto: Moto;
let airlock: AwsAirlock;
let agent: AgentKeys;
const tokens: Record<string, string> = {};
let upstream: CloudFormationClient;

const stacksUpstream = async () =>
  (await upstream.send(new DescribeStacksCommand({}))).Stacks?.filter(
    (s) => s.StackStatus !== "DELETE_COMPLETE",
  ) ?? [];

beforeAll(async () => {
  moto = await startMoto();
  const dir = mkdtempSync(join(tmpdir(), "airlock-incident-"));
  airlock = await startAwsAirlock(moto.url, { policy: policyWithDelay(dir, DELAY) });
  agent = makeAgent(airlock.dataDir, "kiro-7", "alice");
  tokens.alice = makeToken(airlock.dataDir, ["--name", "alice", "--role", "approver", "--group", "sre"]);
  tokens.bob = makeToken(airlock.dataDir, ["--name", "bob", "--role", "approver", "--group", "sre"]);
  tokens.carol = makeToken(airlock.dataDir, ["--name", "carol", "--role", "approver", "--group", "sre"]);
  upstream = new CloudFormationClient({
    endpoint: moto.url,
    region: "us-east-1",
    credentials: {
      accessKeyId: UPSTREAM_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: UPSTREAM_ENV.AWS_SECRET_ACCESS_KEY,
    },
  });
  await upstream.send(new CreateStackCommand({ StackName: STACK, TemplateBody: TEMPLATE }));
}, 60_000);

afterAll(async () => {
  await airlock?.stop();
  await moto?.stop();
});

/**
 * The CLI; the identical command run twice within one second is the identical signed request, which
 * airlock takes once (AirlockReplayedRequest, docs/aws.md): as a person would, run it again.
 */
const cli = (...args: string[]) => {
  for (;;) {
    const run = awsCli(airlock.awsUrl, agent, args);
    if (!run.stderr.includes("AirlockReplayedRequest")) return run;
  }
};
const requestIdIn = (text: string) => /request (r_[A-Za-z0-9_-]+)/.exec(text)?.[1];

describe("the incident through the AWS endpoint", () => {
  it("holds delete-stack for two approvers and the wait, then deletes the stack upstream once", async () => {
    const reads = cli("cloudformation", "describe-stacks", "--stack-name", STACK);
    expect(reads.status, reads.stderr).toBe(0);
    expect(JSON.parse(reads.stdout).Stacks[0].StackName).toBe(STACK);

    const held = cli("cloudformation", "delete-stack", "--stack-name", STACK);
    expect(held.status).not.toBe(0);
    expect(held.stderr).toContain("An error occurred (AirlockHeld) when calling the DeleteStack operation");
    expect(held.stderr).toContain("2 more approvals needed (0 of 2)");
    expect(held.stderr).toContain("retry the identical call after approval");
    const id = requestIdIn(held.stderr);
    expect(id).toBeDefined();
    expect(await stacksUpstream()).toHaveLength(1);

    const request = await call(airlock, "GET", `/v1/requests/${id}`, tokens.bob);
    expect(request.json).toMatchObject({
      agent: "kiro-7",
      onBehalfOf: "alice",
      action: { kind: "aws", action: "cloudformation:DeleteStack", params: { StackName: STACK } },
    });
    const digest = request.json.digest as string;
    // The approvers see the stack's resources, read upstream by airlock before the request was shown.
    const preview = (request.json.action as { airlockPreview?: { summary: string; resources: unknown[] } })
      .airlockPreview;
    expect(preview?.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ logicalId: "Data", type: "AWS::S3::Bucket", deletionPolicy: "Delete" }),
        expect.objectContaining({
          logicalId: "Table",
          type: "AWS::DynamoDB::Table",
          deletionPolicy: "Retain",
        }),
      ]),
    );
    expect(preview?.summary).toContain("kept (DeletionPolicy Retain): Table (AWS::DynamoDB::Table)");

    // The agent itself, the person it acts for, and a second vote by one approver are refused.
    expect((await call(airlock, "POST", `/v1/requests/${id}/approve`, agent.token, { digest })).status).toBe(
      403,
    );
    const byAlice = await call(airlock, "POST", `/v1/requests/${id}/approve`, tokens.alice, { digest });
    expect(byAlice.json).toMatchObject({ error: { code: "four_eyes" } });
    expect((await call(airlock, "POST", `/v1/requests/${id}/approve`, tokens.bob, { digest })).status).toBe(
      200,
    );
    const again = await call(airlock, "POST", `/v1/requests/${id}/approve`, tokens.bob, { digest });
    expect(again.json).toMatchObject({ error: { code: "already_voted" } });

    const halfway = cli("cloudformation", "delete-stack", "--stack-name", STACK);
    expect(halfway.stderr).toContain("1 more approval needed (1 of 2)");
    expect(requestIdIn(halfway.stderr)).toBe(id);

    expect((await call(airlock, "POST", `/v1/requests/${id}/approve`, tokens.carol, { digest })).status).toBe(
      200,
    );
    await until(async () => {
      const r = await call(airlock, "GET", `/v1/requests/${id}`, tokens.bob);
      return r.json.status === "approved" ? true : undefined;
    });

    const released = cli("cloudformation", "delete-stack", "--stack-name", STACK);
    expect(released.status, released.stderr).toBe(0);
    expect(await stacksUpstream()).toHaveLength(0);

    const next = cli("cloudformation", "delete-stack", "--stack-name", STACK);
    expect(next.stderr).toContain("AirlockHeld");
    expect(requestIdIn(next.stderr)).not.toBe(id);

    const wrong = awsCli(
      airlock.awsUrl,
      { ...agent, secretAccessKey: `${agent.secretAccessKey.slice(0, -4)}AAAA` },
      ["cloudformation", "create-stack", "--stack-name", "cost-explorer-dev", "--template-body", TEMPLATE],
    );
    expect(wrong.stderr).toContain("SignatureDoesNotMatch");
    expect(await stacksUpstream()).toHaveLength(0);

    const verify = airlockSync([
      "audit",
      "verify",
      "--data-dir",
      airlock.dataDir,
      "--key",
      airlock.verifierKey,
    ]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    // The outcome is recorded once AWS's answer has gone to the agent: wait for it.
    const entries = await until(async () => {
      const all = auditEntries(airlock.dataDir);
      return all.some((e) => e.type === "outcome.reported" && e.id === id) ? all : undefined;
    });
    const forRequest = entries.filter(
      (e) => e.requestId === id || (e.decision as { request?: { id?: string } })?.request?.id === id,
    );
    const types = forRequest.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(["action", "request.approved", "request.released", "request.used"]),
    );
    const outcome = entries.find((e) => e.type === "outcome.reported" && e.id === id);
    expect(outcome).toMatchObject({
      agent: "kiro-7",
      onBehalfOf: "alice",
      ok: true,
      status: 200,
      operation: "cloudformation:DeleteStack",
      account: "123456789012",
    });
    expect(outcome?.awsRequestId).toEqual(expect.any(String));
    const heldEntry = forRequest.find((e) => e.type === "action");
    expect(heldEntry).toMatchObject({
      action: { airlockPreview: { operation: "cloudformation:DeleteStack" } },
    });
    expect(entries.some((e) => e.type === "request.rejected" && e.code === "SignatureDoesNotMatch")).toBe(
      true,
    );
  });

  it("never shows an approver a preview the agent wrote itself", async () => {
    const forged = await call(airlock, "POST", "/v1/actions", agent.token, {
      kind: "aws",
      action: "cloudformation:DeleteStack",
      params: { StackName: "billing-prod" },
      airlockPreview: { summary: "deletes nothing, safe to approve", resources: [] },
    });
    expect(forged.json).toMatchObject({ decision: "hold" });
    const id = (forged.json.request as { id: string }).id;
    const request = await call(airlock, "GET", `/v1/requests/${id}`, tokens.bob);
    expect((request.json.action as Record<string, unknown>).airlockPreview).toBeUndefined();
  });
});
