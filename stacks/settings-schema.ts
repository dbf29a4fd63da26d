/**
 * The single source of what each setting means and allows. The validator, the unknown-field
 * check of override files and the README's configuration reference all read these tables.
 */
import {
  acmCertificateArn,
  availabilityZoneOf,
  awsRegion,
  domainIsInZone,
  domainName,
  elbName,
  fargateCpu,
  fargateMemoryFor,
  hostedZoneId,
  logRetentionDays,
  tcpPort,
} from "../constructs/aws-limits";
import type { Check, Problem } from "../constructs/checks";
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
import {
  TAGGED_IMAGES_TO_KEEP_RANGE,
  UNTAGGED_IMAGE_EXPIRY_RANGE,
  repositoryName,
} from "../constructs/container-registry";
import {
  CPU_ARCHITECTURES,
  capacityWeightProblem,
  countConsistencyProblem,
  nonRootUser,
} from "../constructs/fargate-service";
import {
  HEALTH_CHECK_LIMITS,
  deregistrationDelayProblem,
  healthCheckContractProblems,
  healthCheckPath,
} from "../constructs/health-check";
import { INTERFACE_ENDPOINT_SERVICES } from "../constructs/interface-endpoints";
import type { InterfaceEndpointService } from "../constructs/interface-endpoints";
import {
  ALLOWED_SSL_POLICIES,
  DEREGISTRATION_DELAY_RANGE,
  IDLE_TIMEOUT_RANGE,
} from "../constructs/load-balancer";
import { AZ_COUNT_RANGE, NAT_STRATEGIES, VPC_PREFIX_RANGE } from "../constructs/network";
import {
  environmentSecretProblems,
  environmentVariableName,
  parseSecretReference,
  secretArn,
} from "../constructs/secret-references";
import { ipv4Cidr, parseIpv4Cidr, slotsPerTier } from "../constructs/subnet-cidrs";
import type { EnvironmentSettings, ProjectSettings, RegistrySettings } from "./settings";

/** One problem in the configuration: where, what was received, what is allowed. */
export interface SettingsProblem {
  /** Environment name, "registry", or "project"/"config-file"/"environment-variables". */
  readonly scope: string;
  /** Dotted path of the setting, e.g. "network.vpcCidr". */
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
}

export type FieldProblem = Problem;

/** One setting: what it means and the rule it must pass. */
export interface FieldSpec<T> {
  readonly path: string;
  readonly description: string;
  /** The rule, or a function of the other (already valid) settings returning it. */
  readonly rule: Check | ((settings: T) => Check);
  /** Settings the rule depends on; it is skipped when one of them is itself invalid. */
  readonly after?: readonly string[];
  /** What is allowed, for the README, when the rule depends on other settings. */
  readonly documented?: string;
}

/** A check across settings (or against the project) that one field rule cannot express. */
export interface CrossFieldRule {
  readonly description: string;
  /** Settings it reads; it is skipped when one of them failed its own rule. */
  readonly reads: readonly string[];
  readonly check: (env: EnvironmentSettings, project: ProjectSettings) => FieldProblem[];
}

export const awsAccountId = matches(/^\d{12}$/, "a 12-digit AWS account id");
export const S3_BUCKET_NAME = matches(
  /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  "an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens",
);
const tagKey = matches(
  /^(?!aws:)[\w .:/=+\-@]{1,128}$/,
  "a tag key of 1-128 characters, not starting with aws:",
);
const tagValue = matches(/^[\w .:/=+\-@]{0,256}$/, "a tag value of at most 256 characters");
const tags = mapOf(tagKey, tagValue);
const stringValue = check("a string", (v) => typeof v === "string");

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

const count = integerIn(1, 1000, "tasks");
const percent = integerIn(10, 95, "percent");
const cooldown = integerIn(0, 3600, "seconds");
const weight = integerIn(0, 1000);
const limits = HEALTH_CHECK_LIMITS;
const kmsKeyArn = matches(
  /^arn:(aws|aws-us-gov|aws-cn):kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
  "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)",
);

