/**
 * IPv4 CIDR arithmetic and the subnet plan of the three-tier VPC. Pure functions: no constructs,
 * so the plan is computed in TypeScript and the synthesized JSON carries literal, reviewable CIDRs.
 */
import { SMALLEST_ALB_SUBNET_PREFIX } from "./aws-limits";
import { check } from "./checks";
import type { Check } from "./checks";

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefixLength: number;
}

export const SUBNET_TIERS = ["public", "private", "isolated"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/** Slots reserved per tier when the VPC has room: AZ i of tier t always gets slot t*4+i. */
export const MAX_SLOTS_PER_TIER = 4;
/** How much smaller than the VPC a subnet is by default (a /16 VPC gets /20 subnets). */
export const DEFAULT_SUBNET_NEWBITS = 4;

const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const CIDR_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/(3[0-2]|[12]?\\d)$`);

/** Parses `a.b.c.d/n`; undefined when malformed or when host bits are set. */
export function parseIpv4Cidr(text: unknown): Ipv4Cidr | undefined {
  if (typeof text !== "string") return undefined;
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  if (address % blockSize(prefixLength) !== 0) return undefined;
  return { network: address, prefixLength };
}

/** True when the text is `a.b.c.d/n` but has host bits set (10.0.0.1/16). */
export function hasHostBits(text: unknown): boolean {
  if (typeof text !== "string" || !CIDR_PATTERN.test(text)) return false;
  return parseIpv4Cidr(text) === undefined;
}

/** A literal IPv4 network CIDR whose prefix length lies in [minPrefix, maxPrefix]. */
export function ipv4Cidr(minPrefix: number, maxPrefix: number): Check {
  return check(
    `an IPv4 network CIDR such as "10.0.0.0/16" (host bits zero) with a prefix from /${minPrefix} to /${maxPrefix}`,
    (v) => {
      const cidr = parseIpv4Cidr(v);
      return cidr !== undefined && cidr.prefixLength >= minPrefix && cidr.prefixLength <= maxPrefix;
    },
  );
}

export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.network / 2 ** shift) % 256);
  return `${octets.join(".")}/${cidr.prefixLength}`;
}

function blockSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const aEnd = a.network + blockSize(a.prefixLength);
  const bEnd = b.network + blockSize(b.prefixLength);
  return a.network < bEnd && b.network < aEnd;
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return (
    inner.prefixLength >= outer.prefixLength &&
    inner.network >= outer.network &&
    inner.network + blockSize(inner.prefixLength) <= outer.network + blockSize(outer.prefixLength)
  );
}

/** The `index`-th block of size /prefixLength inside `parent`. */
export function subdivide(parent: Ipv4Cidr, prefixLength: number, index: number): Ipv4Cidr {
  return { network: parent.network + index * blockSize(prefixLength), prefixLength };
}

export function defaultSubnetPrefixLength(vpcPrefixLength: number): number {
  return Math.min(vpcPrefixLength + DEFAULT_SUBNET_NEWBITS, SMALLEST_ALB_SUBNET_PREFIX);
}

/**
 * How many AZs each tier can hold: 4 when the VPC has 12 or more subnet slots (so adding an AZ
 * later never renumbers existing subnets), otherwise an equal third of the slots.
 */
export function slotsPerTier(vpcPrefixLength: number, subnetPrefixLength: number): number {
  if (subnetPrefixLength <= vpcPrefixLength) return 0;
  const slots = 2 ** (subnetPrefixLength - vpcPrefixLength);
  return Math.min(MAX_SLOTS_PER_TIER, Math.floor(slots / SUBNET_TIERS.length));
}

export type SubnetPlan = Readonly<Record<SubnetTier, readonly string[]>>;

/**
 * Subnet CIDRs per tier, one per AZ, in AZ order. Tier t, AZ i takes slot t*slotsPerTier+i, the
 * terraform-aws-modules tier-offset layout. Throws when the request does not fit; callers
 * validate first and report a friendly message.
 */
export function planSubnets(vpcCidr: string, azCount: number, subnetPrefixLength: number): SubnetPlan {
  const vpc = parseIpv4Cidr(vpcCidr);
  if (!vpc) throw new Error(`not an IPv4 network CIDR: ${vpcCidr}`);
  const perTier = slotsPerTier(vpc.prefixLength, subnetPrefixLength);
  if (!Number.isInteger(azCount) || azCount < 1 || azCount > perTier) {
    throw new Error(
      `${azCount} AZs do not fit ${vpcCidr} with /${subnetPrefixLength} subnets (at most ${perTier} per tier)`,
    );
  }
  const tierCidrs = (tierIndex: number): string[] =>
    Array.from({ length: azCount }, (_, az) =>
      formatIpv4Cidr(subdivide(vpc, subnetPrefixLength, tierIndex * perTier + az)),
    );
  return { public: tierCidrs(0), private: tierCidrs(1), isolated: tierCidrs(2) };
}
