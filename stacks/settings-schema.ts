/**
 * The single source of what each setting means and allows. The validator, the unknown-field
 * check of override files and the README's configuration reference all read these tables.
 */
import { availabilityZoneOf, awsRegion, logRetentionDays } from "../constructs/aws-limits";
import type { Check } from "../constructs/checks";
import {
  booleanValue,
  check,
  integerIn,
  listOf,
  mapOf,
  matches,
  oneOf,
  optional,
} from "../constructs/checks";
import { INTERFACE_ENDPOINT_SERVICES } from "../constructs/interface-endpoints";
import { AZ_COUNT_RANGE, NAT_STRATEGIES, VPC_PREFIX_RANGE } from "../constructs/network";
import { ipv4Cidr, parseIpv4Cidr, slotsPerTier } from "../constructs/subnet-cidrs";
import type { EnvironmentSettings, ProjectSettings } from "./settings";

/** One problem in the configuration: where, what was received, what is allowed. */
export interface SettingsProblem {
  /** Environment name, "registry", or "project"/"config-file" for settings outside an environment. */
  readonly scope: string;
  /** Dotted path of the setting, e.g. "network.vpcCidr". */
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
}

/** A setting of an environment. */
export interface FieldSpec {
  readonly path: string;
  readonly description: string;
  /** The rule, or a function of the environment's other settings returning it. */
  readonly rule: Check | ((env: EnvironmentSettings) => Check);
  /** Settings the rule depends on; it is skipped when one of them is itself invalid. */
  readonly after?: readonly string[];
}

/** A check across settings (or across environments) that a single field rule cannot express. */
export interface CrossFieldRule {
  readonly description: string;
  /** Settings it reads; it is skipped when one of them failed its own field rule. */
  readonly reads: readonly string[];
  readonly check: (
    env: EnvironmentSettings,
    project: ProjectSettings,
  ) => Array<Omit<SettingsProblem, "scope">>;
}

const awsAccountId = matches(/^\d{12}$/, "a 12-digit AWS account id");
export const S3_BUCKET_NAME = matches(
  /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  "an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens",
);
const tagKey = matches(
  /^(?!aws:)[\w .:/=+\-@]{1,128}$/,
  "a tag key of 1-128 characters, not starting with aws:",
);
const tagValue = matches(/^[\w .:/=+\-@]{0,256}$/, "a tag value of at most 256 characters");

export const ENVIRONMENT_FIELDS: readonly FieldSpec[] = [
  { path: "region", description: "AWS region of the environment's resources.", rule: awsRegion },
  {
    path: "accountId",
    description: "AWS account the environment must deploy to; the provider refuses any other.",
    rule: optional(awsAccountId),
  },
  {
    path: "network.vpcCidr",
    description: "IPv4 CIDR of the VPC.",
    rule: ipv4Cidr(VPC_PREFIX_RANGE.min, VPC_PREFIX_RANGE.max),
  },
  {
    path: "network.availabilityZones",
    description: "Availability zones the tiers are spread over (default: the region's first two).",
    rule: (env) =>
      listOf(availabilityZoneOf(env.region), {
        min: AZ_COUNT_RANGE.min,
        max: AZ_COUNT_RANGE.max,
        unique: true,
      }),
    after: ["region"],
  },
  {
    path: "network.subnetPrefixLength",
    description: "Prefix length of every subnet (default: the VPC prefix + 4).",
    rule: (env) => {
      const vpcPrefix = parseIpv4Cidr(env.network.vpcCidr)?.prefixLength ?? VPC_PREFIX_RANGE.max;
      return integerIn(vpcPrefix + 1, 28, `(longer than the VPC prefix /${vpcPrefix}, at most /28)`);
    },
    after: ["network.vpcCidr"],
  },
  {
    path: "network.natStrategy",
    description: "NAT gateways: one per AZ, one shared, or none (then interface endpoints are required).",
    rule: oneOf(NAT_STRATEGIES),
  },
  {
    path: "network.interfaceEndpoints",
    description: "Interface VPC endpoints created in the private subnets.",
    rule: listOf(oneOf(INTERFACE_ENDPOINT_SERVICES), { unique: true }),
  },
  {
    path: "network.flowLogRetentionDays",
    description: "Retention of the VPC flow-log group.",
    rule: logRetentionDays,
  },
  {
    path: "network.cacheTier",
    description: "Adds the cache tier's security group and the app → cache:6379 flow.",
    rule: booleanValue,
  },
  {
    path: "state.bucket",
    description: "S3 bucket for Terraform state (default: $TF_STATE_BUCKET, else local state).",
    rule: optional(S3_BUCKET_NAME),
  },
  {
    path: "state.region",
    description: "Region of the state bucket (default: $TF_STATE_REGION, else the environment's region).",
    rule: awsRegion,
    after: ["region"],
  },
  {
    path: "tags",
    description: "Extra tags on every resource.",
    rule: mapOf(tagKey, tagValue),
  },
];

export const ENVIRONMENT_RULES: readonly CrossFieldRule[] = [
  {
    description: "The subnets of 3 tiers × the AZs fit in the VPC CIDR at the chosen subnet size.",
    reads: ["network.vpcCidr", "network.subnetPrefixLength", "network.availabilityZones"],
    check: (env) => {
      const { vpcCidr, subnetPrefixLength, availabilityZones } = env.network;
      const vpcPrefix = parseIpv4Cidr(vpcCidr)?.prefixLength ?? 0;
      const perTier = slotsPerTier(vpcPrefix, subnetPrefixLength);
      if (availabilityZones.length <= perTier) return [];
      return [
        {
          field: "network.availabilityZones",
          value: availabilityZones,
          allowed: `at most ${perTier} AZs, because ${vpcCidr} split into /${subnetPrefixLength} subnets holds ${perTier} subnet(s) per tier for 3 tiers`,
        },
      ];
    },
  },
  {
    description:
      "With natStrategy none, private tasks reach ECR and CloudWatch Logs only through interface endpoints (ecr.api, ecr.dkr, logs; S3 always has its gateway endpoint).",
    reads: ["network.natStrategy", "network.interfaceEndpoints"],
    check: (env) => {
      if (env.network.natStrategy !== "none") return [];
      const required = ["ecr.api", "ecr.dkr", "logs"] as const;
      const missing = required.filter((s) => !env.network.interfaceEndpoints.includes(s));
      if (missing.length === 0) return [];
      return [
        {
          field: "network.interfaceEndpoints",
          value: env.network.interfaceEndpoints,
          allowed: `a list including ${required.join(", ")} when network.natStrategy is "none" (missing: ${missing.join(", ")})`,
        },
      ];
    },
  },
];

export const ENVIRONMENT_NAME = matches(
  /^[a-z][a-z0-9-]{0,14}[a-z0-9]$/,
  "2-16 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen",
  16,
);
export const PROJECT_NAME = matches(
  /^[a-z][a-z0-9-]{0,14}[a-z0-9]$/,
  "2-16 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen",
  16,
);
/** Stack names that environments may not take. */
export const RESERVED_STACK_NAMES = ["registry"] as const;

export const environmentName: Check = check(
  `${ENVIRONMENT_NAME.allowed}, other than ${RESERVED_STACK_NAMES.join(", ")}`,
  (v) => ENVIRONMENT_NAME.test(v) && !(RESERVED_STACK_NAMES as readonly unknown[]).includes(v),
);
