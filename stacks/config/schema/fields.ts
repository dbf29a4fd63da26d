/**
 * What every setting means and allows: the construct rules of constructs/model/ under their
 * settings paths, plus the few settings no construct prop carries (names, zones, switches).
 */
import { acmCertificateArn } from "../../../constructs/model/arns";
import {
  awsAccountId,
  awsRegion,
  domainName,
  hostedZoneId,
  hostedZoneName,
} from "../../../constructs/model/aws-limits";
import { kmsKeyArn } from "../../../constructs/model/arns";
import { booleanValue, check, matches, optional } from "../../../constructs/model/checks";
import { SERVICE_GROUP, SERVICE_RULES } from "../../../constructs/model/fargate-service";
import {
  ACCESS_LOG_OBJECT_LOCK_DAYS,
  ACCESS_LOG_RETENTION_DAYS,
  CERTIFICATE_RULES,
  LOAD_BALANCER_RULES,
  WEB_ACL_RULES,
} from "../../../constructs/model/load-balancer";
import {
  NETWORK_CROSS_CHECKS,
  NETWORK_RULES,
  interfaceEndpointList,
} from "../../../constructs/model/network";
import { ALARM_GROUP } from "../../../constructs/model/alarms";
import { CACHE_GROUP, DATABASE_GROUP } from "../../../constructs/model/data-tier";
import { S3_BUCKET_NAME } from "../../../constructs/model/aws-limits";
import { KMS_KEY_RULES } from "../../../constructs/model/iam";
import { internetEgressDestinations } from "../../../constructs/model/security-groups";
import type { PropRules, RuleGroup } from "../../../constructs/model/props";
import { REGISTRY_RULES } from "../../../constructs/model/registry";
import { userTags } from "../../../constructs/model/tags";
import { workloadMap } from "../../../constructs/model/workloads";
import { EXISTING_VPC_GROUP } from "../../../constructs/model/existing-vpc";
import type {
  CacheSettings,
  DatabaseSettings,
  EdgeSettings,
  EnvironmentSettings,
  NetworkSettings,
  RegistrySettings,
  ServiceSettings,
  StateSettings,
} from "../settings";
import { REGISTRY_STACK_NAME } from "../settings";
import { EDGE_CROSS_CHECKS, ENVIRONMENT_CROSS_CHECKS, foreignKeyAdministrators } from "./cross-field";

export { S3_BUCKET_NAME };

/** Docker tag syntax; the `image_tag` Terraform variable validates the same pattern. */
export const IMAGE_TAG_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$";
export const imageTag = check(
  'a Docker tag of 1-128 letters, digits, _ . - (not starting with . or -), and not "latest": deploy a git SHA or a version',
  (v) => typeof v === "string" && new RegExp(IMAGE_TAG_PATTERN).test(v) && v !== "latest",
);
export const serviceName = matches(
  /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
  "2-32 lowercase letters, digits and hyphens, starting with a letter",
);
/** Environment and project names: short, since every resource name carries both. */
export const SHORT_NAME = matches(
  /^[a-z][a-z0-9-]{0,14}[a-z0-9]$/,
  "2-16 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen",
  16,
);
/** Stack names that environments may not take. */
export const RESERVED_STACK_NAMES = [REGISTRY_STACK_NAME, "project"] as const;
export const environmentName = check(
  `${SHORT_NAME.allowed}, other than ${RESERVED_STACK_NAMES.join(", ")}`,
  (v) => SHORT_NAME.test(v) && !(RESERVED_STACK_NAMES as readonly unknown[]).includes(v),
  { ...SHORT_NAME.schema, not: { enum: [...RESERVED_STACK_NAMES] } },
);

const pick = <P, K extends keyof P>(rules: PropRules<P>, keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, rules[k]])) as PropRules<Pick<P, K>>;

const NETWORK_SETTINGS: RuleGroup<NetworkSettings & { region: string }> = {
  rules: {
    ...pick(NETWORK_RULES, [
      "vpcCidr",
      "availabilityZones",
      "subnetPrefixLength",
      "natStrategy",
      "flowLogRetentionDays",
      "s3EndpointBuckets",
    ]),
    appInternetEgress: {
      description:
        'Where the service may open HTTPS connections on the internet, through NAT: IPv4 CIDRs or managed prefix lists. "0.0.0.0/0" allows any HTTPS destination (what tasks need to reach AWS APIs without interface endpoints); [] allows none.',
      check: internetEgressDestinations,
      default: [],
    },
    interfaceEndpoints: {
      description: "Interface VPC endpoints created in the private subnets.",
      check: interfaceEndpointList,
      default: [],
    },
  },
  crossChecks: NETWORK_CROSS_CHECKS,
  nested: {
    existingVpc: {
      group: EXISTING_VPC_GROUP as RuleGroup<unknown>,
      context: { region: "region" },
      description: "An existing VPC and its subnets per tier, instead of creating the network.",
    },
  },
};

