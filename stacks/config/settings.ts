/**
 * The typed settings of the project and of each environment, after presets, code overrides,
 * environment variables and the STACK_CONFIG_FILE overrides are merged and every derived default
 * is filled in. The option types come from the rules in constructs/model/, so a setting and the
 * construct prop it feeds are one declaration.
 */
import type { AlarmSettings } from "../../constructs/model/alarms";
import type { CacheOptions, DatabaseOptions } from "../../constructs/model/data-tier";
import type { ApplicationStatement } from "../../constructs/model/iam";
import type {
  AutoscalingOptions,
  CapacityStrategy,
  CpuArchitecture,
} from "../../constructs/model/fargate-service";
import type { HealthCheckContract } from "../../constructs/model/health-check";
import type { InterfaceEndpointService, NatStrategy } from "../../constructs/model/network";
import type { WorkloadOptions } from "../../constructs/model/workloads";
import type { ExistingVpcOptions } from "../../constructs/model/existing-vpc";

/** The registry stack's name, and the key of its settings in STACK_CONFIG_FILE. */
export const REGISTRY_STACK_NAME = "registry";

export const PRESETS = ["dev", "staging", "prod"] as const;
/** Which defaults an environment starts from; `prod` also switches on the prod invariants. */
export type Preset = (typeof PRESETS)[number];

export interface NetworkSettings {
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  readonly subnetPrefixLength: number;
  readonly natStrategy: NatStrategy;
  /** IPv4 CIDRs and prefix lists the app tier may reach on 443 through NAT ("0.0.0.0/0": any). */
  readonly appInternetEgress: readonly string[];
  readonly interfaceEndpoints: readonly InterfaceEndpointService[];
  readonly flowLogRetentionDays: number;
  /** Buckets the service may use through the S3 gateway endpoint (besides ECR's image layers). */
  readonly s3EndpointBuckets: readonly string[];
  /** Deploy into this existing VPC and its subnets instead of creating the network. */
  readonly existingVpc: ExistingVpcOptions;
}

/** PostgreSQL on RDS in the data tier: the construct's options, all set, and whether it exists. */
export type DatabaseSettings = Required<DatabaseOptions> & { readonly enabled: boolean };
/** Redis on ElastiCache in the data tier (the cache tier's security group exists only with it). */
export type CacheSettings = Required<CacheOptions> & { readonly enabled: boolean };

export type AutoscalingSettings = AutoscalingOptions;

export interface ServiceSettings {
  /** ECS service name (the cluster is named after the environment). */
  readonly name: string;
  readonly containerPort: number;
  readonly cpu: number;
  readonly memory: number;
  readonly cpuArchitecture: CpuArchitecture;
  readonly desiredCount: number;
  readonly autoscaling: AutoscalingSettings;
  readonly capacity: CapacityStrategy;
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly secretsKmsKeyArns: readonly string[];
  readonly command: readonly string[];
  readonly entryPoint: readonly string[];
  readonly taskRoleStatements: readonly ApplicationStatement[];
  readonly taskRoleManagedPolicyArns: readonly string[];
  readonly taskRoleBroadAccessAcknowledged: boolean;
  /** Why the task role needs an action that can escalate privileges (prod refuses one without it). */
  readonly taskRoleEscalationReason?: string;
  readonly waitForDeployment: boolean;
  readonly healthCheck: HealthCheckContract;
  readonly stopTimeoutSeconds: number;
  readonly user: string;
  readonly logRetentionDays: number;
  readonly enableExecuteCommand: boolean;
  /** Break glass: allows enableExecuteCommand in an environment with the prod preset. */
  readonly executeCommandBreakGlass: boolean;
  readonly circuitBreakerRollback: boolean;
  /** Default of the `image_tag` Terraform variable; unset means every plan must pass one. */
  readonly imageTagDefault?: string;
  /** image_tag must match registry.protectedTagPatterns (images the lifecycle policy never expires). */
  readonly releaseTagsOnly: boolean;
  /** One-off tasks such as migrations: name → command. */
  readonly oneOffTasks: Readonly<Record<string, readonly string[]>>;
}

export interface EdgeSettings {
  readonly domainName?: string;
  readonly hostedZoneId?: string;
  readonly hostedZoneName?: string;
  readonly certificateArn?: string;
  readonly subjectAlternativeNames: readonly string[];
  readonly sslPolicy: string;
  readonly idleTimeoutSeconds: number;
  readonly deletionProtection: boolean;
  readonly deregistrationDelaySeconds: number;
  readonly httpRedirect: boolean;
  readonly ipv6: boolean;
  readonly hstsMaxAgeSeconds: number;
  readonly accessLogs: boolean;
  readonly accessLogRetentionDays: number;
  readonly accessLogNoncurrentVersionDays: number;
  readonly accessLogObjectLockDays: number;
  readonly waf: boolean;
  readonly wafRateLimitPerIp: number;
  readonly loadBalancerName: string;
}

