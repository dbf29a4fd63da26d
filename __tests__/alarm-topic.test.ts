import "cdktf/lib/testing/adapters/jest";
import { AlarmTopic } from "../constructs/alarm-topic";
import type { AlarmTopicProps } from "../constructs/alarm-topic";
import { blockOf, policyDocument, ref, resources, synth, testStack } from "./support/synth";
import { validate } from "./support/validate";
import { SUBSCRIPTION_RULES } from "../constructs/model/alarms";

const BASE: AlarmTopicProps = {
  name: "orders-api-prod-alarms",
  kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/notifications",
  accountId: "123456789012",
  subscriptions: [
    { protocol: "email", endpoint: "oncall@example.com" },
    { protocol: "https", endpoint: "https://events.pagerduty.com/integration/abc/enqueue" },
  ],
};

function build(overrides: Partial<AlarmTopicProps> = {}) {
  const stack = testStack();
  const topic = new AlarmTopic(
    stack,
    "alarm_topic",
    validate("test/alarm_topic", { rules: SUBSCRIPTION_RULES }, { ...BASE, ...overrides }),
  );
  return { topic, json: synth(stack) };
}

describe("AlarmTopic", () => {
  test("is encrypted with the customer-managed key", () => {
    const { topic, json } = build();
    expect(blockOf(json, topic.topic)).toMatchObject({ name: BASE.name, kms_master_key_id: BASE.kmsKeyArn });
  });

  test("lets only this account's CloudWatch alarms publish, over TLS", () => {
    const { topic, json } = build();
    const [policy] = Object.values(resources(json, "aws_sns_topic_policy"));
    expect(policy?.arn).toBe(ref(topic.topic, "arn"));
    expect(policyDocument(json, policy?.policy as string).statement).toEqual([
      expect.objectContaining({
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
        actions: ["sns:Publish"],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] }],
      }),
      expect.objectContaining({
        effect: "Deny",
        condition: [expect.objectContaining({ variable: "aws:SecureTransport" })],
      }),
    ]);
  });

  test("subscribes each endpoint with its protocol", () => {
    const subscriptions = Object.values(resources(build().json, "aws_sns_topic_subscription"));
    expect(subscriptions.map((s) => [s.protocol, s.endpoint])).toEqual(
      BASE.subscriptions?.map((s) => [s.protocol, s.endpoint]),
    );
  });

  test("refuses an endpoint that does not fit its protocol", () => {
    expect(() =>
      build({ subscriptions: [{ protocol: "https", endpoint: "http://insecure.example.com" }] }),
    ).toThrow(/subscriptions\[0\]: got .*; allowed: a subscription/);
    expect(() => build({ subscriptions: [{ protocol: "email", endpoint: "not-an-address" }] })).toThrow(
      /subscriptions\[0\]/,
    );
  });
});
