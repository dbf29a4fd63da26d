/** Policy rules: alarms and their notifications. */
import type { PolicyRule } from "../stack-view";
import { asList, paths } from "../stack-view";
import type { Block } from "../terraform-json";

export const OPERATIONS_RULES: readonly PolicyRule[] = [
  {
    ids: ["CKV_AWS_26", "AWS-0095", "AWS-0136"],
    title: "SNS topics are encrypted with a customer-managed key",
    violations: (s) =>
      paths(
        s
          .resources("aws_sns_topic")
          .filter((t) => !String(t.block.kms_master_key_id ?? "").startsWith("${aws_kms_key.")),
      ),
  },
  {
    ids: ["PROJECT-ALARM-ACTIONS"],
    title: "every alarm notifies when it fires and when it recovers",
    violations: (s) =>
      paths(
        s
          .resources("aws_cloudwatch_metric_alarm")
          .filter(
            (a) =>
              a.block.actions_enabled === false ||
              asList(a.block.alarm_actions).length === 0 ||
              asList(a.block.ok_actions).length === 0,
          ),
      ),
  },
  {
    ids: ["PROJECT-SERVICE-ALARMS"],
    title:
      "every ECS service is watched: the one behind the load balancer by its running tasks and its targets' 5xx rate, a worker by its dead letters and the age of its queue",
    violations: (s) => {
      const alarms = s.resources("aws_cloudwatch_metric_alarm").map((a) => a.block);
      const watches = (metric: string) =>
        alarms.some((a: Block) =>
          [
            a.metric_name,
            ...asList<Block>(a.metric_query).map((q) => asList<Block>(q.metric)[0]?.metric_name),
          ].includes(metric),
        );
      const behindLoadBalancer = (svc: { block: Block }) => asList(svc.block.load_balancer).length > 0;
      const web = watches("RunningTaskCount") && watches("HTTPCode_Target_5XX_Count");
      const worker =
        watches("ApproximateNumberOfMessagesVisible") && watches("ApproximateAgeOfOldestMessage");
      return paths(
        s.resources("aws_ecs_service").filter((svc) => (behindLoadBalancer(svc) ? !web : !worker)),
      );
    },
  },
];