/** Where a stack keeps its Terraform state. */
export interface StateSettings {
  /** S3 bucket; when unset the stack uses a local state file next to the project. */
  readonly bucket?: string;
  readonly region: string;
  /** KMS key that encrypts the state object (S3 backend kms_key_id); unset: the bucket's default encryption. */
  readonly kmsKeyArn?: string;
}

export interface EnvironmentSettings {
  /** Environment name; it is also the stack name and part of every resource name. */
  readonly name: string;
  readonly preset: Preset;
  /** `<project>-<environment>`: the prefix of resource names (derived, not a setting). */
  readonly namePrefix: string;
  readonly region: string;
  /** AWS account the environment must be deployed to (`allowed_account_ids`). */
  readonly accountId?: string;
  /** IAM roles named as administrators (manage, not use) in the key policy of every key. */
  readonly keyAdministratorArns: readonly string[];
  /** Accepts key administrators of another account than the stack's. */
  readonly foreignKeyAdministratorsAcknowledged: boolean;
  /** prevent_destroy on every stateful resource: a destroy, or an edit that would replace one, fails at plan. */
  readonly destroyProtection: boolean;
  /** Break glass: lifts destroyProtection and deletion protection (never the keys') for a deliberate destroy. */
  readonly destroyBreakGlass: boolean;
  readonly network: NetworkSettings;
  readonly service: ServiceSettings;
  /** Queue workers and scheduled jobs beside the service, by name (each with its kind's defaults unset). */
  readonly workloads: Readonly<Record<string, WorkloadOptions>>;
  readonly edge: EdgeSettings;
  readonly database: DatabaseSettings;
  readonly cache: CacheSettings;
  readonly alarms: AlarmSettings;
  readonly state: StateSettings;
  /** Extra tags on every resource, on top of the default project/environment tags. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The shared ECR repository and its stack. */
export interface RegistrySettings {
  readonly region: string;
  readonly accountId?: string;
  /** IAM roles named as administrators (manage, not use) in the registry key's policy. */
  readonly keyAdministratorArns: readonly string[];
  /** Accepts key administrators of another account than the stack's. */
  readonly foreignKeyAdministratorsAcknowledged: boolean;
  readonly repositoryName: string;
  readonly untaggedImageExpiryDays: number;
  readonly taggedImagesToKeep: number;
  readonly protectedTagPatterns: readonly string[];
  readonly forceDelete: boolean;
  /** prevent_destroy on the repository and its key. */
  readonly destroyProtection: boolean;
  /** Break glass: lifts the repository's prevent_destroy (never the key's) for a deliberate destroy. */
  readonly destroyBreakGlass: boolean;
  /** Other accounts whose environments pull from the repository. */
  readonly pullAccountIds: readonly string[];
  readonly state: StateSettings;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ProjectSettings {
  /** Short project name: prefix of resource names and of state keys. */
  readonly project: string;
  /** Versions of the hashicorp/aws provider every stack accepts (a Terraform version constraint). */
  readonly awsProviderVersion: string;
  /** Source repository, recorded in the `Repository` default tag. */
  readonly repository: string;
  readonly registry: RegistrySettings;
  readonly environments: readonly EnvironmentSettings[];
}

/** Recursively optional, for presets and overrides; lists are replaced, not merged. */
export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

/** What an environment may override: everything but its name, preset and derived name prefix. */
export type EnvironmentOverrides = DeepPartial<Omit<EnvironmentSettings, "name" | "preset" | "namePrefix">>;

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
  /** @default AWS_PROVIDER_VERSIONS (the versions the project is tested with) */
  readonly awsProviderVersion?: string;
  readonly registry?: RegistryOverrides;
  readonly environments: readonly EnvironmentDefinition[];
}

/**
 * The hashicorp/aws versions the project is tested with: CI runs Terraform with 5.100 (the
 * machine's mirror) and the bindings are generated from 6.25. A project may narrow it.
 */
export const AWS_PROVIDER_VERSIONS = ">= 5.100.0, < 7.0.0";

/** Terraform versions the output needs: S3-native state locking (`use_lockfile`) came in 1.10. */
export const TERRAFORM_VERSIONS = ">= 1.10.0";

/** A Terraform version constraint: comma-separated `<operator> <version>` terms. */
export const VERSION_CONSTRAINT = Object.assign(
  /^\s*(?:=|!=|>=|<=|>|<|~>)?\s*\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.]+)?\s*(?:,\s*(?:=|!=|>=|<=|>|<|~>)?\s*\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.]+)?\s*)*$/,
  { allowed: 'a Terraform version constraint such as ">= 5.100.0, < 7.0.0" or "~> 6.25"' },
);
