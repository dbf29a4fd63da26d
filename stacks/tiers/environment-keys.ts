/**
 * The keys more than one tier uses: the application's logs, the audit trail, the secrets. Keys
 * of a single tier (the data key, ECS Exec's, the notifications key) live with that tier.
 */
import type { Construct } from "constructs";
import type { KmsKey } from "../../constructs/kms-key";
import { viaServiceKeyStatement } from "../../constructs/model/iam";
import { RDS_LOG_GROUP_PREFIX } from "../../constructs/postgres-database";
import { WAF_LOG_GROUP_PREFIX } from "../../constructs/web-acl";
import { addEnvironmentKey, logGroupsKeyUsage } from "./environment-context";
import type { EnvironmentContext } from "./environment-context";

export interface EnvironmentKeysInput {
  readonly context: EnvironmentContext;
}

export class EnvironmentKeys {
  /** What the application and its database write: read by the team running it. */
  public readonly logs: KmsKey;
  /** What AWS records about the environment (flow logs, WAF logs): an audit trail the app never writes. */
  public readonly auditLogs: KmsKey;
  /** Secrets Manager secrets and SSM parameters of the environment. */
  public readonly secrets: KmsKey;

  constructor(scope: Construct, { context }: EnvironmentKeysInput) {
    const { namePrefix, region, accountId, partition } = context;
    this.logs = addEnvironmentKey(scope, context, "logs_key", {
      alias: "logs",
      description: `Encrypts the container and database log groups of ${namePrefix}`,
      usage: logGroupsKeyUsage(context, [`/ecs/${namePrefix}/*`, `${RDS_LOG_GROUP_PREFIX}${namePrefix}-*`]),
    });
    this.auditLogs = addEnvironmentKey(scope, context, "audit_logs_key", {
      alias: "audit-logs",
      description: `Encrypts the VPC flow logs and WAF logs of ${namePrefix}`,
      usage: logGroupsKeyUsage(context, [`/vpc/${namePrefix}/*`, `${WAF_LOG_GROUP_PREFIX}${namePrefix}`]),
    });
    this.secrets = addEnvironmentKey(scope, context, "secrets_key", {
      alias: "secrets",
      description: `Encrypts the Secrets Manager secrets and SSM parameters of ${namePrefix}`,
      usage: viaServiceKeyStatement(
        "AccountUsesKeyThroughSecretsManagerAndSsm",
        [`secretsmanager.${region}.amazonaws.com`, `ssm.${region}.amazonaws.com`],
        accountId,
        partition,
      ),
    });
  }
}
