import type { BlastRadius } from "../../action/decision.js";

/**
 * Resource types whose deletion (or replacement) destroys data or a whole environment, by provider.
 * A type missing here is still caught by the name patterns at the bottom; a type here that holds no
 * data of its own (a VPC, a DNS zone, a cluster) is listed because everything inside goes with it.
 */

export type StatefulCategory =
  | "database"
  | "table"
  | "cluster"
  | "bucket"
  | "volume"
  | "stack"
  | "network"
  | "dns-zone"
  | "kms-key"
  | "secret"
  | "queue"
  | "repository"
  | "backup"
  | "project";

/**
 * How far a deletion reaches, by category. Databases, clusters, stacks, networks, DNS zones and keys
 * take a whole environment with them, and so does a repository of code or images everything is
 * built or pulled from. A bucket is counted like a table (service): it is one
 * application's store, and the irreversible data loss already holds it for two approvers; its
 * environment comes from its name, so a "prod" bucket is treated as production.
 */
const CATEGORY_RADIUS: Record<StatefulCategory, BlastRadius> = {
  database: "environment",
  cluster: "environment",
  stack: "environment",
  network: "environment",
  "dns-zone": "environment",
  "kms-key": "environment",
  project: "account",
  table: "service",
  bucket: "service",
  volume: "service",
  secret: "service",
  queue: "service",
  repository: "environment",
  backup: "service",
};

/** Types whose deletion is scheduled, or soft, and can be cancelled within a window. */
const CANCELLABLE = new Set([
  "aws_kms_key",
  "aws_kms_replica_key",
  "aws_secretsmanager_secret",
  "google_kms_crypto_key",
  "google_project",
  "azurerm_key_vault",
  "azurerm_key_vault_key",
  "azurerm_key_vault_secret",
]);

const TYPES: Record<string, Partial<Record<StatefulCategory, string>>> = {
  aws: {
    database: `aws_db_instance aws_rds_cluster aws_rds_global_cluster aws_docdb_cluster aws_neptune_cluster
      aws_redshift_cluster aws_redshiftserverless_namespace aws_elasticache_cluster aws_elasticache_replication_group
      aws_elasticache_serverless_cache aws_memorydb_cluster aws_opensearch_domain aws_elasticsearch_domain
      aws_qldb_ledger aws_timestream_database aws_keyspaces_keyspace aws_lightsail_database aws_dax_cluster`,
    table: `aws_dynamodb_table aws_dynamodb_global_table aws_timestream_table aws_keyspaces_table aws_glue_catalog_database
      aws_cognito_user_pool`,
    cluster:
      "aws_eks_cluster aws_ecs_cluster aws_msk_cluster aws_msk_serverless_cluster aws_emr_cluster aws_mq_broker",
    bucket: "aws_s3_bucket aws_s3_directory_bucket aws_s3control_bucket aws_glacier_vault",
    volume: `aws_ebs_volume aws_efs_file_system aws_fsx_lustre_file_system aws_fsx_windows_file_system
      aws_fsx_ontap_file_system aws_fsx_openzfs_file_system aws_storagegateway_gateway`,
    stack: "aws_cloudformation_stack aws_cloudformation_stack_set aws_elastic_beanstalk_environment",
    network: "aws_vpc aws_transit_gateway",
    "dns-zone": "aws_route53_zone",
    "kms-key": "aws_kms_key aws_kms_replica_key",
    secret: "aws_secretsmanager_secret aws_ssm_parameter",
    queue: "aws_sqs_queue aws_kinesis_stream aws_kinesis_firehose_delivery_stream",
    repository: "aws_ecr_repository aws_codecommit_repository",
    backup: "aws_backup_vault aws_db_snapshot aws_db_cluster_snapshot aws_ebs_snapshot",
    project: "aws_organizations_account aws_organizations_organization",
  },
  google: {
    database: `google_sql_database_instance google_spanner_instance google_bigtable_instance google_firestore_database
      google_redis_instance google_memcache_instance google_alloydb_cluster google_bigquery_dataset`,
    table: `google_sql_database google_spanner_database google_bigtable_table google_bigquery_table
      google_alloydb_instance`,
    cluster: "google_container_cluster google_dataproc_cluster google_composer_environment",
    bucket: "google_storage_bucket",
    volume: "google_compute_disk google_compute_region_disk google_filestore_instance",
    network: "google_compute_network",
    "dns-zone": "google_dns_managed_zone",
    "kms-key": "google_kms_crypto_key google_kms_key_ring",
    secret: "google_secret_manager_secret",
    queue: "google_pubsub_topic google_pubsub_subscription",
    repository: "google_artifact_registry_repository google_sourcerepo_repository",
    project: "google_project google_folder",
  },
  azurerm: {
    database: `azurerm_mssql_server azurerm_sql_server azurerm_postgresql_server azurerm_postgresql_flexible_server
      azurerm_mysql_server azurerm_mysql_flexible_server azurerm_mariadb_server azurerm_cosmosdb_account
      azurerm_redis_cache azurerm_synapse_workspace`,
    table: `azurerm_mssql_database azurerm_sql_database azurerm_postgresql_database
      azurerm_postgresql_flexible_server_database azurerm_mysql_database azurerm_mysql_flexible_database
      azurerm_cosmosdb_sql_database azurerm_cosmosdb_mongo_database azurerm_storage_table`,
    cluster: "azurerm_kubernetes_cluster azurerm_hdinsight_hadoop_cluster azurerm_service_fabric_cluster",
    bucket: "azurerm_storage_account azurerm_storage_container azurerm_data_lake_gen2_filesystem",
    volume: "azurerm_managed_disk azurerm_storage_share azurerm_netapp_volume",
    stack: "azurerm_resource_group azurerm_resource_group_template_deployment",
    network: "azurerm_virtual_network",
    "dns-zone": "azurerm_dns_zone azurerm_private_dns_zone",
    "kms-key": "azurerm_key_vault azurerm_key_vault_key",
    secret: "azurerm_key_vault_secret",
    queue: "azurerm_eventhub_namespace azurerm_servicebus_namespace azurerm_storage_queue",
    repository: "azurerm_container_registry",
    backup: "azurerm_recovery_services_vault azurerm_data_protection_backup_vault",
  },
  // kubernetes_stateful_set is not here: its volume claims outlive it, as with the k8s analyzer's view.
  kubernetes: {
    stack: "kubernetes_namespace kubernetes_namespace_v1",
    volume: `kubernetes_persistent_volume_claim kubernetes_persistent_volume_claim_v1
      kubernetes_persistent_volume kubernetes_persistent_volume_v1`,
  },
  other: {
    database: `digitalocean_database_cluster mongodbatlas_cluster mongodbatlas_advanced_cluster snowflake_database
      postgresql_database mysql_database heroku_addon linode_database_postgresql linode_database_mysql
      vault_mount`,
    table: "snowflake_schema snowflake_table",
    cluster: "digitalocean_kubernetes_cluster linode_lke_cluster",
    bucket: "digitalocean_spaces_bucket cloudflare_r2_bucket minio_s3_bucket b2_bucket",
    volume: "digitalocean_volume hcloud_volume linode_volume openstack_blockstorage_volume_v3",
    stack: "heroku_app vercel_project tfe_workspace",
    "dns-zone": "cloudflare_zone digitalocean_domain",
    repository: "github_repository gitlab_project",
  },
};

