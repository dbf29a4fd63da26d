import type { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export interface ServiceTrustPolicyProps {
  /** Service principal allowed to assume the role, e.g. "ecs-tasks.amazonaws.com". */
  readonly service: string;
  /** Account the calling service must act for (`aws:SourceAccount`). */
  readonly accountId: string;
  /**
   * ARN pattern the calling resource must match (`aws:SourceArn`, ArnLike).
   *
   * @default - only the aws:SourceAccount condition
   */
  readonly sourceArnLike?: string;
}

/**
 * Trust policy for a role assumed by an AWS service, with the confused-deputy guards AWS
 * recommends (`aws:SourceAccount`, and `aws:SourceArn` where the service sends it).
 * Built as a policy-document data source so scanners and tests read it as structured data.
 */
export function serviceTrustPolicy(
  scope: Construct,
  id: string,
  props: ServiceTrustPolicyProps,
): DataAwsIamPolicyDocument {
  const condition = [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }];
  if (props.sourceArnLike !== undefined) {
    condition.push({ test: "ArnLike", variable: "aws:SourceArn", values: [props.sourceArnLike] });
  }
  return new DataAwsIamPolicyDocument(scope, id, {
    statement: [
      {
        sid: "AssumeRoleFromService",
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: [props.service] }],
        condition,
      },
    ],
  });
}
