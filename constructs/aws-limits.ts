/**
 * Facts about AWS that validation checks against. Each list says where it comes from, so the
 * next person knows what to update when AWS adds a value.
 */
import { check, oneOf } from "./checks";
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
 * Regions with the services this app uses (ECS Fargate, ALB, ACM, ECR), from the AWS Regional
 * Services list. Add new regions here.
 */
export const AWS_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-south-1",
  "eu-south-2",
  "eu-north-1",
  "il-central-1",
  "me-south-1",
  "me-central-1",
  "mx-central-1",
  "sa-east-1",
  "us-gov-east-1",
  "us-gov-west-1",
] as const;

export const awsRegion: Check = check(
  'an AWS region name such as "eu-west-1" (one of AWS_REGIONS in constructs/aws-limits.ts)',
  (v) => (AWS_REGIONS as readonly unknown[]).includes(v),
);

/** An AZ name of the given region: the region followed by one letter (eu-west-1a). */
export function availabilityZoneOf(region: string): Check {
  return check(`an availability zone name of ${region}, such as "${region}a"`, (v) =>
    typeof v === "string" ? new RegExp(`^${region}[a-z]$`).test(v) : false,
  );
}

/** Default AZ names for a region: its first `count` letters. */
export function defaultAvailabilityZones(region: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

/** ARN partition of a region, for ARNs that must be literal (conditions, endpoint names). */
export function partitionOf(region: string): string {
  return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

export const tcpPort: Check = check(
  "a TCP port from 1 to 65535",
  (v) => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 65535,
);

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

/** A lowercase fully qualified domain name without a wildcard (a wildcard fails CKV2_AWS_71). */
export const domainName: Check = check(
  'a lowercase fully qualified domain name such as "api.example.com" (labels of 1-63 letters, digits and hyphens, no wildcard)',
  (v) =>
    typeof v === "string" &&
    v.length <= 253 &&
    /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(v),
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

export const acmCertificateArn: Check = check(
  "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
  (v) =>
    typeof v === "string" &&
    /^arn:(aws|aws-us-gov|aws-cn):acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(v),
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
