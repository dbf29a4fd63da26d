/**
 * Defaults per preset. `dev` is cheap (one NAT, short retention), `prod` is safe (NAT per AZ,
 * long retention) and must keep the invariants in prod-invariants.ts.
 */
import { DEFAULT_VPC_CIDR } from "../constructs/network";
import { deepMerge } from "./deep-merge";
import type { EnvironmentOverrides, Preset } from "./settings";

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
  state: {},
  tags: {},
};

const PRESET_CHANGES: Record<Preset, EnvironmentOverrides> = {
  dev: {
    network: { natStrategy: "single", flowLogRetentionDays: 14 },
  },
  staging: {
    network: { natStrategy: "single", flowLogRetentionDays: 90 },
  },
  prod: {
    network: { natStrategy: "per-az", flowLogRetentionDays: 365 },
  },
};

/** The defaults an environment of this preset starts from. */
export function presetDefaults(preset: Preset): EnvironmentOverrides {
  return deepMerge(BASE, PRESET_CHANGES[preset]);
}
