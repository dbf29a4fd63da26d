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
    title: "the ECS service is watched: an alarm on its running tasks, and one on its targets' 5xx rate",
    violations: (s) => {
      const alarms = s.resources("aws_cloudwatch_metric_alarm").map((a) => a.block);
      const watches = (metric: string) =>
        alarms.some((a: Block) =>
          [
            a.metric_name,
            ...asList<Block>(a.metric_query).map((q) => asList<Block>(q.metric)[0]?.metric_name),
          ].includes(metric),
        );
      return watches("RunningTaskCount") && watches("HTTPCode_Target_5XX_Count")
        ? []
        : paths(s.resources("aws_ecs_service"));
    },
  },
];
