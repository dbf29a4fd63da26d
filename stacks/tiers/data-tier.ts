/**
 * PostgreSQL and Redis in the isolated subnets, under a key of their own, and what the service is
 * given to reach them: plain variables and IAM permissions only. The service logs in to both with
 * an IAM token per connection, so it holds no password that a rotation could make stale.
 */
import type { Construct } from "constructs";
import type { OneOffTaskAccess } from "../../constructs/fargate-service/fargate-service";
import type { KmsKey } from "../../constructs/kms-key";
import { CACHE_VARIABLES, DATABASE_VARIABLES } from "../../constructs/model/data-tier";
import { DATA_ACCESS } from "../../constructs/model/workloads";
import type { DataAccess } from "../../constructs/model/workloads";
import { viaServiceKeyStatement } from "../../constructs/model/iam";
import type { PolicyStatement } from "../../constructs/model/iam";
import { PostgresDatabase } from "../../constructs/postgres-database";
import { RedisCache } from "../../constructs/redis-cache";
import type { CacheSettings, DatabaseSettings } from "../config/settings";
import type { EnvironmentContext } from "./environment-context";
import { addEnvironmentKey } from "./environment-context";
import type { EnvironmentKeys } from "./environment-keys";
import type { NetworkTier } from "./network-tier";

export interface DataTierInput {
  readonly context: EnvironmentContext;
  readonly database: DatabaseSettings;
  readonly cache: CacheSettings;
  /** The database's log groups keep their logs as long as the service's (service.logRetentionDays). */
  readonly logRetentionDays: number;
  readonly network: NetworkTier;
  readonly keys: EnvironmentKeys;
}

export class DataTier {
  /** The database's storage and Performance Insights, and the cache's data and snapshots. */
  public readonly key?: KmsKey;
  public readonly database?: PostgresDatabase;
  public readonly cache?: RedisCache;

  constructor(scope: Construct, input: DataTierInput) {
    const { context } = input;
    if (!input.database.enabled && !input.cache.enabled) return;
    const key = addEnvironmentKey(scope, context, "data_key", {
      alias: "data",
      description: `Encrypts the database and cache data of ${context.namePrefix} at rest`,
      usage: viaServiceKeyStatement(
        "AccountUsesKeyThroughRdsAndElastiCache",
        [`rds.${context.region}.amazonaws.com`, `elasticache.${context.region}.amazonaws.com`],
        context.accountId,
        context.partition,
      ),
    });
    this.key = key;
    this.database = this.addDatabase(scope, input, key);
    this.cache = this.addCache(scope, input, key);
  }

  /** How the service finds its database and cache. */
  public get serviceEnvironment(): Record<string, string> {
    return this.accessFor(DATA_ACCESS).environment;
  }

  /** The variables and task-role statements that reach the given stores (those that exist). */
  public accessFor(stores: readonly DataAccess[]): {
    environment: Record<string, string>;
    statements: PolicyStatement[];
  } {
    const db = stores.includes("database") ? this.database : undefined;
    const cache = stores.includes("cache") ? this.cache : undefined;
    return { environment: this.environmentOf(db, cache), statements: this.statementsOf(db, cache) };
  }

  private environmentOf(db?: PostgresDatabase, cache?: RedisCache): Record<string, string> {
    return {
      ...(db && {
        [DATABASE_VARIABLES.host]: db.address,
        [DATABASE_VARIABLES.port]: String(db.port),
        [DATABASE_VARIABLES.name]: db.databaseName,
        [DATABASE_VARIABLES.user]: db.applicationUsername,
        [DATABASE_VARIABLES.auth]: "iam",
      }),
      ...(cache && {
        [CACHE_VARIABLES.host]: cache.primaryEndpointAddress,
        [CACHE_VARIABLES.port]: String(cache.port),
        [CACHE_VARIABLES.user]: cache.userName,
        [CACHE_VARIABLES.tls]: "true",
      }),
    };
  }

  /**
   * The one-off tasks (migrations) are the administrative path: they log in as the master user with
   * the password RDS keeps and rotates (read when a task starts, so never stale), and learn which
   * user to create for the service. Only their execution role may read the master secret.
   */
  public get oneOffTaskAccess(): OneOffTaskAccess | undefined {
    const db = this.database;
    if (!db) return undefined;
    return {
      environment: {
        [DATABASE_VARIABLES.user]: db.masterUsername,
        [DATABASE_VARIABLES.auth]: "password",
        [DATABASE_VARIABLES.applicationUser]: db.applicationUsername,
      },
      referencedSecrets: {
        [DATABASE_VARIABLES.password]: { secretArn: db.masterUserSecretArn, jsonKey: "password" },
      },
    };
  }

  /**
   * IAM authentication: the task role may connect to this cache as its application user, and to this
   * database (by its resource id) as the service's database user only.
   */
  public get serviceStatements(): PolicyStatement[] {
    return this.accessFor(DATA_ACCESS).statements;
  }

  private statementsOf(db?: PostgresDatabase, cache?: RedisCache): PolicyStatement[] {
    return [
      ...(db
        ? [
            {
              sid: "ConnectToTheDatabaseAsTheServiceUser",
              effect: "Allow" as const,
              actions: ["rds-db:connect"],
              resources: [db.connectArn(db.applicationUsername)],
            },
          ]
        : []),
      ...(cache
        ? [
            {
              sid: "ConnectToTheCacheAsTheApplicationUser",
              effect: "Allow" as const,
              actions: ["elasticache:Connect"],
              resources: [cache.replicationGroup.arn, cache.applicationUser.arn],
            },
          ]
        : []),
    ];
  }

  private addDatabase(scope: Construct, input: DataTierInput, key: KmsKey): PostgresDatabase | undefined {
    const { context, network, keys } = input;
    const { enabled, ...options } = input.database;
    if (!enabled) return undefined;
    return new PostgresDatabase(scope, "database", {
      ...options,
      deletionProtection: options.deletionProtection && !context.destroyBreakGlass,
      namePrefix: context.namePrefix,
      region: context.region,
      accountId: context.accountId,
      partition: context.partition,
      subnetGroupName: network.network.dbSubnetGroup.name,
      securityGroupIds: [network.securityGroups.groupId("data")],
      storageKmsKeyArn: key.keyArn,
      secretKmsKeyArn: keys.secrets.keyArn,
      logKmsKeyArn: keys.logs.keyArn,
      logRetentionDays: input.logRetentionDays,
    });
  }

  private addCache(scope: Construct, input: DataTierInput, key: KmsKey): RedisCache | undefined {
    const { enabled, ...options } = input.cache;
    if (!enabled) return undefined;
    return new RedisCache(scope, "cache", {
      ...options,
      namePrefix: input.context.namePrefix,
      subnetIds: input.network.network.isolatedSubnetIds,
      securityGroupIds: [input.network.securityGroups.groupId("cache")],
      kmsKeyArn: key.keyArn,
    });
  }
}
