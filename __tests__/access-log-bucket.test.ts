import "cdktf/lib/testing/adapters/jest";
import { problemsOf } from "../constructs/model/checks";
import { ACCESS_LOG_OBJECT_LOCK_DAYS, ACCESS_LOG_RETENTION_DAYS } from "../constructs/model/load-balancer";
import { AccessLogBucket } from "../constructs/access-log-bucket";
import type { AccessLogBucketProps } from "../constructs/access-log-bucket";
import { blockOf, dataSources, only, policyDocument, ref, synth, testStack } from "./support/synth";

const BASE: AccessLogBucketProps = {
  bucketName: "orders-api-prod-alb-logs-123456789012",
  region: "eu-west-1",
  accountId: "123456789012",
  prefix: "alb",
  retentionDays: 365,
};

function build(overrides: Partial<AccessLogBucketProps> = {}) {
  const stack = testStack(overrides.region ?? BASE.region);
  const bucket = new AccessLogBucket(stack, "access_logs", { ...BASE, ...overrides });
  return { bucket, json: synth(stack) };
}

describe("AccessLogBucket", () => {
  test("is private, SSE-S3 encrypted, versioned and without ACLs", () => {
    const { bucket, json } = build();
    const id = ref(bucket.bucket);
    expect(blockOf(json, bucket.bucket)).toMatchObject({ bucket: BASE.bucketName, force_destroy: false });
    expect(only(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      bucket: id,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(json, "aws_s3_bucket_server_side_encryption_configuration")).toMatchObject({
      bucket: id,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
    expect(only(json, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(only(json, "aws_s3_bucket_ownership_controls").rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
  });

  test("expires the logs after the retention and cleans up versions and uploads bucket-wide", () => {
    const { json } = build({ retentionDays: 90 });
    expect(only(json, "aws_s3_bucket_lifecycle_configuration").rule).toEqual([
      {
        id: "expire-access-logs",
        status: "Enabled",
        filter: [{ prefix: "alb/" }],
        expiration: [{ days: 90 }],
      },
      {
        id: "bucket-hygiene",
        status: "Enabled",
        filter: [{}],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  test("keeps noncurrent versions as long as asked", () => {
    const { json } = build({ noncurrentVersionDays: 365 });
    const rules = only(json, "aws_s3_bucket_lifecycle_configuration").rule as Array<Record<string, unknown>>;
    expect(rules[1]?.noncurrent_version_expiration).toEqual([{ noncurrent_days: 365 }]);
  });

  test("has no Object Lock by default; with objectLockDays, governance-mode retention on every object", () => {
    const unlocked = build();
    expect(blockOf(unlocked.json, unlocked.bucket.bucket).object_lock_enabled).toBeUndefined();
    expect(unlocked.json.resource.aws_s3_bucket_object_lock_configuration).toBeUndefined();

    const { bucket, json } = build({ objectLockDays: 400 });
    expect(blockOf(json, bucket.bucket).object_lock_enabled).toBe(true);
    expect(only(json, "aws_s3_bucket_object_lock_configuration")).toMatchObject({
      bucket: ref(bucket.bucket),
      rule: { default_retention: { mode: "GOVERNANCE", days: 400 } },
    });
  });

  test("lets the region's ELB account deliver under the prefix, and denies plain HTTP", () => {
    const { bucket, json } = build();
    const statements = policyDocument(json, only(json, "aws_s3_bucket_policy").policy).statement;
    const [elbAccount] = Object.keys(dataSources(json, "aws_elb_service_account"));
    expect(statements).toEqual([
      expect.objectContaining({
        effect: "Allow",
        actions: ["s3:PutObject"],
        principals: [{ type: "AWS", identifiers: [`\${data.aws_elb_service_account.${elbAccount}.arn}`] }],
        resources: [`${ref(bucket.bucket, "arn")}/alb/AWSLogs/123456789012/*`],
      }),
      expect.objectContaining({
        effect: "Deny",
        actions: ["s3:*"],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      }),
    ]);
  });

  test("uses the log-delivery service principal in regions opened after 2021", () => {
    const { json } = build({ region: "ap-southeast-4" });
    expect(dataSources(json, "aws_elb_service_account")).toEqual({});
    const [allow] = policyDocument(json, only(json, "aws_s3_bucket_policy").policy).statement;
    expect(allow.principals).toEqual([
      { type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] },
    ]);
  });

  test("its rules (edge.accessLog*) refuse a retention or a lock S3 cannot apply", () => {
    expect(problemsOf("retentionDays", 0, ACCESS_LOG_RETENTION_DAYS)).toEqual([
      expect.objectContaining({ allowed: "an integer from 1 to 3650 days" }),
    ]);
    expect(problemsOf("objectLockDays", -1, ACCESS_LOG_OBJECT_LOCK_DAYS)).toEqual([
      expect.objectContaining({ allowed: "an integer from 0 to 3650 days" }),
    ]);
    expect(problemsOf("objectLockDays", 0, ACCESS_LOG_OBJECT_LOCK_DAYS)).toEqual([]);
  });
});
