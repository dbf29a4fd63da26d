/**
 * Facts about AWS that validation checks against. Each list says where it comes from, so the
 * next person knows what to update when AWS adds a value.
 */
import { check, integerIn, listOf, matches, oneOf } from "./checks";
import type { Check } from "./checks";

/** CloudWatch Logs `retentionInDays` values (PutRetentionPolicy API reference). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const logRetentionDays: Check = {
  ...oneOf(LOG_RETENTION_DAYS),
  allowed: `a CloudWatch Logs retention in days: ${LOG_RETENTION_DAYS.join(", ")}`,
};

/**
 * Regions with the services this app uses (ECS Fargate, ALB, ACM, ECR) and the letters of their
 * availability zones, from the AWS Regional Services list and "AWS Availability Zones" (AZ IDs).
 * Some regions skip a letter (ap-northeast-1 has no b, ca-central-1 no c). In us-west-1 and
 * us-east-1 the letters an account sees vary for accounts created before November 2025.
 */
export const AZ_LETTERS_BY_REGION: Readonly<Record<string, string>> = {
  "us-east-1": "abcdef",
  "us-east-2": "abc",
  "us-west-1": "abc",
  "us-west-2": "abcd",
  "af-south-1": "abc",
  "ap-east-1": "abc",
  "ap-east-2": "abc",
  "ap-south-1": "abc",
  "ap-south-2": "abc",
  "ap-southeast-1": "abc",
  "ap-southeast-2": "abc",
  "ap-southeast-3": "abc",
  "ap-southeast-4": "abc",
  "ap-southeast-5": "abc",
  "ap-southeast-7": "abc",
  "ap-northeast-1": "acd",
  "ap-northeast-2": "abcd",
  "ap-northeast-3": "abc",
  "ca-central-1": "abd",
  "ca-west-1": "abc",
  "eu-central-1": "abc",
  "eu-central-2": "abc",
  "eu-west-1": "abc",
  "eu-west-2": "abc",
  "eu-west-3": "abc",
  "eu-south-1": "abc",
  "eu-south-2": "abc",
  "eu-north-1": "abc",
  "il-central-1": "abc",
  "me-south-1": "abc",
  "me-central-1": "abc",
  "mx-central-1": "abc",
  "sa-east-1": "abc",
  "us-gov-east-1": "abc",
  "us-gov-west-1": "abc",
};
export const AWS_REGIONS: readonly string[] = Object.keys(AZ_LETTERS_BY_REGION);

export const awsRegion: Check = check(
  `an AWS region name: ${AWS_REGIONS.join(", ")}`,
  (v) => typeof v === "string" && AWS_REGIONS.includes(v),
  { enum: [...AWS_REGIONS] },
);

/** The AZ names a region has: the region followed by one of its letters. */
export function availabilityZonesOf(region: string): string[] {
  return [...(AZ_LETTERS_BY_REGION[region] ?? "")].map((letter) => `${region}${letter}`);
}

/** An AZ name of the given region (eu-west-1a), among the letters the region has. */
export function availabilityZoneOf(region: string): Check {
  const zones = availabilityZonesOf(region);
  return check(
    `an availability zone of ${region}: ${zones.join(", ") || "(unknown region)"}`,
    (v) => typeof v === "string" && zones.includes(v),
  );
}

/** Default AZ names for a region: its first `count` zones. */
export function defaultAvailabilityZones(region: string, count: number): string[] {
  return availabilityZonesOf(region).slice(0, count);
}

/** ARN partition of a region, for ARNs that must be literal (conditions, endpoint names). */
export function partitionOf(region: string): string {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}

export const tcpPort: Check = { ...integerIn(1, 65535), allowed: "a TCP port from 1 to 65535" };

export const awsAccountId = matches(/^\d{12}$/, "a 12-digit AWS account id");

/**
 * Fargate task sizes (Linux): memory choices in MiB for each CPU value in CPU units. From the
 * ECS developer guide, "Task CPU and memory".
 */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

export const fargateCpu: Check = oneOf(Object.keys(FARGATE_MEMORY_BY_CPU).map(Number));

/** Memory values Fargate offers with this CPU, described for an error message. */
export function fargateMemoryFor(cpu: number): Check {
  const options = FARGATE_MEMORY_BY_CPU[cpu] ?? [];
  const shown =
    options.length <= 4
      ? options.join(", ")
      : `${options[0]} to ${options[options.length - 1]} in steps of ${(options[1] ?? 0) - (options[0] ?? 0)}`;
  return check(`memory in MiB that Fargate offers with ${cpu} CPU units: ${shown}`, (v) =>
    options.includes(v as number),
  );
}

