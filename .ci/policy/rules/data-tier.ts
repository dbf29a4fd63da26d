/** Policy rules: the data tier (PostgreSQL on RDS, Redis on ElastiCache, their secrets). */
import type { Entry, PolicyRule, StackView } from "../stack-view";
import { asList, paths } from "../stack-view";
import type { Block } from "../terraform-json";

const databases = (s: StackView) => s.resources("aws_db_instance");
const caches = (s: StackView) => s.resources("aws_elasticache_replication_group");
/** True for `true` and `"true"` (provider 6 types some ElastiCache switches as strings). */
const on = (v: unknown) => v === true || v === "true";
const cmk = (v: unknown) => typeof v === "string" && v.startsWith("${aws_kms_key.");
const databasesWhere = (s: StackView, broken: (db: Block) => boolean) =>
  paths(databases(s).filter((db) => broken(db.block)));
const cachesWhere = (s: StackView, broken: (rg: Block) => boolean) =>
  paths(caches(s).filter((rg) => broken(rg.block)));

/** The parameters of the group a database uses. */
function parametersOf(s: StackView, db: Entry): Map<string, string> {
  const group = s.referenced(db.block.parameter_group_name);
  return new Map(asList<Block>(group?.block.parameter).map((p) => [String(p.name), String(p.value)]));
}

const MODERN_CAS = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"];

