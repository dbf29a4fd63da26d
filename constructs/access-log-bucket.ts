import { Construct } from "constructs";
import type { DataAwsIamPolicyDocumentStatementPrincipals } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
// The generated class carries an "A" suffix (a name clash inside the provider bindings).
import { S3BucketObjectLockConfigurationA as S3BucketObjectLockConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
// The generated classes carry an "A" suffix (a name clash inside the provider bindings).
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA as S3BucketVersioning } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { ELB_ACCOUNT_LOG_DELIVERY_REGIONS } from "./model/aws-limits";
import { acceptFindings } from "./support/accepted-findings";

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
   * Days after which overwritten or deleted versions expire.
   *
   * @default 30
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Object Lock (governance mode) for this many days on every new object: nobody without
   * s3:BypassGovernanceRetention can delete or overwrite a log version before then. 0 is off.
   * Turning it on or off replaces the bucket.
   *
   * @default 0
   */
  readonly objectLockDays?: number;
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
    const { noncurrentVersionDays = 30, objectLockDays = 0 } = props;
    this.prefix = props.prefix;

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      objectLockEnabled: objectLockDays > 0 ? true : undefined,
      tags: { Name: props.bucketName },
    });
    this.bucketName = this.bucket.bucket;
    acceptFindings(this.bucket, "accessLogBucket");
    this.addPrivacyAndEncryption();
    this.addVersioningAndLock(objectLockDays);
    this.addLifecycle(props.retentionDays, noncurrentVersionDays);
    this.policy = this.addPolicy(props);
  }

  private addPrivacyAndEncryption(): void {
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
    const encryption = new S3BucketServerSideEncryptionConfiguration(this, "encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    acceptFindings(encryption, "accessLogBucketEncryption");
  }

  private addVersioningAndLock(objectLockDays: number): void {
    const bucket = this.bucket.id;
    const versioning = new S3BucketVersioning(this, "versioning", {
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    if (objectLockDays === 0) return;
    new S3BucketObjectLockConfiguration(this, "object_lock", {
      bucket,
      rule: { defaultRetention: { mode: "GOVERNANCE", days: objectLockDays } },
      dependsOn: [versioning],
    });
  }

  private addLifecycle(retentionDays: number, noncurrentVersionDays: number): void {
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: `${this.prefix}/` }],
          expiration: [{ days: retentionDays }],
        },
        {
          id: "bucket-hygiene",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: INCOMPLETE_UPLOAD_EXPIRY_DAYS }],
        },
      ],
    });
  }

  private addPolicy(props: AccessLogBucketProps): S3BucketPolicy {
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
    return new S3BucketPolicy(this, "policy", { bucket: this.bucket.id, policy: document.json });
  }
}
