/**
 * What every tier of an environment knows about where it is deployed, and the one way a tier
 * makes a key.
 *
 * A tier is a group of constructs with an explicit input and output, not a node of the construct
 * tree: it places its constructs directly in the stack's scope. Resource addresses come from
 * construct paths, so grouping by tier leaves every address where environments were deployed with.
 */
import type { Construct } from "constructs";
import { KmsKey } from "../../constructs/kms-key";
import { cloudWatchLogsKeyStatement } from "../../constructs/model/iam";
import type { PolicyStatement } from "../../constructs/model/iam";

export interface EnvironmentContext {
  /** `<project>-<environment>`: the prefix of every resource name. */
  readonly namePrefix: string;
  readonly region: string;
  /** Literal account id when configured, otherwise the caller identity's (a token). */
  readonly accountId: string;
  readonly partition: string;
  /** IAM roles named as administrators (manage, not use) in the policy of every key. */
  readonly keyAdministratorArns: readonly string[];
  /** Break glass: deletion protection is lifted for a deliberate destroy. */
  readonly destroyBreakGlass: boolean;
}

export interface EnvironmentKeyProps {
  /** The alias after the name prefix: `alias/<namePrefix>/<alias>`. */
  readonly alias: string;
  readonly description: string;
  /** Who may use the key, and through which service. */
  readonly usage: PolicyStatement;
  /** Other services that use it on the account's behalf. @default [] */
  readonly serviceUsage?: readonly PolicyStatement[];
}

/** A customer-managed key of the environment, for one purpose. */
export function addEnvironmentKey(
  scope: Construct,
  context: EnvironmentContext,
  id: string,
  props: EnvironmentKeyProps,
): KmsKey {
  return new KmsKey(scope, id, {
    aliasName: `${context.namePrefix}/${props.alias}`,
    description: props.description,
    accountId: context.accountId,
    partition: context.partition,
    administratorArns: context.keyAdministratorArns,
    usageStatements: [props.usage, ...(props.serviceUsage ?? [])],
  });
}

/** Use of a key by CloudWatch Logs, for this environment's log groups whose names match the patterns. */
export function logGroupsKeyUsage(
  context: EnvironmentContext,
  namePatterns: readonly string[],
): PolicyStatement {
  const { partition, region, accountId } = context;
  return cloudWatchLogsKeyStatement(
    region,
    namePatterns.map((pattern) => `arn:${partition}:logs:${region}:${accountId}:log-group:${pattern}`),
  );
}