export const ENVIRONMENT_FIELDS: ReadonlyArray<FieldSpec<EnvironmentSettings>> = [
  { path: "region", description: "AWS region of the environment's resources.", rule: awsRegion },
  {
    path: "accountId",
    description: "AWS account the environment must deploy to; the provider refuses any other.",
    rule: optional(awsAccountId),
  },
  // network
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
    documented: "2 or 3 distinct availability zone names of the region",
  },
  {
    path: "network.subnetPrefixLength",
    description: "Prefix length of every subnet (default: the VPC prefix + 4).",
    rule: (env) => {
      const vpcPrefix = parseIpv4Cidr(env.network.vpcCidr)?.prefixLength ?? VPC_PREFIX_RANGE.max;
      return integerIn(vpcPrefix + 1, 28, `(longer than the VPC prefix /${vpcPrefix}, at most /28)`);
    },
    after: ["network.vpcCidr"],
    documented: "an integer longer than the VPC prefix, at most 28",
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
  // service
  { path: "service.name", description: "ECS service name.", rule: serviceName },
  {
    path: "service.containerPort",
    description: "Port the container listens on; the target group forwards to it.",
    rule: tcpPort,
  },
  { path: "service.cpu", description: "Task CPU units (256 = 0.25 vCPU).", rule: fargateCpu },
  {
    path: "service.memory",
    description: "Task memory in MiB; must be a size Fargate offers for the CPU.",
    rule: (env) => fargateMemoryFor(env.service.cpu),
    after: ["service.cpu"],
    documented:
      "a size Fargate offers for service.cpu: 256 → 512-2048; 512 → 1024-4096; 1024 → 2048-8192; 2048 → 4096-16384 (steps of 1024); 4096 → 8192-30720; 8192 → 16384-61440 (steps of 4096); 16384 → 32768-122880 (steps of 8192)",
  },
  {
    path: "service.cpuArchitecture",
    description: "CPU architecture of the image.",
    rule: oneOf(CPU_ARCHITECTURES),
  },
  {
    path: "service.desiredCount",
    description: "Tasks at first deploy; autoscaling owns the count afterwards.",
    rule: count,
  },
  { path: "service.autoscaling.minCount", description: "Fewest tasks autoscaling keeps.", rule: count },
  { path: "service.autoscaling.maxCount", description: "Most tasks autoscaling starts.", rule: count },
  {
    path: "service.autoscaling.cpuTargetPercent",
    description: "Average CPU the CPU policy aims for.",
    rule: percent,
  },
  {
    path: "service.autoscaling.memoryTargetPercent",
    description: "Average memory the memory policy aims for (unset: no memory policy).",
    rule: optional(percent),
  },
  {
    path: "service.autoscaling.requestsPerTarget",
    description: "ALB requests per task per minute the request policy aims for (unset: no request policy).",
    rule: optional(integerIn(1, 1000000, "requests per minute")),
  },
  {
    path: "service.autoscaling.scaleInCooldownSeconds",
    description: "Wait after a scale-in.",
    rule: cooldown,
  },
  {
    path: "service.autoscaling.scaleOutCooldownSeconds",
    description: "Wait after a scale-out.",
    rule: cooldown,
  },
  {
    path: "service.capacity.fargateBase",
    description: "Tasks always placed on regular FARGATE.",
    rule: integerIn(0, 100000, "tasks"),
  },
  { path: "service.capacity.fargateWeight", description: "Share of further tasks on FARGATE.", rule: weight },
  {
    path: "service.capacity.spotWeight",
    description: "Share of further tasks on FARGATE_SPOT.",
    rule: weight,
  },
  {
    path: "service.environment",
    description: "Plain, non-secret variables of the container.",
    rule: mapOf(environmentVariableName, stringValue),
  },
  {
    path: "service.secrets",
    description: "Variables read from Secrets Manager or SSM Parameter Store: name → ARN.",
    rule: mapOf(environmentVariableName, secretArn),
  },
  {
    path: "service.secretsKmsKeyArns",
    description:
      "Customer-managed KMS keys that encrypt the secrets (besides the environment's secrets key).",
    rule: listOf(kmsKeyArn, { unique: true }),
  },
  {
    path: "service.healthCheck.path",
    description: "HTTP path of both health checks.",
    rule: healthCheckPath,
  },
  {
    path: "service.healthCheck.intervalSeconds",
    description: "Seconds between health checks.",
    rule: integerIn(limits.intervalSeconds.min, limits.intervalSeconds.max, "seconds"),
  },
  {
    path: "service.healthCheck.timeoutSeconds",
    description: "Seconds before a check fails; less than the interval.",
    rule: integerIn(limits.timeoutSeconds.min, limits.timeoutSeconds.max, "seconds"),
  },
  {
    path: "service.healthCheck.healthyThreshold",
    description: "Successes before the ALB routes to a task.",
    rule: integerIn(limits.healthyThreshold.min, limits.healthyThreshold.max),
  },
  {
    path: "service.healthCheck.unhealthyThreshold",
    description: "Failures before a task is unhealthy (ALB and container).",
    rule: integerIn(limits.unhealthyThreshold.min, limits.unhealthyThreshold.max),
  },
  {
    path: "service.healthCheck.startPeriodSeconds",
    description: "Container start-up time during which failed container checks do not count.",
    rule: integerIn(limits.startPeriodSeconds.min, limits.startPeriodSeconds.max, "seconds"),
  },
  {
    path: "service.healthCheck.gracePeriodSeconds",
    description: "Seconds ECS ignores ALB health after a task starts.",
    rule: integerIn(limits.gracePeriodSeconds.min, limits.gracePeriodSeconds.max, "seconds"),
  },
  {
    path: "service.healthCheck.command",
    description: "Container health-check command (default: curl of the path on the container port).",
    rule: optional(
      check(
        '["CMD-SHELL", "<command>"] or ["CMD", "<executable>", ...args]',
        (v) =>
          Array.isArray(v) &&
          v.length >= 2 &&
          (v[0] === "CMD" || v[0] === "CMD-SHELL") &&
          v.every((part) => typeof part === "string" && part !== ""),
      ),
    ),
  },
  {
    path: "service.stopTimeoutSeconds",
    description: "Seconds between SIGTERM and SIGKILL.",
    rule: integerIn(2, 120, "seconds"),
  },
  { path: "service.user", description: "User the container runs as.", rule: nonRootUser },
  {
    path: "service.logRetentionDays",
    description: "Retention of the container log group.",
    rule: logRetentionDays,
  },
  {
    path: "service.enableExecuteCommand",
    description: "ECS Exec (makes the root filesystem writable while on).",
    rule: booleanValue,
  },
  {
    path: "service.circuitBreakerRollback",
    description: "Roll a failed deployment back automatically.",
    rule: booleanValue,
  },
  {
    path: "service.imageTagDefault",
    description: "Default of the image_tag Terraform variable (unset: every plan passes -var image_tag=...).",
    rule: optional(imageTag),
  },
  // edge
  { path: "edge.domainName", description: "Domain of the API.", rule: optional(domainName) },
  {
    path: "edge.hostedZoneId",
    description: "Route 53 hosted zone of the domain, by id.",
    rule: optional(hostedZoneId),
  },
  {
    path: "edge.hostedZoneName",
    description: "Route 53 hosted zone of the domain, by name (looked up).",
    rule: optional(domainName),
  },
  {
    path: "edge.certificateArn",
    description: "Existing ACM certificate (instead of a DNS-validated one).",
    rule: optional(acmCertificateArn),
  },
  {
    path: "edge.subjectAlternativeNames",
    description: "More names on the DNS-validated certificate.",
    rule: listOf(domainName, { unique: true }),
  },
  {
    path: "edge.sslPolicy",
    description: "TLS policy of the HTTPS listener.",
    rule: oneOf(ALLOWED_SSL_POLICIES),
  },
  {
    path: "edge.idleTimeoutSeconds",
    description: "ALB idle timeout.",
    rule: integerIn(IDLE_TIMEOUT_RANGE.min, IDLE_TIMEOUT_RANGE.max, "seconds"),
  },
  { path: "edge.deletionProtection", description: "ALB deletion protection.", rule: booleanValue },
  {
    path: "edge.deregistrationDelaySeconds",
    description: "Seconds the ALB drains a task; at most service.stopTimeoutSeconds.",
    rule: integerIn(DEREGISTRATION_DELAY_RANGE.min, DEREGISTRATION_DELAY_RANGE.max, "seconds"),
  },
  {
    path: "edge.httpRedirect",
    description: "Keep port 80 open, answering only with a 301 to HTTPS.",
    rule: booleanValue,
  },
  {
    path: "edge.ipv6",
    description: "Dualstack ALB (IPv6 on the public tier) and an AAAA record.",
    rule: booleanValue,
  },
  {
    path: "edge.accessLogs",
    description: "ALB access logs to an S3 bucket of the environment.",
    rule: booleanValue,
  },
  {
    path: "edge.accessLogRetentionDays",
    description: "Days the ALB access logs are kept.",
    rule: integerIn(1, 3650, "days"),
  },
  {
    path: "edge.waf",
    description:
      "WAF web ACL with AWS managed rule groups (IP reputation, common, known bad inputs) in front of the ALB; its logs keep service.logRetentionDays.",
    rule: booleanValue,
  },
  {
    path: "edge.loadBalancerName",
    description: "ALB name (default: <project>-<environment>, shortened with a hash past 32 characters).",
    rule: elbName,
  },
  // state and tags
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
  { path: "tags", description: "Extra tags on every resource.", rule: tags },
];

