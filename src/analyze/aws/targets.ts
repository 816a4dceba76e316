import type { BlastRadius } from "../../action/decision.js";
import { blastRank } from "../aggregate.js";

/** What an operation's noun ("DBInstance" in DeleteDBInstance) is, and how far losing or changing it reaches. */
export interface Noun {
  /** The target type in findings: "stack", "db-instance", "bucket". */
  type: string;
  /** How far deleting, stopping or detaching it reaches. */
  destroy: BlastRadius;
  /** How far changing it as a whole reaches (UpdateStack rewrites the environment; ModifyDBInstance one service). */
  change: BlastRadius;
  /** A database, bucket, volume, cluster, stack, DNS zone or KMS key: the "stateful" tag. */
  stateful: boolean;
  /** Holds data that goes with it: an irreversible destruction is tagged "data-loss". */
  data: boolean;
}

const S = "service" as const;
const E = "environment" as const;
const R = "resource" as const;
const A = "account" as const;

function noun(type: string, destroy: BlastRadius, flags = "", change?: BlastRadius): Noun {
  const capped = blastRank(destroy) > blastRank(S) ? S : destroy;
  return {
    type,
    destroy,
    change: change ?? capped,
    stateful: flags.includes("s"),
    data: flags.includes("d"),
  };
}

/**
 * Keyed by the lowercase singular noun, or "service:noun" where a word means different things in
 * different services ("key" is a KMS key in kms, an API key elsewhere). A stack, a cluster, a VPC,
 * a database or table, a bucket, a DNS zone or a KMS key reaches the environment; an organization,
 * an account or its audit trail reaches the account.
 */
const NOUNS: ReadonlyMap<string, Noun> = new Map<string, Noun>([
  ["stack", noun("stack", E, "s", E)],
  ["stackset", noun("stack-set", A, "s", A)],
  ["stackinstance", noun("stack-instance", A, "s", A)],
  ["cluster", noun("cluster", E, "sd", E)],
  ["ecs:cluster", noun("cluster", E, "s", E)],
  ["dbcluster", noun("db-cluster", E, "sd")],
  ["dbinstance", noun("db-instance", E, "sd")],
  ["globalcluster", noun("global-cluster", E, "sd")],
  ["cachecluster", noun("cache-cluster", E, "sd")],
  ["replicationgroup", noun("replication-group", E, "sd")],
  ["serverlesscache", noun("serverless-cache", E, "sd")],
  ["relationaldatabase", noun("database", E, "sd")],
  ["database", noun("database", E, "sd")],
  ["table", noun("table", E, "sd")],
  ["bucket", noun("bucket", E, "sd")],
  ["directorybucket", noun("bucket", E, "sd")],
  ["hostedzone", noun("hosted-zone", E, "s")],
  ["kms:key", noun("kms-key", E, "sd")],
  ["filesystem", noun("file-system", E, "sd")],
  ["es:domain", noun("search-domain", E, "sd")],
  ["domain", noun("domain", E)],
  ["userpool", noun("user-pool", E, "sd")],
  ["redshift-serverless:namespace", noun("namespace", E, "sd")],
  ["graph", noun("graph", E, "sd")],
  ["ledger", noun("ledger", E, "sd")],
  ["vpc", noun("vpc", E, "", E)],
  ["transitgateway", noun("transit-gateway", E)],
  ["internetgateway", noun("internet-gateway", E)],
  ["directory", noun("directory", E, "d")],
  ["environment", noun("environment", E, "", E)],
  ["jobflow", noun("cluster", E, "d")],
  ["elasticbeanstalk:application", noun("application", E)],
  ["organization", noun("organization", A, "", A)],
  ["organizationalunit", noun("organizational-unit", A, "", A)],
  ["account", noun("account", A, "", A)],
  ["trail", noun("trail", A, "", A)],
  ["detector", noun("detector", A, "", A)],
  ["configurationrecorder", noun("configuration-recorder", A, "", A)],
  ["securityhub", noun("security-hub", A, "", A)],
  ["iam:accountpasswordpolicy", noun("password-policy", A, "", A)],
  ["iam:accountalias", noun("account-alias", A, "", A)],
  ["iam:samlprovider", noun("saml-provider", A, "", A)],
  ["iam:openidconnectprovider", noun("oidc-provider", A, "", A)],
  ["stream", noun("stream", S, "sd")],
  ["volume", noun("volume", R, "sd")],
  ["snapshot", noun("snapshot", R, "d")],
  ["dbsnapshot", noun("db-snapshot", R, "d")],
  ["dbclustersnapshot", noun("db-snapshot", R, "d")],
  ["clustersnapshot", noun("snapshot", R, "d")],
  ["dbinstanceautomatedbackup", noun("backup", R, "d")],
  ["backup", noun("backup", R, "d")],
  ["recoverypoint", noun("recovery-point", R, "d")],
  ["backupvault", noun("backup-vault", S, "d")],
  ["image", noun("image", R)],
  ["object", noun("object", R, "d")],
  ["objectversion", noun("object", R, "d")],
  ["item", noun("item", R, "d")],
  ["secret", noun("secret", R, "d")],
  ["parameter", noun("parameter", R, "d")],
  ["loggroup", noun("log-group", S, "d")],
  ["logstream", noun("log-stream", R, "d")],
  ["queue", noun("queue", S, "d")],
  ["repository", noun("repository", S, "d")],
  ["notebookinstance", noun("notebook-instance", S, "d")],
  ["instance", noun("instance", R)],
  ["instanceprofile", noun("instance-profile", S)],
  ["service", noun("service", S)],
  ["function", noun("function", S)],
  ["autoscalinggroup", noun("autoscaling-group", S)],
  ["nodegroup", noun("nodegroup", S)],
  ["topic", noun("topic", S)],
  ["loadbalancer", noun("load-balancer", S)],
  ["targetgroup", noun("target-group", S)],
  ["natgateway", noun("nat-gateway", S)],
  ["subnet", noun("subnet", S)],
  ["securitygroup", noun("security-group", S)],
  ["routetable", noun("route-table", S)],
  ["distribution", noun("distribution", S)],
  ["restapi", noun("api", S)],
  ["api", noun("api", S)],
  ["statemachine", noun("state-machine", S)],
  ["role", noun("role", S)],
  ["group", noun("group", S)],
  ["policy", noun("policy", S)],
  ["user", noun("user", R)],
  ["accesskey", noun("access-key", R)],
  ["loginprofile", noun("login-profile", R)],
  ["keypair", noun("key-pair", R)],
  ["address", noun("address", R)],
  ["networkinterface", noun("network-interface", R)],
  ["route", noun("route", R)],
  ["resourcerecordset", noun("record", R, "", R)],
  ["alarm", noun("alarm", R)],
  ["rule", noun("rule", R)],
  ["taskdefinition", noun("task-definition", R)],
  ["changeset", noun("change-set", R, "", R)],
]);