const SERVICE_SETTINGS: RuleGroup<ServiceSettings> = {
  ...(SERVICE_GROUP as RuleGroup<ServiceSettings>),
  rules: {
    name: { description: "ECS service name.", check: serviceName, default: "api" },
    ...(SERVICE_RULES as PropRules<ServiceSettings>),
    imageTagDefault: {
      description:
        "Default of the image_tag Terraform variable (unset: every plan passes -var image_tag=...).",
      check: optional(imageTag),
    },
    releaseTagsOnly: {
      description:
        "image_tag must match one of registry.protectedTagPatterns: images the lifecycle policy never expires, so a task started months later (scale-out, AZ loss, a replaced task) can still pull its image (required in prod). Promote a tested image by adding such a tag.",
      check: booleanValue,
      default: false,
    },
    taskRoleEscalationReason: {
      description:
        "Why the task role needs an action that can escalate privileges (iam:PassRole, sts:AssumeRole, IAM or policy writes, kms:CreateGrant, beyond their narrow forms): prod refuses one without it, whatever taskRoleBroadAccessAcknowledged says. At least 20 characters, reviewed like code.",
      check: optional(
        check(
          "a reason of 20 to 500 characters",
          (v) => typeof v === "string" && v.trim().length >= 20 && v.length <= 500,
        ),
      ),
    },
    executeCommandBreakGlass: {
      description:
        "Break glass: lets a prod environment turn on enableExecuteCommand (shell access to running tasks). Turn both off again after the incident.",
      check: booleanValue,
      default: false,
    },
  },
};

const EDGE_SETTINGS: RuleGroup<EdgeSettings & { namePrefix: string; region: string; account?: string }> = {
  rules: {
    domainName: { description: "Domain of the API.", check: optional(domainName) },
    hostedZoneId: {
      description: "Route 53 hosted zone of the domain, by id.",
      check: optional(hostedZoneId),
    },
    hostedZoneName: {
      description: "Route 53 hosted zone of the domain, by name (looked up).",
      check: optional(hostedZoneName),
    },
    certificateArn: {
      description: "Existing ACM certificate (instead of a DNS-validated one).",
      check: optional(acmCertificateArn),
    },
    subjectAlternativeNames: CERTIFICATE_RULES.subjectAlternativeNames,
    ...(LOAD_BALANCER_RULES as PropRules<EdgeSettings>),
    accessLogs: {
      description: "ALB access logs to an S3 bucket of the environment.",
      check: booleanValue,
      default: false,
    },
    accessLogRetentionDays: {
      description: "Days the ALB access logs are kept.",
      check: ACCESS_LOG_RETENTION_DAYS,
      default: 90,
    },
    accessLogNoncurrentVersionDays: {
      description: "Days overwritten or deleted access-log versions are kept (the bucket is versioned).",
      check: ACCESS_LOG_RETENTION_DAYS,
      default: 30,
    },
    accessLogObjectLockDays: {
      description:
        "Object Lock (governance mode) on every access-log object for this many days; 0 is off. Changing between 0 and more replaces the bucket.",
      check: ACCESS_LOG_OBJECT_LOCK_DAYS,
      default: 0,
    },
    waf: {
      description:
        "WAF web ACL in front of the ALB: a per-IP rate limit, then AWS managed rule groups (IP reputation, anonymous IPs, common rules, known bad inputs, SQL injection); its logs redact the authorization and cookie headers and keep service.logRetentionDays.",
      check: booleanValue,
      default: false,
    },
    wafRateLimitPerIp: WEB_ACL_RULES.rateLimitPerIp,
  } as PropRules<EdgeSettings & { namePrefix: string; region: string; account?: string }>,
  crossChecks: EDGE_CROSS_CHECKS,
};

/** A construct's rule group under a settings key, with an `enabled` switch (off by default) in front. */
function switchable<S extends { readonly enabled: boolean }>(
  group: RuleGroup<unknown>,
  description: string,
): RuleGroup<S> {
  return {
    ...(group as RuleGroup<S>),
    rules: {
      enabled: { description, check: booleanValue, default: false },
      ...(group.rules as PropRules<S>),
    },
  };
}

const DATABASE_SETTINGS = switchable<DatabaseSettings>(
  DATABASE_GROUP as RuleGroup<unknown>,
  "PostgreSQL on RDS in the isolated data tier; the service gets DATABASE_HOST, _PORT, _NAME, _USER (applicationUsername) and DATABASE_AUTH=iam and logs in with an IAM token per connection; one-off tasks get the master user, DATABASE_PASSWORD (from the secret RDS manages and rotates) and DATABASE_APP_USER.",
);

const CACHE_SETTINGS = switchable<CacheSettings>(
  CACHE_GROUP as RuleGroup<unknown>,
  "Redis on ElastiCache in the isolated data tier (TLS, IAM authentication); the service gets REDIS_HOST, REDIS_PORT, REDIS_USER and REDIS_TLS.",
);

