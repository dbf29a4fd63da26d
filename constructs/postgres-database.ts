import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { DATABASE_GROUP, databaseIdentifier, finalSnapshotIdentifier } from "./model/data-tier";
import type { DatabaseOptions } from "./model/data-tier";
import { forPolicyDocument, serviceTrustStatement } from "./model/iam";
import { withGroupDefaults } from "./model/props";
import { POSTGRES_PORT } from "./model/security-groups";
import { acceptLogRetention } from "./support/accepted-findings";
import { acceptFindings } from "./support/accepted-findings";

/** Log types PostgreSQL exports to CloudWatch Logs (checkov CKV_AWS_129). */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
/** Log groups RDS writes exports to: `/aws/rds/instance/<identifier>/<type>`. */
export const RDS_LOG_GROUP_PREFIX = "/aws/rds/instance/";

export interface PostgresDatabaseProps extends DatabaseOptions {
  /** Prefix of resource names, e.g. "orders-api-prod"; the instance is "<prefix>-postgres". */
  readonly namePrefix: string;
  readonly region: string;
  /** Account id (may be a token), for the monitoring role's trust conditions. */
  readonly accountId: string;
  readonly partition: string;
  /** DB subnet group of the isolated data tier. */
  readonly subnetGroupName: string;
  /** The data tier's group; it should accept 5432 from the service's group only. */
  readonly securityGroupIds: readonly string[];
  /** Customer-managed key of the storage and of Performance Insights. */
  readonly storageKmsKeyArn: string;
  /** Customer-managed key of the master user secret RDS keeps in Secrets Manager. */
  readonly secretKmsKeyArn: string;
  /**
   * Key of the exported log groups (its policy must let CloudWatch Logs use it for them).
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly logKmsKeyArn?: string;
  /** Days the exported logs are kept. */
  readonly logRetentionDays: number;
}

/**
 * PostgreSQL on RDS in the isolated data tier: encrypted storage with autoscaling, a parameter
 * group forcing TLS and logging slow statements and DDL, logs exported to encrypted log groups
 * created first, the master password generated and kept by RDS in Secrets Manager (never in
 * Terraform), optional Performance Insights and enhanced monitoring.
 */
export class PostgresDatabase extends Construct {
  public readonly identifier: string;
  public readonly parameterGroup: DbParameterGroup;
  public readonly logGroups: CloudwatchLogGroup[];
  public readonly monitoringRole?: IamRole;
  public readonly instance: DbInstance;
  /** ARN of the secret holding {"username", "password"}, created and rotated by RDS. */
  public readonly masterUserSecretArn: string;
  public readonly address: string;
  public readonly port: number;
  public readonly databaseName: string;
  public readonly masterUsername: string;
  /** The user the service logs in as with IAM tokens (created by a one-off task, never by Terraform). */
  public readonly applicationUsername: string;

  private readonly props: PostgresDatabaseProps & Required<DatabaseOptions>;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    this.props = withGroupDefaults(DATABASE_GROUP, props) as PostgresDatabaseProps &
      Required<DatabaseOptions>;
    this.identifier = databaseIdentifier(props.namePrefix);
    this.port = POSTGRES_PORT;
    this.databaseName = this.props.databaseName;
    this.masterUsername = this.props.masterUsername;
    this.applicationUsername = this.props.applicationUsername;