/** [service or "", word, noun], longest word first, for finding the noun a longer name starts with. */
const PREFIXES: ReadonlyArray<readonly [string, string, Noun]> = [...NOUNS]
  .map(([key, found]) => {
    const colon = key.indexOf(":");
    return [colon > 0 ? key.slice(0, colon) : "", key.slice(colon + 1), found] as const;
  })
  .sort((a, b) => b[1].length - a[1].length);

/** Services where every change reaches the whole account. */
const ACCOUNT_SERVICES = new Set(["organizations", "account"]);

export interface NounMatch {
  noun: Noun;
  /** The operation acts on the thing itself, not on a part of it (DeleteBucket, not DeleteBucketPolicy). */
  whole: boolean;
}

function singulars(word: string): string[] {
  const forms = [word];
  if (word.endsWith("ies")) forms.push(`${word.slice(0, -3)}y`);
  if (word.endsWith("es")) forms.push(word.slice(0, -2));
  if (word.endsWith("s")) forms.push(word.slice(0, -1));
  return forms;
}

/** The noun an operation acts on, from the remainder after its verb ("dbinstances" → db-instance). */
export function nounOf(service: string, remainder: string): NounMatch | undefined {
  for (const form of singulars(remainder)) {
    const found = NOUNS.get(`${service}:${form}`) ?? NOUNS.get(form);
    if (found) return { noun: found, whole: true };
  }
  for (const [scope, word, found] of PREFIXES) {
    if ((scope === "" || scope === service) && remainder.startsWith(word))
      return { noun: found, whole: false };
  }
  return undefined;
}

export function isAccountService(service: string): boolean {
  return ACCOUNT_SERVICES.has(service);
}

export function wider(a: BlastRadius, b: BlastRadius): BlastRadius {
  return blastRank(a) >= blastRank(b) ? a : b;
}

export function narrower(a: BlastRadius, b: BlastRadius): BlastRadius {
  return blastRank(a) <= blastRank(b) ? a : b;
}

/** One call naming many targets: more than 5 is a service's worth, more than 25 an environment's. */
export function radiusOfCount(count: number): BlastRadius {
  if (count > 25) return E;
  if (count > 5) return S;
  return count > 0 ? R : "none";
}
