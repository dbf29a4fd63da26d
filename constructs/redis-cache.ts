import { Construct } from "constructs";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { CACHE_GROUP } from "./model/data-tier";
import type { CacheOptions } from "./model/data-tier";
import { withGroupDefaults } from "./model/props";
import { REDIS_PORT } from "./model/security-groups";
import { acceptFindings } from "./support/accepted-findings";

export interface RedisCacheProps extends CacheOptions {
  /** Prefix of resource names, e.g. "orders-api-prod"; the replication group is "<prefix>-redis". */
  readonly namePrefix: string;
  /** Isolated data-tier subnets. */
  readonly subnetIds: readonly string[];
  /** The cache tier's group; it should accept 6379 from the service's group only. */
  readonly securityGroupIds: readonly string[];
  /** Customer-managed key of the data at rest and of the snapshots. */
  readonly kmsKeyArn: string;
}

/**
 * Redis OSS on ElastiCache in the isolated data tier: a replication group with TLS in transit,
 * encryption at rest under a customer-managed key, daily snapshots, and automatic failover with
 * Multi-AZ from two nodes on. Clients authenticate with IAM: the one application user logs in
 * with a token signed by the task role (`elasticache:Connect`), so no password exists anywhere;
 * the `default` user every user group must hold is switched off.
 */
export class RedisCache extends Construct {
  public readonly subnetGroup: ElasticacheSubnetGroup;
  public readonly defaultUser: ElasticacheUser;
  public readonly applicationUser: ElasticacheUser;
  public readonly userGroup: ElasticacheUserGroup;
  public readonly replicationGroup: ElasticacheReplicationGroup;
  public readonly replicationGroupId: string;
  /** The user the service logs in as (IAM users have id = name). */
  public readonly userName: string;
  public readonly primaryEndpointAddress: string;
  /** The nodes' cluster ids, "<group>-001" and on, as ElastiCache names them (metric dimensions). */
  public readonly memberClusterIds: readonly string[];
  public readonly port: number;

  private readonly props: RedisCacheProps & Required<CacheOptions>;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    this.props = withGroupDefaults(CACHE_GROUP, props) as RedisCacheProps & Required<CacheOptions>;
    this.replicationGroupId = `${props.namePrefix}-redis`;
    this.userName = `${props.namePrefix}-app`;
    this.port = REDIS_PORT;
    this.memberClusterIds = Array.from(
      { length: this.props.nodeCount },
      (_, i) => `${this.replicationGroupId}-${String(i + 1).padStart(3, "0")}`,
    );

    this.subnetGroup = this.createSubnetGroup();
    this.defaultUser = this.createDisabledDefaultUser();
    this.applicationUser = this.createApplicationUser();
    this.userGroup = this.createUserGroup();
    this.replicationGroup = this.createReplicationGroup();
    if (this.props.nodeCount < 2) acceptFindings(this.replicationGroup, "singleCacheNode");
    this.primaryEndpointAddress = this.replicationGroup.primaryEndpointAddress;
  }

  private createSubnetGroup(): ElasticacheSubnetGroup {
    return new ElasticacheSubnetGroup(this, "subnet_group", {
      name: `${this.props.namePrefix}-cache`,
      description: `Isolated data-tier subnets of ${this.props.namePrefix}'s cache`,
      subnetIds: [...this.props.subnetIds],
    });
  }

  /** ElastiCache requires a user named "default" in every user group: this one can do nothing. */
  private createDisabledDefaultUser(): ElasticacheUser {
    return new ElasticacheUser(this, "default_user", {
      userId: `${this.props.namePrefix}-default`,
      userName: "default",
      engine: "redis",
      accessString: "off -@all",
      authenticationMode: { type: "no-password-required" },
    });
  }

  private createApplicationUser(): ElasticacheUser {
    return new ElasticacheUser(this, "application_user", {
      userId: this.userName,
      userName: this.userName,
      engine: "redis",
      // Every key and command but the dangerous administrative ones.
      accessString: "on ~* &* +@all -@dangerous",
      authenticationMode: { type: "iam" },
    });
  }

  private createUserGroup(): ElasticacheUserGroup {
    return new ElasticacheUserGroup(this, "user_group", {
      userGroupId: `${this.props.namePrefix}-users`,
      engine: "redis",
      userIds: [this.defaultUser.userId, this.applicationUser.userId],
    });
  }

  private createReplicationGroup(): ElasticacheReplicationGroup {
    const p = this.props;
    const highlyAvailable = p.nodeCount >= 2;
    return new ElasticacheReplicationGroup(this, "replication_group", {
      replicationGroupId: this.replicationGroupId,
      description: `Redis cache of ${p.namePrefix}`,
      engine: "redis",
      engineVersion: p.engineVersion,
      nodeType: p.nodeType,
      numCacheClusters: p.nodeCount,
      port: this.port,
      subnetGroupName: this.subnetGroup.name,
      securityGroupIds: [...p.securityGroupIds],
      atRestEncryptionEnabled: "true",
      kmsKeyId: p.kmsKeyArn,
      transitEncryptionEnabled: true,
      userGroupIds: [this.userGroup.userGroupId],
      automaticFailoverEnabled: highlyAvailable,
      multiAzEnabled: highlyAvailable,
      snapshotRetentionLimit: p.snapshotRetentionDays,
      snapshotWindow: p.snapshotWindow,
      finalSnapshotIdentifier: p.finalSnapshot ? `${this.replicationGroupId}-final` : undefined,
      maintenanceWindow: p.maintenanceWindow,
      autoMinorVersionUpgrade: "true",
      applyImmediately: true,
      tags: { Name: this.replicationGroupId },
    });
  }
}