export interface StatefulType {
  category: StatefulCategory;
  blastRadius: BlastRadius;
  /** Deletion is scheduled or soft (KMS key windows, soft-deleted vaults): it can be cancelled. */
  cancellable: boolean;
}

const BY_TYPE = new Map<string, StatefulType>();
for (const provider of Object.values(TYPES)) {
  for (const [category, list] of Object.entries(provider) as [StatefulCategory, string][]) {
    for (const type of list.split(/\s+/)) {
      if (type)
        BY_TYPE.set(type, {
          category,
          blastRadius: CATEGORY_RADIUS[category],
          cancellable: CANCELLABLE.has(type),
        });
    }
  }
}

/** For providers not listed: names that say what the resource holds. */
const PATTERNS: ReadonlyArray<readonly [RegExp, StatefulCategory]> = [
  [/_(?:db|database|db_instance|db_cluster|sql_instance)(?:_v\d+)?$/, "database"],
  [/_(?:bucket|object_storage)(?:_v\d+)?$/, "bucket"],
  [/_(?:volume|disk|file_system|filesystem)(?:_v\d+)?$/, "volume"],
  [/_(?:k8s_cluster|kubernetes_cluster|database_cluster)(?:_v\d+)?$/, "cluster"],
  [/_(?:dns_zone|managed_zone)(?:_v\d+)?$/, "dns-zone"],
  [/_(?:snapshot|backup)(?:_v\d+)?$/, "backup"],
];

/** The stateful category of a Terraform resource type, or undefined when deleting it loses no data. */
export function statefulType(type: string): StatefulType | undefined {
  const known = BY_TYPE.get(type);
  if (known) return known;
  if (type.includes("attach")) return undefined;
  for (const [pattern, category] of PATTERNS) {
    if (pattern.test(type)) return { category, blastRadius: CATEGORY_RADIUS[category], cancellable: false };
  }
  return undefined;
}
