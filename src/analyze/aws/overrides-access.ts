import type { Override } from "./overrides.js";
import { asArray, asString, field, fieldAt, isFalse, isTrue, type Params } from "./params.js";
import { adminPolicyName, allowsEveryone, grantsEverything, opensToInternet } from "./policy-doc.js";

/** Rows about access: who may do what, what makes things public, what reveals secrets or runs code. */

const everyone = (key: string) => (p: Params) => allowsEveryone(field(p, key));
const PUBLIC_ACL = /^(public-read|public-read-write|authenticated-read)$/i;
const ALL_USERS = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;
const sharedWithAll = (p: Params) =>
  /"(Group|GroupNames|UserGroups|ValuesToAdd)"\s*:\s*(\[\s*)?"all"/i.test(JSON.stringify(p));

/** Code can do anything its role allows: at least a service's worth, undone only by more work. */
const RUNS_CODE = { effect: "execute", reversibility: "recoverable", atLeast: "service" } as const;

export const ACCESS_OVERRIDES: readonly Override[] = [
  {
    actions: ["iam:AttachUserPolicy", "iam:AttachRolePolicy", "iam:AttachGroupPolicy"],
    when: (p) => adminPolicyName(field(p, "PolicyArn")) !== undefined,
    blastRadius: "account",
    tags: ["privilege-escalation"],
    reason: (p) =>
      `attaches ${adminPolicyName(field(p, "PolicyArn"))}: control of (nearly) the whole account`,
  },
  {
    actions: ["iam:PutUserPolicy", "iam:PutRolePolicy", "iam:PutGroupPolicy", "iam:CreatePolicyVersion"],
    when: (p) => grantsEverything(field(p, "PolicyDocument")),
    blastRadius: "account",
    tags: ["privilege-escalation"],
    reason: "the policy allows every action (or all of IAM, or NotAction) on every resource",
  },
  {
    actions: ["iam:CreateAccessKey"],
    when: (p) => asString(field(p, "UserName")) !== undefined,
    tags: ["privilege-escalation"],
    reason: (p) => `mints long-lived keys for ${field(p, "UserName")}: whoever holds them acts as that user`,
  },
  {
    actions: ["iam:CreateAccessKey"],
    when: (p) => asString(field(p, "UserName")) === undefined,
    reason: "mints long-lived access keys for the caller",
  },
  {
    actions: ["iam:CreateLoginProfile", "iam:UpdateLoginProfile"],
    when: (p) => asString(field(p, "UserName")) !== undefined,
    tags: ["privilege-escalation"],
    reason: (p) =>
      `sets the console password of ${field(p, "UserName")}: whoever sets it can sign in as that user`,
  },
  {
    actions: ["iam:UpdateAssumeRolePolicy"],
    when: everyone("PolicyDocument"),
    blastRadius: "account",
    tags: ["privilege-escalation", "public"],
    reason: 'the trust policy lets anyone (Principal "*") assume the role',
  },
  {
    actions: ["iam:UpdateAssumeRolePolicy"],
    when: (p) => !allowsEveryone(field(p, "PolicyDocument")),
    reason: "changes who can assume the role",
  },
  {
    actions: ["iam:AddUserToGroup"],
    when: (p) => /admin/i.test(String(field(p, "GroupName"))),
    tags: ["privilege-escalation"],
    reason: (p) => `adds the user to ${field(p, "GroupName")}`,
  },
  {
    actions: ["s3:PutBucketPolicy"],
    when: everyone("Policy"),
    atLeast: "environment",
    tags: ["public"],
    reason: 'the bucket policy grants access to everyone (Principal "*")',
  },
  {
    actions: ["s3:PutBucketAcl", "s3:PutObjectAcl"],
    when: (p) => PUBLIC_ACL.test(String(field(p, "ACL"))) || ALL_USERS.test(JSON.stringify(p)),
    tags: ["public"],
    reason: "the ACL grants access to everyone",
  },
  {
    actions: ["s3:DeletePublicAccessBlock"],
    tags: ["public"],
    reason: "removes the block on public access",
  },
  {
    actions: ["s3:PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"],
    when: (p) => Object.values(asRecordish(field(p, "PublicAccessBlockConfiguration"))).some(isFalse),
    tags: ["public"],
    reason: "turns off part of the block on public access",
  },
  {
    actions: ["ec2:AuthorizeSecurityGroupIngress"],
    when: (p) => opensToInternet(p),
    atLeast: "service",
    tags: ["public"],
    reason: "opens the rule to the whole internet (0.0.0.0/0 or ::/0)",
  },
  {
    actions: ["ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "rds:ModifyDBSnapshotAttribute"],
    when: sharedWithAll,
    effect: "privilege",
    tags: ["public"],
    reason: 'shares it with every AWS account (group "all")',
  },
  {
    actions: ["lambda:AddPermission"],
    when: (p) => field(p, "Principal") === "*",
    tags: ["public"],
    reason: 'lets anyone (Principal "*") invoke the function',
  },
  {
    actions: ["kms:PutKeyPolicy", "secretsmanager:PutResourcePolicy", "ecr:SetRepositoryPolicy"],
    when: (p) => allowsEveryone(field(p, "Policy")) || allowsEveryone(field(p, "ResourcePolicy")),
    tags: ["public"],
    reason: 'the resource policy grants access to everyone (Principal "*")',
  },
  {
    actions: ["sqs:SetQueueAttributes"],
    when: (p) => allowsEveryone(fieldAt(p, "Attributes", "Policy")),
    effect: "privilege",
    tags: ["public"],
    reason: 'the queue policy grants access to everyone (Principal "*")',
  },
  {
    actions: [
      "organizations:AttachPolicy",
      "organizations:DetachPolicy",
      "organizations:UpdatePolicy",
      "organizations:DeletePolicy",
      "organizations:DisablePolicyType",
    ],
    effect: "privilege",
    blastRadius: "account",
    reason: "service control policies bound what every principal in the affected accounts may do",
  },
  {
    actions: ["ec2-instance-connect:SendSSHPublicKey", "ec2-instance-connect:SendSerialConsoleSSHPublicKey"],
    effect: "privilege",
    reason: "lets the key's holder log in to the instance for 60 seconds",
  },
  {
    actions: [
      "secretsmanager:GetSecretValue",
      "secretsmanager:BatchGetSecretValue",
      "ecr:GetAuthorizationToken",
    ],
    tags: ["secret-read"],
    reason: "returns a secret in plain text",
  },
  {
    actions: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"],
    when: (p) => isTrue(field(p, "WithDecryption")),
    tags: ["secret-read"],
    reason: "WithDecryption: SecureString values come back in plain text",
  },
  {
    actions: ["kms:Decrypt"],
    effect: "read",
    reversibility: "reversible",
    blastRadius: "none",
    tags: ["secret-read"],
    reason: "decrypts ciphertext: reveals data, changes nothing",
  },
  {
    actions: [
      "sts:AssumeRole",
      "sts:AssumeRoleWithSAML",
      "sts:AssumeRoleWithWebIdentity",
      "sts:GetSessionToken",
      "sts:GetFederationToken",
    ],
    effect: "read",
    reversibility: "reversible",
    blastRadius: "none",
    tags: ["secret-read"],
    reason: "returns temporary credentials; changes nothing by itself",
  },
  {
    actions: [
      "lambda:Invoke",
      "lambda:InvokeFunction",
      "lambda:InvokeAsync",
      "states:StartExecution",
      "states:StartSyncExecution",
      "codebuild:StartBuild",
      "glue:StartJobRun",
      "ecs:RunTask",
      "ecs:StartTask",
      "batch:SubmitJob",
    ],
    ...RUNS_CODE,
    reason: "runs code whose effect is not visible in the request",
  },
  {
    actions: ["ssm:SendCommand", "ssm:StartSession", "ssm:StartAutomationExecution", "ecs:ExecuteCommand"],
    ...RUNS_CODE,
    opaque: true,
    reason: (p) =>
      `runs ${asString(field(p, "DocumentName")) ?? "commands"} on instances or containers; what it does is not analysed here`,
  },
  {
    actions: ["ssm:SendCommand"],
    when: (p) => asArray(field(p, "Targets")).length > 0,
    atLeast: "environment",
    tags: ["bulk"],
    reason: "Targets selects instances by tag: every matching instance runs it",
  },
  {
    actions: [
      "rds-data:ExecuteStatement",
      "rds-data:BatchExecuteStatement",
      "redshift-data:ExecuteStatement",
      "redshift-data:BatchExecuteStatement",
      "athena:StartQueryExecution",
      "dynamodb:ExecuteStatement",
      "dynamodb:BatchExecuteStatement",
      "dynamodb:ExecuteTransaction",
    ],
    ...RUNS_CODE,
    opaque: true,
    reason: "runs SQL (or PartiQL) that is not analysed here",
  },
];

function asRecordish(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}
