/**
 * What an environment starts from: the rules' own defaults (constructs/model/), then what its
 * preset changes. `dev` is cheap (one NAT, Spot, one task, short retention, no deletion
 * protection); `prod` is safe (NAT per AZ, two tasks or more on regular Fargate, deletion
 * protection, long retention) and must keep the invariants in stacks/config/schema/prod-invariants.ts.
 */
import { groupDefaults } from "../../constructs/model/props";
import { deepMerge } from "../../constructs/model/merge";
import { ENVIRONMENT_GROUP, REGISTRY_GROUP } from "./schema/fields";
import type { EnvironmentOverrides, Preset, RegistryOverrides } from "./settings";

/** Every environment serves IPv6 clients unless it says otherwise (the construct's own default is IPv4 only). */
const PROJECT_CHOICES: EnvironmentOverrides = { edge: { ipv6: true } };

const PRESET_CHANGES: Record<Preset, EnvironmentOverrides> = {
  dev: {
    network: { natStrategy: "single", flowLogRetentionDays: 14 },
    alarms: { enabled: false },
    database: { performanceInsights: false, enhancedMonitoringSeconds: 0, finalSnapshot: false },
    cache: { finalSnapshot: false },
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
    destroyProtection: true,
    network: { natStrategy: "per-az", flowLogRetentionDays: 365 },
    service: {
      releaseTagsOnly: true,
      cpu: 512,
      memory: 1024,
      autoscaling: { minCount: 2, maxCount: 10 },
      capacity: { fargateBase: 2, fargateWeight: 1, spotWeight: 0 },
      logRetentionDays: 365,
    },
    edge: {
      deletionProtection: true,
      accessLogs: true,
      waf: true,
      accessLogRetentionDays: 365,
      accessLogNoncurrentVersionDays: 365,
    },
    database: {
      instanceClass: "db.m7g.large",
      allocatedStorageGb: 100,
      maxAllocatedStorageGb: 1000,
      multiAz: true,
      deletionProtection: true,
      backupRetentionDays: 14,
    },
    cache: { nodeType: "cache.m7g.large", nodeCount: 2, snapshotRetentionDays: 7 },
  },
};

/** The defaults an environment of this preset starts from. */
export function presetDefaults(preset: Preset): EnvironmentOverrides {
  return deepMerge<EnvironmentOverrides>(
    groupDefaults(ENVIRONMENT_GROUP as never),
    PROJECT_CHOICES,
    PRESET_CHANGES[preset],
  );
}

export const REGISTRY_DEFAULTS = groupDefaults(REGISTRY_GROUP as never) as RegistryOverrides;
