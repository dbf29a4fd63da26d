import { Construct } from "constructs";
import type { DataAwsIamPolicyDocumentStatementPrincipals } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
// The generated classes carry an "A" suffix (a name clash inside the provider bindings).
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA as S3BucketVersioning } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { ELB_ACCOUNT_LOG_DELIVERY_REGIONS } from "./rules/aws-limits";
import { checkField, throwIfProblems } from "./rules/checks";
import { ACCESS_LOG_RETENTION_DAYS } from "./rules/load-balancer";

export const NONCURRENT_VERSION_EXPIRY_DAYS = 30;
export const INCOMPLETE_UPLOAD_EXPIRY_DAYS = 7;

export interface AccessLogBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Region of the load balancer (decides who delivers the logs). */
  readonly region: string;
  /** Account of the load balancer (may be a token). */
  readonly accountId: string;
  /** Key prefix the load balancer writes under. */
  readonly prefix: string;
  /** Days after which log objects expire. */
  readonly retentionDays: number;
  /**
   * Whether destroy may delete the bucket with its logs (for throw-away environments).
   *
   * @default false
   */
  readonly forceDestroy?: boolean;
}

/**
 * S3 bucket for ALB access logs: SSE-S3 (the only encryption ELB log delivery supports), all
 * public access blocked, ACLs disabled, versioning, a lifecycle that expires logs, and a bucket
 * policy that lets only this account's load balancers deliver, over TLS.
 */
export class AccessLogBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly policy: S3BucketPolicy;
  public readonly bucketName: string;
  public readonly prefix: string;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    throwIfProblems(this.node.path, [
      ...checkField("retentionDays", props.retentionDays, ACCESS_LOG_RETENTION_DAYS),
    ]);
    this.prefix = props.prefix;

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      tags: { Name: props.bucketName },
    });
    this.bucketName = this.bucket.bucket;
    const bucket = this.bucket.id;
    new S3BucketOwnershipControls(this, "ownership", {
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketPublicAccessBlock(this, "public_access_block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfiguration(this, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketVersioning(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: `${props.prefix}/` }],
          expiration: [{ days: props.retentionDays }],
        },
        {
          id: "bucket-hygiene",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: NONCURRENT_VERSION_EXPIRY_DAYS }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: INCOMPLETE_UPLOAD_EXPIRY_DAYS }],
        },
      ],
    });

    const deliverer: DataAwsIamPolicyDocumentStatementPrincipals = ELB_ACCOUNT_LOG_DELIVERY_REGIONS.includes(
      props.region,
    )
      ? {
          type: "AWS",
          identifiers: [new DataAwsElbServiceAccount(this, "elb_account", { region: props.region }).arn],
        }
      : { type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] };
    const document = new DataAwsIamPolicyDocument(this, "policy_document", {
      statement: [
        {
          sid: "LoadBalancerLogDelivery",
          effect: "Allow",
          principals: [deliverer],
          actions: ["s3:PutObject"],
          resources: [`${this.bucket.arn}/${props.prefix}/AWSLogs/${props.accountId}/*`],
        },
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    this.policy = new S3BucketPolicy(this, "policy", { bucket, policy: document.json });
  }
}