/** What the memory setting allows for each CPU value, in words (configuration reference). */
export const FARGATE_MEMORY_DOCUMENTED =
  "a size Fargate offers for service.cpu: 256 → 512-2048; 512 → 1024-4096; 1024 → 2048-8192; 2048 → 4096-16384 (steps of 1024); 4096 → 8192-30720; 8192 → 16384-61440 (steps of 4096); 16384 → 32768-122880 (steps of 8192)";

/**
 * The ECS RegisterTaskDefinition request may be at most 64 KiB (ECS service quotas, "Task
 * definition size"); the container definitions are nearly all of it.
 */
export const TASK_DEFINITION_MAX_BYTES = 65536;

/** Names AWS limits to 32 characters: load balancers and target groups. */
export const ELB_NAME_MAX_LENGTH = 32;
/** `name_prefix` of a target group: Terraform appends a 26-character suffix. */
export const TARGET_GROUP_NAME_PREFIX_MAX_LENGTH = 6;

export const elbName: Check = check(
  `at most ${ELB_NAME_MAX_LENGTH} letters, digits and hyphens, not starting or ending with a hyphen or "internal-"`,
  (v) =>
    typeof v === "string" &&
    v.length <= ELB_NAME_MAX_LENGTH &&
    /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(v) &&
    !v.startsWith("internal-"),
);

/**
 * The smallest subnet an Application Load Balancer accepts is a /27 (ELB user guide, "Subnets for
 * your load balancer"); every tier here shares one subnet size, so no subnet may be smaller.
 */
export const SMALLEST_ALB_SUBNET_PREFIX = 27;

/**
 * IPv4 ranges a VPC may not use (VPC user guide, "VPC CIDR blocks" and the association
 * restrictions), and 172.17.0.0/16, which AWS asks users to avoid because its own services
 * (Docker bridges in SageMaker, Cloud9) use it.
 */
export const RESERVED_VPC_RANGES: ReadonlyArray<readonly [string, string]> = [
  ["0.0.0.0/8", "the 'this network' range"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local (the instance metadata service lives there)"],
  ["172.17.0.0/16", "used by AWS services' Docker networks; AWS asks VPCs to avoid it"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
];

/** A lowercase fully qualified domain name without a wildcard (a wildcard fails CKV2_AWS_71). */
export const domainName: Check = check(
  'a lowercase fully qualified domain name such as "api.example.com" (labels of 1-63 letters, digits and hyphens, no wildcard)',
  (v) =>
    typeof v === "string" &&
    v.length <= 253 &&
    /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(v),
);

/** A hosted zone name: a domain name, with or without the trailing dot Route 53 shows. */
export const hostedZoneName: Check = check(
  'a lowercase domain name such as "example.com" (a trailing dot, as Route 53 writes it, is fine)',
  (v) => typeof v === "string" && domainName.test(v.replace(/\.$/, "")),
);

/** True when `domain` is `zone` itself or a name inside it. */
export function domainIsInZone(domain: string, zone: string): boolean {
  const z = zone.replace(/\.$/, "").toLowerCase();
  return domain === z || domain.endsWith(`.${z}`);
}

export const hostedZoneId: Check = check(
  'a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"',
  (v) => typeof v === "string" && /^Z[A-Z0-9]{1,31}$/.test(v),
);

/** Tags per resource (Tagging AWS resources, "Tag naming limits and requirements"). */
export const MAX_TAGS_PER_RESOURCE = 50;
/** Unicode letters, digits, white space and _ . : / = + - @ (AWS tag character set). */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export const tagKey: Check = check(
  'a tag key of 1-128 letters (any script), digits, spaces and _ . : / = + - @, not starting with "aws:" in any case',
  (v) =>
    typeof v === "string" &&
    v.length >= 1 &&
    v.length <= 128 &&
    TAG_CHARACTERS.test(v) &&
    !v.toLowerCase().startsWith("aws:"),
);
export const tagValue: Check = check(
  "a tag value of at most 256 letters (any script), digits, spaces and _ . : / = + - @",
  (v) => typeof v === "string" && v.length <= 256 && TAG_CHARACTERS.test(v),
);

/**
 * Regions where ALB access logs are delivered by the region's ELB account (the
 * `aws_elb_service_account` data source). Regions opened later deliver through the
 * `logdelivery.elasticloadbalancing.amazonaws.com` service principal (ELB user guide,
 * "Enable access logs for your Application Load Balancer").
 */
export const ELB_ACCOUNT_LOG_DELIVERY_REGIONS: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ca-central-1",
  "eu-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-south-1",
  "eu-north-1",
  "me-south-1",
  "sa-east-1",
  "us-gov-east-1",
  "us-gov-west-1",
];

/** A list of distinct AZ names of a region, 2 or 3 (at least two for an ALB, at most the slots per tier). */
export function availabilityZoneList(region: string): Check {
  return listOf(availabilityZoneOf(region), { min: 2, max: 3, unique: true });
}

export const S3_BUCKET_NAME = matches(
  /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  "an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens",
);