const STATE_SETTINGS: RuleGroup<StateSettings & { defaultRegion: string }> = {
  rules: {
    bucket: {
      description: "S3 bucket for Terraform state (default: $TF_STATE_BUCKET, else local state).",
      check: optional(S3_BUCKET_NAME),
    },
    region: {
      description: "Region of the state bucket (default: $TF_STATE_REGION, else the stack's region).",
      check: awsRegion,
      after: ["defaultRegion"],
      default: (s) => s.defaultRegion,
    },
    kmsKeyArn: {
      description:
        "KMS key that encrypts this stack's state object (the S3 backend's kms_key_id): a key per environment keeps a pipeline that may use only dev's key from reading prod's state.",
      check: optional(kmsKeyArn),
    },
  },
};

const TAGS_RULE = { description: "Extra tags on every resource.", check: userTags, default: {} };

const KEY_ADMINISTRATORS = KMS_KEY_RULES.administratorArns as PropRules<{
  keyAdministratorArns: readonly string[];
}>["keyAdministratorArns"];

const FOREIGN_KEY_ADMINISTRATORS = {
  description:
    "Accepts keyAdministratorArns of another account than accountId: they would manage (and could schedule the deletion of) this stack's keys from outside it. A reviewed choice.",
  check: booleanValue,
  default: false,
};

/** Every environment setting: own rules, then network, service, edge and state. */
export const ENVIRONMENT_GROUP: RuleGroup<EnvironmentSettings> = {
  rules: {
    region: {
      description: "AWS region of the environment's resources.",
      check: awsRegion,
      default: "eu-west-1",
    },
    accountId: {
      description: "AWS account the environment must deploy to; the provider refuses any other.",
      check: optional(awsAccountId),
    },
    keyAdministratorArns: KEY_ADMINISTRATORS,
    foreignKeyAdministratorsAcknowledged: FOREIGN_KEY_ADMINISTRATORS,
    destroyProtection: {
      description:
        "prevent_destroy on every stateful resource (database, cache, buckets, log groups, keys, topic): terraform destroy, or an edit that would replace one of them, fails at plan with nothing deleted (required in prod).",
      check: booleanValue,
      default: false,
    },
    destroyBreakGlass: {
      description:
        "Break glass for a deliberate destroy: lifts destroyProtection and the database's and load balancer's deletion protection once applied. KMS keys stay protected: release them from the state first (help/day-two.md, Tearing an environment down).",
      check: booleanValue,
      default: false,
    },
    tags: TAGS_RULE,
    workloads: {
      description:
        'Queue workers and scheduled jobs beside the service, by name: {"<name>": {"kind": "worker", ...}} or {"kind": "job", "schedule": "cron(0 3 * * ? *)", ...}. Each runs the service\'s image with its own command, task definition, roles, log group and security group (help/workloads.md).',
      check: workloadMap,
      default: {},
    },
  },
  crossChecks: ENVIRONMENT_CROSS_CHECKS,
  nested: {
    network: { group: NETWORK_SETTINGS, context: { region: "region" } },
    service: { group: SERVICE_SETTINGS },
    edge: {
      group: EDGE_SETTINGS,
      context: { namePrefix: "namePrefix", region: "region", account: "accountId" },
    },
    database: { group: DATABASE_SETTINGS },
    cache: { group: CACHE_SETTINGS },
    alarms: { group: ALARM_GROUP as RuleGroup<unknown> },
    state: { group: STATE_SETTINGS, context: { defaultRegion: "region" } },
  },
};

/** Every registry setting ("registry" in the override file). */
export const REGISTRY_GROUP: RuleGroup<RegistrySettings> = {
  rules: {
    region: { description: "Region of the ECR repository.", check: awsRegion, default: "eu-west-1" },
    accountId: { description: "AWS account of the registry stack.", check: optional(awsAccountId) },
    keyAdministratorArns: KEY_ADMINISTRATORS,
    foreignKeyAdministratorsAcknowledged: FOREIGN_KEY_ADMINISTRATORS,
    ...(REGISTRY_RULES as PropRules<RegistrySettings>),
    destroyProtection: {
      description:
        "prevent_destroy on the repository and its key: every environment runs images from it, so terraform destroy of the registry, or an edit that would replace the repository, fails at plan with nothing deleted.",
      check: booleanValue,
      default: true,
    },
    destroyBreakGlass: {
      description:
        "Break glass for a deliberate destroy of the registry: lifts the repository's prevent_destroy once applied (empty it first, or set forceDelete). The key stays protected: release it from the state first (help/day-two.md, Tearing an environment down).",
      check: booleanValue,
      default: false,
    },
    tags: TAGS_RULE,
  },
  crossChecks: [foreignKeyAdministrators("registry")],
  nested: { state: { group: STATE_SETTINGS, context: { defaultRegion: "region" } } },
};
