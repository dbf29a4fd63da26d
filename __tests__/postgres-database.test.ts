import "cdktf/lib/testing/adapters/jest";
import { PostgresDatabase } from "../constructs/postgres-database";
import type { PostgresDatabaseProps } from "../constructs/postgres-database";
import { windowsOverlap } from "../constructs/model/data-tier";
import { blockOf, ref, synth, testStack } from "./support/synth";
import type { Block } from "./support/synth";
import { validate } from "./support/validate";
import { DATABASE_GROUP } from "../constructs/model/data-tier";

const BASE: PostgresDatabaseProps = {
  namePrefix: "orders-api-prod",
  region: "eu-west-1",
  accountId: "123456789012",
  partition: "aws",
  subnetGroupName: "orders-api-prod-data",
  securityGroupIds: ["sg-data"],
  storageKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/data",
  secretKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/secrets",
  logKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/logs",
  logRetentionDays: 365,
};

function build(overrides: Partial<PostgresDatabaseProps> = {}) {
  const stack = testStack();
  const db = new PostgresDatabase(
    stack,
    "database",
    validate("test/database", DATABASE_GROUP, { ...BASE, ...overrides }),
  );
  const json = synth(stack);
  return { db, json, instance: blockOf(json, db.instance) };
}

describe("PostgresDatabase", () => {
  test("lets RDS generate and keep the master password in Secrets Manager under the secrets key", () => {
    const { instance, json } = build();
    expect(instance).toMatchObject({
      manage_master_user_password: true,
      master_user_secret_kms_key_id: BASE.secretKmsKeyArn,
    });
    expect(instance.password).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/"password"\s*:/);
  });

  test("is private, encrypted, TLS-only, logged and upgraded, with the documented defaults", () => {
    const { instance, db, json } = build();
    expect(instance).toMatchObject({
      identifier: "orders-api-prod-postgres",
      engine: "postgres",
      engine_version: "16",
      publicly_accessible: false,
      storage_encrypted: true,
      kms_key_id: BASE.storageKmsKeyArn,
      allocated_storage: 20,
      max_allocated_storage: 100,
      db_subnet_group_name: BASE.subnetGroupName,
      vpc_security_group_ids: BASE.securityGroupIds,
      auto_minor_version_upgrade: true,
      iam_database_authentication_enabled: true,
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      performance_insights_enabled: true,
      performance_insights_kms_key_id: BASE.storageKmsKeyArn,
      monitoring_interval: 60,
      monitoring_role_arn: ref(db.monitoringRole as never, "arn"),
      skip_final_snapshot: false,
      final_snapshot_identifier: "orders-api-prod-postgres-final",
      backup_retention_period: 7,
    });
    const parameters = (blockOf(json, db.parameterGroup).parameter as Block[]).map((p) => [p.name, p.value]);
    expect(parameters).toEqual(
      expect.arrayContaining([
        ["rds.force_ssl", "1"],
        ["log_statement", "ddl"],
        ["log_min_duration_statement", "1000"],
      ]),
    );
    for (const group of db.logGroups) {
      expect(blockOf(json, group)).toMatchObject({ kms_key_id: BASE.logKmsKeyArn, retention_in_days: 365 });
    }
  });

  test("turns monitoring, Performance Insights and the final snapshot off when asked", () => {
    const { instance, db } = build({
      enhancedMonitoringSeconds: 0,
      performanceInsights: false,
      finalSnapshot: false,
    });
    expect(db.monitoringRole).toBeUndefined();
    expect(instance).toMatchObject({
      monitoring_interval: 0,
      performance_insights_enabled: false,
      skip_final_snapshot: true,
    });
    expect(instance.final_snapshot_identifier).toBeUndefined();
  });

  test("refuses storage limits below the allocation and overlapping windows, all in one error", () => {
    expect(() =>
      build({
        allocatedStorageGb: 200,
        maxAllocatedStorageGb: 100,
        backupWindow: "04:00-05:00",
        maintenanceWindow: "sun:04:30-sun:05:30",
      }),
    ).toThrow(/maxAllocatedStorageGb: got 100[\s\S]*maintenanceWindow: got 'sun:04:30-sun:05:30'/);
    expect(() => build({ masterUsername: "rdsadmin" })).toThrow(/masterUsername: got 'rdsadmin'/);
  });

  test("finds overlapping daily and weekly windows, across midnight too", () => {
    expect(windowsOverlap("03:00-04:00", "sun:04:30-sun:05:30")).toBe(false);
    expect(windowsOverlap("03:00-05:00", "sun:04:30-sun:05:30")).toBe(true);
    expect(windowsOverlap("23:30-00:30", "mon:00:00-mon:00:45")).toBe(true);
  });
});
