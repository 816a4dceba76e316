import type { BlastRadius } from "../../action/decision.js";

/** What a CloudFormation resource type (AWS::RDS::DBInstance) is, for judging change sets. */
export interface ResourceTypeInfo {
  /** How far losing it reaches. */
  blast: BlastRadius;
  /** A database, bucket, volume, cluster, stack, DNS zone or KMS key: the "stateful" tag. */
  stateful: boolean;
  /** Holds data that goes with it when it is deleted or replaced. */
  data: boolean;
  /** Adding or changing it changes who may do what. */
  privilege: boolean;
}

const info = (blast: BlastRadius, flags = ""): ResourceTypeInfo => ({
  blast,
  stateful: flags.includes("s"),
  data: flags.includes("d"),
  privilege: flags.includes("p"),
});

/** Replacing or deleting any of these loses what is stored in it: a new one starts empty. */
const DATABASES_AND_STORES = [
  "AWS::RDS::DBInstance",
  "AWS::RDS::DBCluster",
  "AWS::RDS::GlobalCluster",
  "AWS::DynamoDB::Table",
  "AWS::DynamoDB::GlobalTable",
  "AWS::S3::Bucket",
  "AWS::S3Express::DirectoryBucket",
  "AWS::EFS::FileSystem",
  "AWS::FSx::FileSystem",
  "AWS::ElastiCache::CacheCluster",
  "AWS::ElastiCache::ReplicationGroup",
  "AWS::ElastiCache::ServerlessCache",
  "AWS::MemoryDB::Cluster",
  "AWS::KMS::Key",
  "AWS::Route53::HostedZone",
  "AWS::Cognito::UserPool",
  "AWS::Redshift::Cluster",
  "AWS::RedshiftServerless::Namespace",
  "AWS::OpenSearchService::Domain",
  "AWS::Elasticsearch::Domain",
  "AWS::Neptune::DBCluster",
  "AWS::Neptune::DBInstance",
  "AWS::DocDB::DBCluster",
  "AWS::DocDB::DBInstance",
  "AWS::DocDBElastic::Cluster",
  "AWS::EKS::Cluster",
  "AWS::MSK::Cluster",
  "AWS::Timestream::Database",
  "AWS::Timestream::Table",
  "AWS::QLDB::Ledger",
  "AWS::Glue::Database",
  "AWS::CloudFormation::Stack",
];

const TYPES: ReadonlyMap<string, ResourceTypeInfo> = new Map<string, ResourceTypeInfo>([
  ...DATABASES_AND_STORES.map((type) => [type, info("environment", "sd")] as const),
  ["AWS::ECS::Cluster", info("environment", "s")],
  ["AWS::EC2::VPC", info("environment")],
  ["AWS::EC2::TransitGateway", info("environment")],
  ["AWS::EC2::InternetGateway", info("environment")],
  ["AWS::ElasticBeanstalk::Environment", info("environment")],
  ["AWS::Kinesis::Stream", info("service", "sd")],
  ["AWS::EC2::Volume", info("resource", "sd")],
  ["AWS::SQS::Queue", info("service", "d")],
  ["AWS::Logs::LogGroup", info("service", "d")],
  ["AWS::SecretsManager::Secret", info("resource", "d")],
  ["AWS::ECR::Repository", info("service", "d")],
  ["AWS::CodeCommit::Repository", info("service", "d")],
  ["AWS::Backup::BackupVault", info("service", "d")],
  ["AWS::CloudTrail::Trail", info("account")],
  ["AWS::GuardDuty::Detector", info("account")],
  ["AWS::Config::ConfigurationRecorder", info("account")],
  ["AWS::S3::BucketPolicy", info("service", "p")],
  ["AWS::SQS::QueuePolicy", info("service", "p")],
  ["AWS::SNS::TopicPolicy", info("service", "p")],
  ["AWS::Lambda::Permission", info("service", "p")],
  ["AWS::EC2::SecurityGroup", info("service", "p")],
  ["AWS::EC2::SecurityGroupIngress", info("service", "p")],
  ["AWS::EC2::SecurityGroupEgress", info("service", "p")],
  ["AWS::SecretsManager::ResourcePolicy", info("service", "p")],
  ["AWS::Cognito::IdentityPoolRoleAttachment", info("service", "p")],
]);

/** Whole namespaces: everything in IAM and Identity Center is about access; Organizations spans accounts. */
const NAMESPACES: ReadonlyArray<readonly [string, ResourceTypeInfo]> = [
  ["AWS::IAM::", info("service", "p")],
  ["AWS::SSO::", info("service", "p")],
  ["AWS::Organizations::", info("account", "p")],
];

const DEFAULT = info("service");

export function resourceTypeInfo(type: string): ResourceTypeInfo {
  const found = TYPES.get(type);
  if (found) return found;
  for (const [prefix, namespace] of NAMESPACES) if (type.startsWith(prefix)) return namespace;
  return DEFAULT;
}