export const REGISTRY_FIELDS: ReadonlyArray<FieldSpec<RegistrySettings>> = [
  { path: "region", description: "Region of the ECR repository.", rule: awsRegion },
  { path: "accountId", description: "AWS account of the registry stack.", rule: optional(awsAccountId) },
  {
    path: "repositoryName",
    description: "ECR repository name (default: the project name).",
    rule: repositoryName,
  },
  {
    path: "untaggedImageExpiryDays",
    description: "Days after which untagged images expire.",
    rule: integerIn(UNTAGGED_IMAGE_EXPIRY_RANGE.min, UNTAGGED_IMAGE_EXPIRY_RANGE.max, "days"),
  },
  {
    path: "taggedImagesToKeep",
    description: "How many tagged images the lifecycle policy keeps.",
    rule: integerIn(TAGGED_IMAGES_TO_KEEP_RANGE.min, TAGGED_IMAGES_TO_KEEP_RANGE.max, "images"),
  },
  {
    path: "forceDelete",
    description: "Let destroy delete the repository with its images.",
    rule: booleanValue,
  },
  {
    path: "state.bucket",
    description: "S3 bucket for the registry stack's state.",
    rule: optional(S3_BUCKET_NAME),
  },
  { path: "state.region", description: "Region of the state bucket.", rule: awsRegion, after: ["region"] },
  { path: "tags", description: "Extra tags on every resource.", rule: tags },
];

