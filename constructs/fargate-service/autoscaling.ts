/**
 * The service's application autoscaling: CPU target tracking, plus memory and request-count
 * policies when they are set. Created in the service's own scope, so the resource addresses are
 * the service construct's.
 */
import type { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import type { ServiceOptions } from "../model/fargate-service";
import type { CrossCheck } from "../model/props";

export interface ServiceAutoscalingInput {
  readonly autoscaling: Required<ServiceOptions>["autoscaling"];
  /** `<alb arn_suffix>/<target group arn_suffix>`; without it, no request-count policy. */
  readonly requestCountResourceLabel?: string;
  /** Prefix of the policies' names. */
  readonly namePrefix: string;
  /** `service/<cluster>/<service>`. */
  readonly resourceId: string;
}

export function addServiceAutoscaling(
  scope: Construct,
  input: ServiceAutoscalingInput,
): AppautoscalingTarget {
  const { autoscaling, requestCountResourceLabel, namePrefix, resourceId } = input;
  const target = new AppautoscalingTarget(scope, "autoscaling_target", {
    serviceNamespace: "ecs",
    scalableDimension: "ecs:service:DesiredCount",
    resourceId,
    minCapacity: autoscaling.minCount,
    maxCapacity: autoscaling.maxCount,
  });
  const policy = (policyId: string, metric: string, value: number, resourceLabel?: string) =>
    new AppautoscalingPolicy(scope, policyId, {
      name: `${namePrefix}-${policyId.replace(/_/g, "-")}`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: value,
        scaleInCooldown: autoscaling.scaleInCooldownSeconds,
        scaleOutCooldown: autoscaling.scaleOutCooldownSeconds,
        predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel },
      },
    });
  policy("cpu_target_tracking", "ECSServiceAverageCPUUtilization", autoscaling.cpuTargetPercent);
  if (autoscaling.memoryTargetPercent !== undefined) {
    policy("memory_target_tracking", "ECSServiceAverageMemoryUtilization", autoscaling.memoryTargetPercent);
  }
  if (autoscaling.requestsPerTarget !== undefined && requestCountResourceLabel !== undefined) {
    policy(
      "requests_target_tracking",
      "ALBRequestCountPerTarget",
      autoscaling.requestsPerTarget,
      requestCountResourceLabel,
    );
  }
  return target;
}

/** A request-count policy needs the ALB/target-group label (a wiring check of the service construct). */
export const REQUEST_COUNT_LABEL_CHECK: CrossCheck<
  Pick<ServiceAutoscalingInput, "requestCountResourceLabel"> & Pick<ServiceOptions, "autoscaling">
> = {
  description: "A request-count policy needs the ALB/target-group label.",
  reads: ["autoscaling"],
  check: (p) =>
    p.autoscaling?.requestsPerTarget !== undefined && p.requestCountResourceLabel === undefined
      ? [
          {
            field: "requestCountResourceLabel",
            value: undefined,
            allowed: "the ALB/target-group resource label when autoscaling.requestsPerTarget is set",
          },
        ]
      : [],
};
