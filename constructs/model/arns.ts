/** ARNs given as settings or props: their shape, and whether their partition, region and account fit. */
import { partitionOf } from "./aws-limits";
import { check } from "./checks";
import type { Check, Problem } from "./checks";

export const PARTITIONS = ["aws", "aws-us-gov", "aws-cn"] as const;

export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** `arn:partition:service:region:account:resource`, or undefined for anything else. */
export function parseArn(value: unknown): Arn | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^arn:(aws|aws-us-gov|aws-cn):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(value);
  if (!match) return undefined;
  const [, partition, service, region, account, resource] = match as unknown as string[];
  return { partition, service, region, account, resource } as Arn;
}

export const kmsKeyArn: Check = check("a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)", (v) => {
  const arn = parseArn(v);
  return arn?.service === "kms" && arn.account !== "" && /^key\/[A-Za-z0-9-]+$/.test(arn.resource);
});

export const iamRoleArn: Check = check("an IAM role ARN (arn:aws:iam::<account>:role/<name>)", (v) => {
  const arn = parseArn(v);
  return (
    arn?.service === "iam" &&
    arn.region === "" &&
    arn.account !== "" &&
    /^role\/[\w+=,.@/-]{1,512}$/.test(arn.resource)
  );
});

export const acmCertificateArn: Check = check(
  "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
  (v) => {
    const arn = parseArn(v);
    return arn?.service === "acm" && arn.account !== "" && /^certificate\/[A-Za-z0-9-]+$/.test(arn.resource);
  },
);

/**
 * Where an ARN does not fit its use: another partition than the region's (an ARN of aws-us-gov
 * cannot be used from a commercial region), another region when `sameRegion`, or another account
 * than the one the stack is pinned to when `sameAccount`.
 */
export function arnPlacementProblem(
  field: string,
  value: string,
  where: {
    readonly region: string;
    readonly account?: string;
    readonly sameRegion?: boolean;
    readonly sameAccount?: boolean;
  },
): Problem | undefined {
  const arn = parseArn(value);
  if (arn === undefined) return undefined;
  const partition = partitionOf(where.region);
  if (arn.partition !== partition) {
    return {
      field,
      value,
      allowed: `an ARN of the ${partition} partition, the partition of ${where.region}`,
    };
  }
  if (where.sameRegion && arn.region !== where.region) {
    return { field, value, allowed: `an ARN in ${where.region}, the environment's region` };
  }
  if (where.sameAccount && where.account !== undefined && arn.account !== where.account) {
    return {
      field,
      value,
      allowed: `an ARN in account ${where.account}, the account the environment is pinned to`,
    };
  }
  return undefined;
}
