/**
 * The typed settings of the project and of each environment, after presets, code overrides and
 * the STACK_CONFIG_FILE overrides are merged and every derived default is filled in.
 */
import type { CapacityStrategy, CpuArchitecture } from "../constructs/fargate-service";
import type { HealthCheckContract } from "../constructs/health-check";
import type { InterfaceEndpointService } from "../constructs/interface-endpoints";
import type { NatStrategy } from "../constructs/network";

export const PRESETS = ["dev", "staging", "prod"] as const;
/** Which defaults an environment starts from; `prod` also switches on the prod invariants. */
export type Preset = (typeof PRESETS)[number];

export interface NetworkSettings {
  /** IPv4 CIDR of the VPC, /16 to /24. */
  readonly vpcCidr: string;
  /** AZ names of the region, 2 or 3. */
  readonly availabilityZones: readonly string[];
  /** Prefix length of every subnet. */
  readonly subnetPrefixLength: number;
  readonly natStrategy: NatStrategy;
  /** Interface VPC endpoints in the private subnets. */
  readonly interfaceEndpoints: readonly InterfaceEndpointService[];
  readonly flowLogRetentionDays: number;
  /** Whether the cache tier (Redis, 6379) gets a security group and a flow from the app. */
  readonly cacheTier: boolean;
}

export interface AutoscalingSettings {
  readonly minCount: number;
  readonly maxCount: number;
  /** Target average CPU utilization, percent. */
  readonly cpuTargetPercent: number;
  /** Target average memory utilization, percent; unset for no memory policy. */
  readonly memoryTargetPercent?: number;
  /** Target ALB requests per task per minute; unset for no request-count policy. */
  readonly requestsPerTarget?: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
}

export interface ServiceSettings {
  /** ECS service name (the cluster is named after the environment). */
  readonly name: string;
  readonly containerPort: number;
  /** Task CPU units (256 = 0.25 vCPU). */
  readonly cpu: number;
  /** Task memory, MiB; must be a size Fargate offers for the CPU. */
  readonly memory: number;
  readonly cpuArchitecture: CpuArchitecture;
  /** Tasks at first deploy; autoscaling owns the count afterwards. */
  readonly desiredCount: number;
  readonly autoscaling: AutoscalingSettings;
  readonly capacity: CapacityStrategy;
  /** Plain, non-secret variables. */
  readonly environment: Readonly<Record<string, string>>;
  /** Variables from Secrets Manager or SSM: name → ARN. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Extra customer-managed KMS keys that encrypt the secrets. */
  readonly secretsKmsKeyArns: readonly string[];
  /** One declaration for the container check, the target-group check and the grace period. */
  readonly healthCheck: HealthCheckContract;
  /** Seconds between SIGTERM and SIGKILL. */
  readonly stopTimeoutSeconds: number;
  /** Non-root user of the container. */
  readonly user: string;
  readonly logRetentionDays: number;
  readonly enableExecuteCommand: boolean;
  readonly circuitBreakerRollback: boolean;
  /** Default of the `image_tag` Terraform variable; unset means every plan must pass one. */
  readonly imageTagDefault?: string;
}

export interface EdgeSettings {
  /** Domain of the API, e.g. "api.example.com". */
  readonly domainName?: string;
  /** Hosted zone of the domain, by id ... */
  readonly hostedZoneId?: string;
  /** ... or by name. */
  readonly hostedZoneName?: string;
  /** Existing ACM certificate; instead of a DNS-validated one. */
  readonly certificateArn?: string;
  /** More names on the DNS-validated certificate. */
  readonly subjectAlternativeNames: readonly string[];
  readonly sslPolicy: string;
  readonly idleTimeoutSeconds: number;
  readonly deletionProtection: boolean;
  /** Seconds the ALB drains a deregistering task; at most the container stop timeout. */
  readonly deregistrationDelaySeconds: number;
  /** Keep port 80 open to answer with a redirect to HTTPS. */
  readonly httpRedirect: boolean;
  /** Dualstack load balancer and AAAA record. */
  readonly ipv6: boolean;
  /** ALB access logs to an S3 bucket of the environment. */
  readonly accessLogs: boolean;
  /** Days the access logs are kept. */
  readonly accessLogRetentionDays: number;
  /** WAF web ACL with AWS managed rule groups in front of the ALB. */
  readonly waf: boolean;
  /** ALB name, at most 32 characters (default: derived from project and environment). */
  readonly loadBalancerName: string;
}

/** Where a stack keeps its Terraform state. */
export interface StateSettings {
  /** S3 bucket; when unset the stack uses a local state file next to the project. */
  readonly bucket?: string;
  /** Region of the bucket. */
  readonly region: string;
}

export interface EnvironmentSettings {
  /** Environment name; it is also the stack name and part of every resource name. */
  readonly name: string;
  readonly preset: Preset;
  readonly region: string;
  /**
   * AWS account the environment must be deployed to. When set, the provider refuses any other
   * account (`allowed_account_ids`) and ARNs use it literally.
   */
  readonly accountId?: string;
  readonly network: NetworkSettings;
  readonly service: ServiceSettings;
  readonly edge: EdgeSettings;
  readonly state: StateSettings;
  /** Extra tags on every resource, on top of the default project/environment tags. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The shared ECR repository and its stack. */
export interface RegistrySettings {
  readonly region: string;
  /** When set, the provider refuses any other account. */
  readonly accountId?: string;
  readonly repositoryName: string;
  readonly untaggedImageExpiryDays: number;
  readonly taggedImagesToKeep: number;
  /** Whether destroy may delete the repository while it holds images. */
  readonly forceDelete: boolean;
  readonly state: StateSettings;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ProjectSettings {
  /** Short project name: prefix of resource names and of state keys. */
  readonly project: string;
  /** Source repository, recorded in the `Repository` default tag. */
  readonly repository: string;
  readonly registry: RegistrySettings;
  readonly environments: readonly EnvironmentSettings[];
}

/** Recursively optional, for presets and overrides; lists are replaced, not merged. */
export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

/** What an environment may override: everything but its name and preset. */
export type EnvironmentOverrides = DeepPartial<Omit<EnvironmentSettings, "name" | "preset">>;

/** An environment as declared in code. */
export interface EnvironmentDefinition {
  readonly name: string;
  readonly preset: Preset;
  readonly overrides?: EnvironmentOverrides;
}

export type RegistryOverrides = DeepPartial<RegistrySettings>;

/** The project as declared in code, before overrides from STACK_CONFIG_FILE. */
export interface ProjectDefinition {
  readonly project: string;
  readonly repository: string;
  readonly registry?: RegistryOverrides;
  readonly environments: readonly EnvironmentDefinition[];
}