const requiredEndpoints = (env: EnvironmentSettings): Array<[InterfaceEndpointService, string]> => {
  const kinds = new Set(Object.values(env.service.secrets).map((arn) => parseSecretReference(arn)?.kind));
  return [
    ["ecr.api", "image pulls"],
    ["ecr.dkr", "image pulls"],
    ["logs", "container logs"],
    ...(kinds.has("secretsmanager")
      ? [["secretsmanager", "service.secrets from Secrets Manager"] as [InterfaceEndpointService, string]]
      : []),
    ...(kinds.has("ssm")
      ? [["ssm", "service.secrets from SSM Parameter Store"] as [InterfaceEndpointService, string]]
      : []),
  ];
};

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
      "Private tasks can reach ECR, S3, CloudWatch Logs and (when secrets are used) Secrets Manager / SSM: through NAT, or with natStrategy none through interface endpoints (S3 always has its gateway endpoint).",
    reads: ["network.natStrategy", "network.interfaceEndpoints", "service.secrets"],
    check: (env) => {
      if (env.network.natStrategy !== "none") return [];
      const required = requiredEndpoints(env);
      const missing = required.filter(([service]) => !env.network.interfaceEndpoints.includes(service));
      if (missing.length === 0) return [];
      return [
        {
          field: "network.interfaceEndpoints",
          value: env.network.interfaceEndpoints,
          allowed: `a list including ${required.map(([s]) => s).join(", ")} when network.natStrategy is "none" (missing: ${missing.map(([s, why]) => `${s} for ${why}`).join(", ")})`,
        },
      ];
    },
  },
  {
    description:
      "Without NAT, the registry must be in the environment's region: interface endpoints serve their own region only.",
    reads: ["network.natStrategy", "region"],
    check: (env, project) =>
      env.network.natStrategy === "none" && project.registry.region !== env.region
        ? [
            {
              field: "network.natStrategy",
              value: "none",
              allowed: `"per-az" or "single" while the registry is in ${project.registry.region} and the environment in ${env.region} (endpoints cannot reach another region's ECR)`,
            },
          ]
        : [],
  },
  {
    description: "The environment and the registry are in the same account when both are pinned.",
    reads: ["accountId"],
    check: (env, project) =>
      env.accountId !== undefined &&
      project.registry.accountId !== undefined &&
      env.accountId !== project.registry.accountId
        ? [
            {
              field: "accountId",
              value: env.accountId,
              allowed: `the registry's account ${project.registry.accountId} (the environment finds the repository by name in its own account)`,
            },
          ]
        : [],
  },
  {
    description:
      "Every desired and autoscaling count is consistent: minCount ≤ maxCount and minCount ≤ desiredCount ≤ maxCount.",
    reads: ["service.desiredCount", "service.autoscaling.minCount", "service.autoscaling.maxCount"],
    check: (env) => {
      const { minCount, maxCount } = env.service.autoscaling;
      const found = countConsistencyProblem(env.service.desiredCount, minCount, maxCount, "service.");
      return found ? [found] : [];
    },
  },
  {
    description: "The capacity strategy places tasks somewhere: fargateWeight or spotWeight above 0.",
    reads: ["service.capacity.fargateWeight", "service.capacity.spotWeight"],
    check: (env) => {
      const found = capacityWeightProblem(env.service.capacity, "service.capacity");
      return found ? [found] : [];
    },
  },
  {
    description:
      "No secret-looking plain variable (names with PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY...; values with credentials in a URL, private keys, access keys): those belong in service.secrets; and no name is both plain and secret.",
    reads: ["service.environment", "service.secrets"],
    check: (env) => environmentSecretProblems(env.service.environment, env.service.secrets, "service."),
  },
  {
    description:
      "Health-check timings agree: timeout < interval; grace period ≥ container start period and ≥ healthyThreshold × interval.",
    reads: ["service.healthCheck"],
    check: (env) => healthCheckContractProblems(env.service.healthCheck, "service.healthCheck"),
  },
  {
    description: "The ALB's deregistration delay does not exceed the container's stop timeout.",
    reads: ["edge.deregistrationDelaySeconds", "service.stopTimeoutSeconds"],
    check: (env) => {
      const found = deregistrationDelayProblem(
        "edge.deregistrationDelaySeconds",
        env.edge.deregistrationDelaySeconds,
        "service.stopTimeoutSeconds",
        env.service.stopTimeoutSeconds,
      );
      return found ? [found] : [];
    },
  },
  {
    description:
      "HTTPS has a certificate source: edge.certificateArn, or edge.domainName with edge.hostedZoneId or edge.hostedZoneName (a DNS-validated certificate); the domain and alternative names lie inside a zone given by name.",
    reads: ["edge.domainName", "edge.hostedZoneId", "edge.hostedZoneName", "edge.certificateArn"],
    check: (env) => {
      const { domainName: domain, hostedZoneId: zoneId, hostedZoneName: zoneName, certificateArn } = env.edge;
      const problems: FieldProblem[] = [];
      if (zoneId !== undefined && zoneName !== undefined) {
        problems.push({
          field: "edge.hostedZoneName",
          value: zoneName,
          allowed: "unset when edge.hostedZoneId is set (give one of them)",
        });
      }
      const hasZone = zoneId !== undefined || zoneName !== undefined;
      if (certificateArn === undefined && !(domain !== undefined && hasZone)) {
        problems.push({
          field: domain === undefined ? "edge.domainName" : "edge.hostedZoneId",
          value: domain === undefined ? undefined : zoneId,
          allowed:
            "a certificate source for HTTPS: set edge.certificateArn, or edge.domainName with edge.hostedZoneId or edge.hostedZoneName",
        });
      }
      if (hasZone && domain === undefined) {
        problems.push({
          field: "edge.domainName",
          value: undefined,
          allowed: "the domain to publish in the hosted zone when one is set",
        });
      }
      if (zoneName !== undefined && domain !== undefined && !domainIsInZone(domain, zoneName)) {
        problems.push({
          field: "edge.domainName",
          value: domain,
          allowed: `a name inside the hosted zone ${zoneName}`,
        });
      }
      const outsideZone = env.edge.subjectAlternativeNames.filter(
        (n) => zoneName !== undefined && !domainIsInZone(n, zoneName),
      );
      if (outsideZone.length > 0) {
        problems.push({
          field: "edge.subjectAlternativeNames",
          value: outsideZone,
          allowed: `names inside the hosted zone ${zoneName ?? ""} (their validation records go there)`,
        });
      }
      if (certificateArn !== undefined && env.edge.subjectAlternativeNames.length > 0) {
        problems.push({
          field: "edge.subjectAlternativeNames",
          value: env.edge.subjectAlternativeNames,
          allowed: "[] when edge.certificateArn is set (the names belong to that certificate)",
        });
      }
      return problems;
    },
  },
  {
    description:
      "An existing certificate is in the environment's region: an ALB can only use certificates of its own region.",
    reads: ["edge.certificateArn", "region"],
    check: (env) => {
      const certRegion = env.edge.certificateArn?.split(":")[3];
      return certRegion !== undefined && certRegion !== env.region
        ? [
            {
              field: "edge.certificateArn",
              value: env.edge.certificateArn,
              allowed: `an ACM certificate in ${env.region}, the environment's region`,
            },
          ]
        : [];
    },
  },
];

