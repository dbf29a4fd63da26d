/**
 * Defaults per preset. `dev` is cheap (one NAT, Spot, one task, short retention, no deletion
 * protection); `prod` is safe (NAT per AZ, two tasks or more on regular Fargate, deletion
 * protection, long retention) and must keep the invariants in prod-invariants.ts.
 */
import {
  DEFAULT_TAGGED_IMAGES_TO_KEEP,
  DEFAULT_UNTAGGED_IMAGE_EXPIRY_DAYS,
} from "../constructs/container-registry";
import { DEFAULT_AUTOSCALING, DEFAULT_CONTAINER_PORT, DEFAULT_USER } from "../constructs/fargate-service";
import { DEFAULT_HEALTH_CHECK } from "../constructs/health-check";
import {
  DEFAULT_DEREGISTRATION_DELAY_SECONDS,
  DEFAULT_IDLE_TIMEOUT_SECONDS,
  DEFAULT_SSL_POLICY,
} from "../constructs/load-balancer";
import { DEFAULT_VPC_CIDR } from "../constructs/network";
import { deepMerge } from "./deep-merge";
import type { EnvironmentOverrides, Preset, RegistryOverrides } from "./settings";

export const DEFAULT_REGION = "eu-west-1";
export const DEFAULT_AZ_COUNT = 2;

const BASE: EnvironmentOverrides = {
  region: DEFAULT_REGION,
  network: {
    vpcCidr: DEFAULT_VPC_CIDR,
    natStrategy: "per-az",
    interfaceEndpoints: [],
    flowLogRetentionDays: 365,
    cacheTier: false,
  },
  service: {
    name: "api",
    containerPort: DEFAULT_CONTAINER_PORT,
    cpu: 256,
    memory: 512,
    cpuArchitecture: "X86_64",
    desiredCount: 2,
    autoscaling: { minCount: 2, maxCount: 6, ...DEFAULT_AUTOSCALING },
    capacity: { fargateBase: 0, fargateWeight: 1, spotWeight: 0 },
    environment: {},
    secrets: {},
    secretsKmsKeyArns: [],
    healthCheck: DEFAULT_HEALTH_CHECK,
    stopTimeoutSeconds: 30,
    user: DEFAULT_USER,
    logRetentionDays: 365,
    enableExecuteCommand: false,
    circuitBreakerRollback: true,
  },
  edge: {
    subjectAlternativeNames: [],
    sslPolicy: DEFAULT_SSL_POLICY,
    idleTimeoutSeconds: DEFAULT_IDLE_TIMEOUT_SECONDS,
    deletionProtection: false,
    deregistrationDelaySeconds: DEFAULT_DEREGISTRATION_DELAY_SECONDS,
    httpRedirect: true,
    ipv6: true,
    accessLogs: false,
    accessLogRetentionDays: 90,
    waf: false,
  },
  state: {},
  tags: {},
};

const PRESET_CHANGES: Record<Preset, EnvironmentOverrides> = {
  dev: {
    network: { natStrategy: "single", flowLogRetentionDays: 14 },
    service: {
      desiredCount: 1,
      autoscaling: { minCount: 1, maxCount: 2 },
      capacity: { fargateBase: 0, fargateWeight: 0, spotWeight: 1 },
      logRetentionDays: 14,
    },
  },
  staging: {
    network: { natStrategy: "single", flowLogRetentionDays: 90 },
    service: {
      autoscaling: { minCount: 2, maxCount: 4 },
      capacity: { fargateBase: 1, fargateWeight: 1, spotWeight: 1 },
      logRetentionDays: 90,
    },
  },
  prod: {
    network: { natStrategy: "per-az", flowLogRetentionDays: 365 },
    service: {
      cpu: 512,
      memory: 1024,
      autoscaling: { minCount: 2, maxCount: 10 },
      capacity: { fargateBase: 2, fargateWeight: 1, spotWeight: 0 },
      logRetentionDays: 365,
    },
    edge: { deletionProtection: true, accessLogs: true, accessLogRetentionDays: 365 },
  },
};

/** The defaults an environment of this preset starts from. */
export function presetDefaults(preset: Preset): EnvironmentOverrides {
  return deepMerge(BASE, PRESET_CHANGES[preset]);
}

export const REGISTRY_DEFAULTS: RegistryOverrides = {
  region: DEFAULT_REGION,
  untaggedImageExpiryDays: DEFAULT_UNTAGGED_IMAGE_EXPIRY_DAYS,
  taggedImagesToKeep: DEFAULT_TAGGED_IMAGES_TO_KEEP,
  forceDelete: false,
  state: {},
  tags: {},
};