    this.parameterGroup = this.createParameterGroup();
    this.logGroups = this.createLogGroups();
    this.monitoringRole = this.createMonitoringRole();
    this.instance = this.createInstance();
    this.recordAcceptedFindings();
    this.masterUserSecretArn = this.instance.masterUserSecret.get(0).secretArn;
    this.address = this.instance.address;
  }

  /** The scanner findings this database's settings make, and that the design accepts. */
  private recordAcceptedFindings(): void {
    const p = this.props;
    acceptFindings(this.instance, "standardDatabasePort");
    if (!p.multiAz) acceptFindings(this.instance, "singleAzDatabase");
    if (!p.deletionProtection) acceptFindings(this.instance, "databaseDeletable");
    if (!p.finalSnapshot) acceptFindings(this.instance, "noFinalSnapshot");
    if (p.enhancedMonitoringSeconds === 0) acceptFindings(this.instance, "noEnhancedMonitoring");
    if (!p.performanceInsights) acceptFindings(this.instance, "noPerformanceInsights");
  }

  /** What `rds-db:connect` is granted on: one database user of this instance (by its resource id). */
  public connectArn(username: string): string {
    const { partition, region, accountId } = this.props;
    return `arn:${partition}:rds-db:${region}:${accountId}:dbuser:${this.instance.resourceId}/${username}`;
  }

  private createParameterGroup(): DbParameterGroup {
    const { engineVersion, slowQueryMilliseconds, namePrefix } = this.props;
    return new DbParameterGroup(this, "parameter_group", {
      namePrefix: `${namePrefix}-postgres${engineVersion}-`,
      family: `postgres${engineVersion}`,
      description: `PostgreSQL ${engineVersion} settings of ${namePrefix}: TLS only, slow statements and DDL logged`,
      parameter: [
        { name: "log_min_duration_statement", value: String(slowQueryMilliseconds) },
        { name: "log_statement", value: "ddl" },
        { name: "rds.force_ssl", value: "1" },
      ],
      // A new family (major upgrade) needs a new group before the instance moves to it.
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /** Created before the instance, so RDS writes into encrypted groups with a retention. */
  private createLogGroups(): CloudwatchLogGroup[] {
    return POSTGRES_LOG_EXPORTS.map((type) =>
      acceptLogRetention(
        new CloudwatchLogGroup(this, `${type}_log_group`, {
          name: `${RDS_LOG_GROUP_PREFIX}${this.identifier}/${type}`,
          retentionInDays: this.props.logRetentionDays,
          kmsKeyId: this.props.logKmsKeyArn,
        }),
      ),
    );
  }

  /** The role enhanced monitoring publishes with: only RDS of this account, only the RDSOSMetrics group. */
  private createMonitoringRole(): IamRole | undefined {
    const { enhancedMonitoringSeconds, accountId, partition, region } = this.props;
    if (enhancedMonitoringSeconds === 0) return undefined;
    const role = new IamRole(this, "monitoring_role", {
      name: `${this.identifier}-monitoring`,
      description: `Lets RDS enhanced monitoring of ${this.identifier} write OS metrics to CloudWatch Logs`,
      assumeRolePolicy: new DataAwsIamPolicyDocument(this, "monitoring_trust_policy", {
        statement: forPolicyDocument([
          serviceTrustStatement({ service: "monitoring.rds.amazonaws.com", accountId }),
        ]),
      }).json,
    });
    const metricsGroup = `arn:${partition}:logs:${region}:${accountId}:log-group:RDSOSMetrics`;
    const document = new DataAwsIamPolicyDocument(this, "monitoring_policy_document", {
      statement: forPolicyDocument([
        {
          sid: "CreateTheMetricsLogGroup",
          effect: "Allow",
          actions: ["logs:CreateLogGroup", "logs:PutRetentionPolicy"],
          resources: [metricsGroup],
        },
        {
          sid: "WriteTheMetricsLogStreams",
          effect: "Allow",
          actions: [
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "logs:DescribeLogStreams",
            "logs:GetLogEvents",
          ],
          resources: [`${metricsGroup}:log-stream:*`],
        },
      ]),
    });
    acceptFindings(document, "logStreamWildcard");
    new IamRolePolicy(this, "monitoring_policy", {
      name: "enhanced-monitoring",
      role: role.id,
      policy: document.json,
    });
    return role;
  }

  private createInstance(): DbInstance {
    const p = this.props;
    return new DbInstance(this, "instance", {
      identifier: this.identifier,
      engine: "postgres",
      engineVersion: p.engineVersion,
      autoMinorVersionUpgrade: true,
      instanceClass: p.instanceClass,
      allocatedStorage: p.allocatedStorageGb,
      maxAllocatedStorage: p.maxAllocatedStorageGb,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: p.storageKmsKeyArn,
      dbName: p.databaseName,
      username: p.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: p.secretKmsKeyArn,
      port: this.port,
      dbSubnetGroupName: p.subnetGroupName,
      vpcSecurityGroupIds: [...p.securityGroupIds],
      publiclyAccessible: false,
      parameterGroupName: this.parameterGroup.name,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      multiAz: p.multiAz,
      deletionProtection: p.deletionProtection,
      skipFinalSnapshot: !p.finalSnapshot,
      finalSnapshotIdentifier: p.finalSnapshot ? finalSnapshotIdentifier(p.namePrefix) : undefined,
      backupRetentionPeriod: p.backupRetentionDays,
      // Backups outlive the instance: a destroy (even a deliberate one) keeps point-in-time recovery.
      deleteAutomatedBackups: false,
      backupWindow: p.backupWindow,
      maintenanceWindow: p.maintenanceWindow,
      copyTagsToSnapshot: true,
      iamDatabaseAuthenticationEnabled: p.iamAuthentication,
      enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      performanceInsightsEnabled: p.performanceInsights,
      performanceInsightsKmsKeyId: p.performanceInsights ? p.storageKmsKeyArn : undefined,
      performanceInsightsRetentionPeriod: p.performanceInsights ? 7 : undefined,
      monitoringInterval: p.enhancedMonitoringSeconds,
      monitoringRoleArn: this.monitoringRole?.arn,
      // An apply is done when it ends: no change waits for the maintenance window to surprise a later plan.
      applyImmediately: true,
      dependsOn: this.logGroups,
      tags: { Name: this.identifier },
    });
  }
}