/**
 * What a prod environment must keep, whatever its overrides say. Each rule names the setting to
 * fix; a prod configuration that breaks one fails synth.
 */
export const PROD_INVARIANTS: readonly CrossFieldRule[] = [
  {
    description:
      "prod keeps egress when an AZ fails: natStrategy per-az, or none with interface endpoints (never single).",
    reads: ["network.natStrategy"],
    check: (env) =>
      env.network.natStrategy === "single"
        ? [
            {
              field: "network.natStrategy",
              value: "single",
              allowed: '"per-az" or "none" in prod (a single NAT gateway is a single point of failure)',
            },
          ]
        : [],
  },
  {
    description: "prod runs at least 2 tasks: desiredCount and autoscaling.minCount ≥ 2.",
    reads: ["service.desiredCount", "service.autoscaling.minCount"],
    check: (env) => [
      ...(env.service.desiredCount < 2
        ? [{ field: "service.desiredCount", value: env.service.desiredCount, allowed: "at least 2 in prod" }]
        : []),
      ...(env.service.autoscaling.minCount < 2
        ? [
            {
              field: "service.autoscaling.minCount",
              value: env.service.autoscaling.minCount,
              allowed: "at least 2 in prod",
            },
          ]
        : []),
    ],
  },
  {
    description: "prod spreads over at least 2 AZs.",
    reads: ["network.availabilityZones"],
    check: (env) =>
      env.network.availabilityZones.length < 2
        ? [
            {
              field: "network.availabilityZones",
              value: env.network.availabilityZones,
              allowed: "at least 2 AZs in prod",
            },
          ]
        : [],
  },
  {
    description: "prod's load balancer has deletion protection.",
    reads: ["edge.deletionProtection"],
    check: (env) =>
      env.edge.deletionProtection
        ? []
        : [{ field: "edge.deletionProtection", value: false, allowed: "true in prod" }],
  },
  {
    description: "prod keeps ALB access logs.",
    reads: ["edge.accessLogs"],
    check: (env) =>
      env.edge.accessLogs ? [] : [{ field: "edge.accessLogs", value: false, allowed: "true in prod" }],
  },
  {
    description: "prod rolls failed deployments back (circuit breaker with rollback).",
    reads: ["service.circuitBreakerRollback"],
    check: (env) =>
      env.service.circuitBreakerRollback
        ? []
        : [{ field: "service.circuitBreakerRollback", value: false, allowed: "true in prod" }],
  },
  {
    description: "prod keeps logs at least a year (container and flow logs).",
    reads: ["service.logRetentionDays", "network.flowLogRetentionDays"],
    check: (env) => [
      ...(env.service.logRetentionDays < 365
        ? [
            {
              field: "service.logRetentionDays",
              value: env.service.logRetentionDays,
              allowed: "at least 365 in prod",
            },
          ]
        : []),
      ...(env.network.flowLogRetentionDays < 365
        ? [
            {
              field: "network.flowLogRetentionDays",
              value: env.network.flowLogRetentionDays,
              allowed: "at least 365 in prod",
            },
          ]
        : []),
    ],
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
