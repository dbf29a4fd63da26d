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
  `an AWS region name such as "eu-west-1" (known: ${AWS_REGIONS.join(", ")})`,
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
