/** Policy rules: S3 (ALB access logs). */
import type { PolicyRule } from "../stack-view";
import { asList, bucketConfig, buckets, isTrue, paths } from "../stack-view";
import type { Block } from "../terraform-json";

export const S3_RULES: readonly PolicyRule[] = [
  {
    ids: ["CKV2_AWS_6"],
    title: "buckets block every kind of public access",
    violations: (s) =>
      paths(
        buckets(s).filter((b) => {
          const block = bucketConfig(s, "aws_s3_bucket_public_access_block", b)[0]?.block;
          return (
            !block ||
            ![
              "block_public_acls",
              "block_public_policy",
              "ignore_public_acls",
              "restrict_public_buckets",
            ].every((k) => isTrue(block[k]))
          );
        }),
      ),
  },
  {
    ids: ["CKV_AWS_21"],
    title: "buckets are versioned",
    violations: (s) =>
      paths(
        buckets(s).filter(
          (b) =>
            bucketConfig(s, "aws_s3_bucket_versioning", b)[0]?.block.versioning_configuration?.status !==
            "Enabled",
        ),
      ),
  },
  {
    ids: ["CKV2_AWS_61", "CKV_AWS_300"],
    title: "buckets expire objects and abort incomplete uploads bucket-wide",
    violations: (s) =>
      paths(
        buckets(s).filter((b) => {
          const rules = asList<Block>(
            bucketConfig(s, "aws_s3_bucket_lifecycle_configuration", b)[0]?.block.rule,
          );
          const expires = rules.some((r) => r.status === "Enabled" && asList<Block>(r.expiration).length > 0);
          const aborts = rules.some(
            (r) =>
              r.status === "Enabled" &&
              asList<Block>(r.abort_incomplete_multipart_upload).length > 0 &&
              asList<Block>(r.filter).every((f) => Object.keys(f).length === 0),
          );
          return !expires || !aborts;
        }),
      ),
  },
  {
    ids: ["CKV_AWS_145"],
    title: "buckets are encrypted with a KMS key",
    violations: (s) =>
      paths(
        buckets(s).filter(
          (b) =>
            !asList<Block>(
              bucketConfig(s, "aws_s3_bucket_server_side_encryption_configuration", b)[0]?.block.rule,
            ).some((r) =>
              String(r.apply_server_side_encryption_by_default?.sse_algorithm).startsWith("aws:kms"),
            ),
        ),
      ),
  },
  {
    ids: ["AWS-0132"],
    title: "bucket encryption configurations name a customer-managed KMS key",
    violations: (s) =>
      paths(
        s.resources("aws_s3_bucket_server_side_encryption_configuration").filter(
          (c) =>
            !asList<Block>(c.block.rule).some((r) => {
              const byDefault = r.apply_server_side_encryption_by_default as Block | undefined;
              return (
                String(byDefault?.sse_algorithm).startsWith("aws:kms") &&
                Boolean(byDefault?.kms_master_key_id)
              );
            }),
        ),
      ),
  },
  {
    ids: ["CKV_AWS_19"],
    title: "buckets are encrypted at rest",
    violations: (s) =>
      paths(
        buckets(s).filter(
          (b) => bucketConfig(s, "aws_s3_bucket_server_side_encryption_configuration", b).length === 0,
        ),
      ),
  },
  {
    ids: ["CKV_AWS_18", "AWS-0089"],
    title: "buckets log access to another bucket",
    violations: (s) =>
      paths(buckets(s).filter((b) => bucketConfig(s, "aws_s3_bucket_logging", b).length === 0)),
  },
  {
    ids: ["CKV_AWS_144"],
    title: "buckets replicate to another region",
    violations: (s) =>
      paths(
        buckets(s).filter((b) => bucketConfig(s, "aws_s3_bucket_replication_configuration", b).length === 0),
      ),
  },
  {
    ids: ["CKV2_AWS_62"],
    title: "buckets send event notifications",
    violations: (s) =>
      paths(buckets(s).filter((b) => bucketConfig(s, "aws_s3_bucket_notification", b).length === 0)),
  },
  {
    ids: ["PROJECT-S3-TLS-ONLY", "AwsSolutions-S10"],
    title: "bucket policies deny requests without TLS",
    violations: (s) =>
      paths(
        buckets(s).filter((b) => {
          const policy = bucketConfig(s, "aws_s3_bucket_policy", b)[0];
          return (
            !policy ||
            !s
              .statements(policy.block.policy)
              .some(
                (st) =>
                  st.effect === "Deny" &&
                  asList<Block>(st.condition).some((c) => c.variable === "aws:SecureTransport"),
              )
          );
        }),
      ),
  },
];
