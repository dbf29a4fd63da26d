/** What the service is given to reach the environment's database and cache. */
import type { OneOffTaskAccess } from "../constructs/fargate-service/fargate-service";
import type { PostgresDatabase } from "../constructs/postgres-database";
import type { RedisCache } from "../constructs/redis-cache";
import { CACHE_VARIABLES, DATABASE_VARIABLES } from "../constructs/model/data-tier";
import { viaServiceKeyStatement } from "../constructs/model/iam";
import type { PolicyStatement } from "../constructs/model/iam";
import { KmsKey } from "../constructs/kms-key";
import { PostgresDatabase as Database } from "../constructs/postgres-database";
import { RedisCache as Cache } from "../constructs/redis-cache";
import type { EnvironmentStack } from "./environment-stack";

/**
 * How the service finds its database and cache: plain variables only. It logs in to both with
 * IAM (a token per connection), so it holds no password that a rotation could make stale.
 */
export function dataTierEnvironment(
  db: PostgresDatabase | undefined,
  cache: RedisCache | undefined,
): Record<string, string> {
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
export function oneOffDataTierAccess(db: PostgresDatabase | undefined): OneOffTaskAccess | undefined {
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
export function dataTierStatements(
  db: PostgresDatabase | undefined,
  cache: RedisCache | undefined,
): PolicyStatement[] {
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

/** The database's storage and Performance Insights, and the cache's data and snapshots. */
export function addDataKey(stack: EnvironmentStack): KmsKey | undefined {
  const { database, cache } = stack.settings;
  if (!database.enabled && !cache.enabled) return undefined;
  return new KmsKey(stack, "data_key", {
    aliasName: `${stack.namePrefix}/data`,
    description: `Encrypts the database and cache data of ${stack.namePrefix} at rest`,
    accountId: stack.accountId,
    partition: stack.partition,
    administratorArns: stack.settings.keyAdministratorArns,
    usageStatements: [
      viaServiceKeyStatement(
        "AccountUsesKeyThroughRdsAndElastiCache",
        [`rds.${stack.region}.amazonaws.com`, `elasticache.${stack.region}.amazonaws.com`],
        stack.accountId,
        stack.partition,
      ),
    ],
  });
}

export function addDatabase(stack: EnvironmentStack): PostgresDatabase | undefined {
  const { enabled, ...options } = stack.settings.database;
  if (!enabled || stack.dataKey === undefined) return undefined;
  return new Database(stack, "database", {
    ...options,
    deletionProtection: options.deletionProtection && !stack.settings.destroyBreakGlass,
    namePrefix: stack.namePrefix,
    region: stack.region,
    accountId: stack.accountId,
    partition: stack.partition,
    subnetGroupName: stack.network.dbSubnetGroup.name,
    securityGroupIds: [stack.securityGroups.groupId("data")],
    storageKmsKeyArn: stack.dataKey.keyArn,
    secretKmsKeyArn: stack.secretsKey.keyArn,
    logKmsKeyArn: stack.logsKey.keyArn,
    logRetentionDays: stack.settings.service.logRetentionDays,
  });
}

export function addCache(stack: EnvironmentStack): RedisCache | undefined {
  const { enabled, ...options } = stack.settings.cache;
  if (!enabled || stack.dataKey === undefined) return undefined;
  return new Cache(stack, "cache", {
    ...options,
    namePrefix: stack.namePrefix,
    subnetIds: stack.network.isolatedSubnetIds,
    securityGroupIds: [stack.securityGroups.groupId("cache")],
    kmsKeyArn: stack.dataKey.keyArn,
  });
}