export const DATA_TIER_RULES: readonly PolicyRule[] = [
  {
    ids: ["CKV_AWS_16", "AWS-0080", "AwsSolutions-RDS2"],
    title: "database storage is encrypted with a customer-managed key",
    violations: (s) => databasesWhere(s, (db) => !on(db.storage_encrypted) || !cmk(db.kms_key_id)),
  },
  {
    ids: ["CKV_AWS_17", "AWS-0180"],
    title: "databases are not publicly accessible and live in the isolated data tier",
    violations: (s) =>
      databasesWhere(
        s,
        (db) =>
          db.publicly_accessible !== false ||
          s.referenced(db.db_subnet_group_name)?.type !== "aws_db_subnet_group",
      ),
  },
  {
    ids: ["CKV_AWS_157", "AwsSolutions-RDS3"],
    title: "databases have a Multi-AZ standby",
    violations: (s) => databasesWhere(s, (db) => !on(db.multi_az)),
  },
  {
    ids: ["CKV_AWS_293", "AWS-0177", "AwsSolutions-RDS10"],
    title: "databases have deletion protection",
    violations: (s) => databasesWhere(s, (db) => !on(db.deletion_protection)),
  },
  {
    ids: ["PROJECT-RDS-FINAL-SNAPSHOT"],
    title: "destroying a database leaves a final snapshot",
    violations: (s) =>
      databasesWhere(s, (db) => db.skip_final_snapshot !== false || !db.final_snapshot_identifier),
  },
  {
    ids: ["CKV_AWS_133", "AWS-0077", "AwsSolutions-RDS13"],
    title: "automated backups are kept more than one day",
    violations: (s) => databasesWhere(s, (db) => !(Number(db.backup_retention_period) > 1)),
  },
  {
    ids: ["CKV_AWS_161", "AWS-0176"],
    title: "IAM database authentication is on",
    violations: (s) => databasesWhere(s, (db) => !on(db.iam_database_authentication_enabled)),
  },
  {
    ids: ["CKV_AWS_129"],
    title: "PostgreSQL logs are exported to CloudWatch Logs",
    violations: (s) =>
      databasesWhere(s, (db) => !asList<string>(db.enabled_cloudwatch_logs_exports).includes("postgresql")),
  },
  {
    ids: ["CKV_AWS_118"],
    title: "enhanced monitoring is on, through its own role",
    violations: (s) =>
      databasesWhere(s, (db) => !(Number(db.monitoring_interval) > 0) || !db.monitoring_role_arn),
  },
  {
    ids: ["CKV_AWS_353", "AWS-0133"],
    title: "Performance Insights is on",
    violations: (s) => databasesWhere(s, (db) => !on(db.performance_insights_enabled)),
  },
  {
    ids: ["CKV_AWS_354", "AWS-0078"],
    title: "Performance Insights, where on, is encrypted with a customer-managed key",
    violations: (s) =>
      databasesWhere(
        s,
        (db) => on(db.performance_insights_enabled) && !cmk(db.performance_insights_kms_key_id),
      ),
  },
  {
    ids: ["CKV_AWS_226"],
    title: "minor version upgrades are applied automatically",
    violations: (s) => databasesWhere(s, (db) => db.auto_minor_version_upgrade !== true),
  },
  {
    ids: ["CKV_AWS_211"],
    title: "databases use a current certificate authority",
    violations: (s) =>
      databasesWhere(
        s,
        (db) => db.ca_cert_identifier !== undefined && !MODERN_CAS.includes(String(db.ca_cert_identifier)),
      ),
  },
  {
    ids: ["CKV_AWS_250", "CKV_AWS_388"],
    title: "PostgreSQL is version 14 or later",
    violations: (s) =>
      databasesWhere(
        s,
        (db) => db.engine !== "postgres" || !(Number.parseFloat(String(db.engine_version)) >= 14),
      ),
  },
  {
    ids: ["CKV2_AWS_60"],
    title: "snapshots copy the database's tags",
    violations: (s) => databasesWhere(s, (db) => !on(db.copy_tags_to_snapshot)),
  },
  {
    ids: ["CKV2_AWS_30"],
    title: "PostgreSQL logs DDL and slow statements (log_statement, log_min_duration_statement)",
    violations: (s) =>
      paths(
        databases(s).filter((db) => {
          const parameters = parametersOf(s, db);
          return !parameters.has("log_statement") || !parameters.has("log_min_duration_statement");
        }),
      ),
  },
  {
    ids: ["CKV2_AWS_69"],
    title: "PostgreSQL accepts TLS connections only (rds.force_ssl = 1)",
    violations: (s) => paths(databases(s).filter((db) => parametersOf(s, db).get("rds.force_ssl") !== "1")),
  },
  {
    ids: ["PROJECT-RDS-MANAGED-PASSWORD"],
    title:
      "the master password is generated and kept by RDS in Secrets Manager under a customer-managed key: never in Terraform configuration, variables or state",
    violations: (s) =>
      databasesWhere(
        s,
        (db) =>
          db.manage_master_user_password !== true ||
          db.password !== undefined ||
          db.password_wo !== undefined ||
          !cmk(db.master_user_secret_kms_key_id),
      ),
  },
  {
    ids: ["AwsSolutions-RDS11"],
    title: "databases listen on a non-default port",
    violations: (s) => databasesWhere(s, (db) => db.port === undefined || Number(db.port) === 5432),
  },
  {
    ids: ["CKV_AWS_29", "AWS-0045"],
    title: "cache data is encrypted at rest",
    violations: (s) => cachesWhere(s, (rg) => !on(rg.at_rest_encryption_enabled)),
  },
  {
    ids: ["CKV_AWS_191"],
    title: "cache data is encrypted with a customer-managed key",
    violations: (s) => cachesWhere(s, (rg) => !cmk(rg.kms_key_id)),
  },
  {
    ids: ["CKV_AWS_30", "CKV_AWS_31", "AWS-0051"],
    title: "the cache takes TLS connections only, from authenticated users (a user group)",
    violations: (s) =>
      cachesWhere(s, (rg) => !on(rg.transit_encryption_enabled) || asList(rg.user_group_ids).length === 0),
  },
  {
    ids: ["PROJECT-CACHE-IAM-AUTH"],
    title:
      "cache users log in with IAM (no password exists), and the default user every user group must hold is switched off",
    violations: (s) =>
      paths(
        s.resources("aws_elasticache_user").filter((u) => {
          const mode = asList<Block>(u.block.authentication_mode)[0]?.type;
          if (u.block.user_name === "default") return !String(u.block.access_string).startsWith("off");
          return mode !== "iam" || u.block.passwords !== undefined;
        }),
      ),
  },
  {
    ids: ["CKV2_AWS_50"],
    title: "the cache fails over automatically to a replica in another AZ",
    violations: (s) => cachesWhere(s, (rg) => !on(rg.automatic_failover_enabled) || !on(rg.multi_az_enabled)),
  },
  {
    ids: ["AWS-0050"],
    title: "the cache keeps daily snapshots",
    violations: (s) => cachesWhere(s, (rg) => !(Number(rg.snapshot_retention_limit) > 0)),
  },
];
