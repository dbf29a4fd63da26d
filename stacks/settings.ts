/**
 * The typed settings of the project and of each environment, after presets, code overrides and
 * the STACK_CONFIG_FILE overrides are merged and every derived default is filled in.
 */
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
  readonly state: StateSettings;
  /** Extra tags on every resource, on top of the default project/environment tags. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface ProjectSettings {
  /** Short project name: prefix of resource names and of state keys. */
  readonly project: string;
  /** Source repository, recorded in the `Repository` default tag. */
  readonly repository: string;
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

/** The project as declared in code, before overrides from STACK_CONFIG_FILE. */
export interface ProjectDefinition {
  readonly project: string;
  readonly repository: string;
  readonly environments: readonly EnvironmentDefinition[];
}
