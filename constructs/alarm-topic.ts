import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { SUBSCRIPTION_RULES } from "./model/alarms";
import type { AlarmSubscription } from "./model/alarms";
import { forPolicyDocument } from "./model/iam";
import { withGroupDefaults } from "./model/props";

export interface AlarmTopicProps {
  /** Topic name, e.g. "orders-api-prod-alarms". */
  readonly name: string;
  /** Customer-managed key; its policy must let CloudWatch use it (`cloudWatchAlarmsKeyStatement`). */
  readonly kmsKeyArn: string;
  /** Account (may be a token) whose alarms may publish. */
  readonly accountId: string;
  /**
   * Email addresses and HTTPS endpoints to notify.
   *
   * @default []
   */
  readonly subscriptions?: readonly AlarmSubscription[];
}

/**
 * The SNS topic alarms notify: encrypted with a customer-managed key, writable by this account's
 * CloudWatch alarms only, and subscribed by the people (or systems) on call.
 */
export class AlarmTopic extends Construct {
  public readonly topic: SnsTopic;
  public readonly topicArn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { subscriptions = [] } = withGroupDefaults({ rules: SUBSCRIPTION_RULES }, props);
    this.topic = new SnsTopic(this, "topic", {
      name: props.name,
      kmsMasterKeyId: props.kmsKeyArn,
      tags: { Name: props.name },
    });
    this.topicArn = this.topic.arn;
    this.restrictPublishers(props.accountId);
    subscriptions.forEach((s, i) => {
      new SnsTopicSubscription(this, `subscription_${i}`, {
        topicArn: this.topic.arn,
        protocol: s.protocol,
        endpoint: s.endpoint,
      });
    });
  }

  private restrictPublishers(accountId: string): void {
    const policy = new DataAwsIamPolicyDocument(this, "topic_policy_document", {
      statement: forPolicyDocument([
        {
          sid: "CloudWatchAlarmsOfThisAccountPublish",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }],
        },
        {
          sid: "HttpsOnly",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ]),
    });
    new SnsTopicPolicy(this, "topic_policy", { arn: this.topic.arn, policy: policy.json });
  }
}
