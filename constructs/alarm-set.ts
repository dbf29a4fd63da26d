import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type {
  CloudwatchMetricAlarmConfig,
  CloudwatchMetricAlarmMetricQuery,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ALARM_IDS, ALARM_THRESHOLD_GROUP, ALARMS, alarmName, alarmWords } from "./model/alarms";
import type { AlarmId, AlarmThreshold, AlarmThresholds } from "./model/alarms";
import { withGroupDefaults } from "./model/props";

export interface AlarmSetProps {
  /** Prefix of the alarm names, e.g. "orders-api-prod". */
  readonly namePrefix: string;
  /** SNS topic every alarm notifies, on alarm and on recovery. */
  readonly topicArn: string;
  /** `arn_suffix` of the load balancer ("app/<name>/<id>"). */
  readonly loadBalancerArnSuffix: string;
  /** `arn_suffix` of the target group ("targetgroup/<name>/<id>"). */
  readonly targetGroupArnSuffix: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** Region of the web ACL (a WAFv2 metric dimension). */
  readonly region: string;
  /**
   * Name of the WAF web ACL in front of the load balancer.
   *
   * @default - no WAF alarm
   */
  readonly webAclName?: string;
  /**
   * RDS instance identifier of the database.
   *
   * @default - no database alarms
   */
  readonly databaseIdentifier?: string;
  /**
   * Member cluster ids of the Redis replication group (`<group>-001`, ...): the alarms watch the
   * busiest node, whichever is primary.
   *
   * @default - no cache alarms
   */
  readonly cacheClusterIds?: readonly string[];
  /**
   * Threshold, period and evaluation periods per alarm.
   *
   * @default - each alarm's own defaults (constructs/model/alarms.ts)
   */
  readonly thresholds?: Partial<Record<AlarmId, Partial<AlarmThreshold>>>;
}

type Metric = Pick<
  CloudwatchMetricAlarmConfig,
  "namespace" | "metricName" | "statistic" | "extendedStatistic" | "dimensions" | "period"
> & { readonly metricQuery?: CloudwatchMetricAlarmMetricQuery[] };

/**
 * The service's CloudWatch alarms, one per entry of the alarm table: each notifies the topic
 * when it fires and when it recovers, and its description says what to do.
 */
export class AlarmSet extends Construct {
  public readonly alarms: Partial<Record<AlarmId, CloudwatchMetricAlarm>> = {};

  constructor(scope: Construct, id: string, props: AlarmSetProps) {
    super(scope, id);
    const thresholds = withGroupDefaults(ALARM_THRESHOLD_GROUP, (props.thresholds ?? {}) as AlarmThresholds);
    for (const alarmId of ALARM_IDS) {
      const metric = this.metricFor(alarmId, props, thresholds[alarmId].periodSeconds);
      if (metric === undefined) continue;
      this.alarms[alarmId] = this.addAlarm(alarmId, metric, thresholds[alarmId], props);
    }
  }

  private addAlarm(
    alarmId: AlarmId,
    metric: Metric,
    threshold: AlarmThreshold,
    props: AlarmSetProps,
  ): CloudwatchMetricAlarm {
    const definition = ALARMS[alarmId];
    return new CloudwatchMetricAlarm(this, alarmWords(alarmId).join("_"), {
      alarmName: alarmName(props.namePrefix, alarmId),
      alarmDescription: definition.description,
      comparisonOperator: definition.below ? "LessThanOrEqualToThreshold" : "GreaterThanOrEqualToThreshold",
      threshold: threshold.threshold,
      evaluationPeriods: threshold.evaluationPeriods,
      ...metric,
      treatMissingData: definition.treatMissingData,
      actionsEnabled: true,
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
    });
  }

  /** What an alarm watches: one metric with its period, or metric math over metrics of that period. */
  private metricFor(alarmId: AlarmId, p: AlarmSetProps, period: number): Metric | undefined {
    return (
      loadBalancerMetric(alarmId, p, period) ??
      serviceMetric(alarmId, p, period) ??
      databaseMetric(alarmId, p, period) ??
      cacheMetric(alarmId, p, period)
    );
  }
}

function query(
  id: string,
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  stat: string,
  period: number,
): CloudwatchMetricAlarmMetricQuery {
  return { id, returnData: false, metric: { namespace, metricName, dimensions, stat, period } };
}

/** The load balancer's and the WAF's metrics. */
function loadBalancerMetric(alarmId: AlarmId, p: AlarmSetProps, period: number): Metric | undefined {
  const alb = { LoadBalancer: p.loadBalancerArnSuffix };
  const target = { LoadBalancer: p.loadBalancerArnSuffix, TargetGroup: p.targetGroupArnSuffix };
  const elb = (metricName: string, dimensions: Record<string, string>, statistic = "Sum"): Metric => ({
    namespace: "AWS/ApplicationELB",
    metricName,
    statistic,
    dimensions,
    period,
  });
  switch (alarmId) {
    case "loadBalancer5xx":
      return elb("HTTPCode_ELB_5XX_Count", alb);
    case "target5xxRate":
      return {
        metricQuery: [
          query("errors", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", target, "Sum", period),
          query("requests", "AWS/ApplicationELB", "RequestCount", target, "Sum", period),
          {
            id: "rate",
            expression: "IF(requests > 0, 100 * errors / requests, 0)",
            label: "5xx %",
            returnData: true,
          },
        ],
      };
    case "targetResponseTimeP99":
      return { ...elb("TargetResponseTime", target), statistic: undefined, extendedStatistic: "p99" };
    case "unhealthyHosts":
      return elb("UnHealthyHostCount", target, "Maximum");
    case "rejectedConnections":
      return elb("RejectedConnectionCount", alb);
    case "wafBlockedRequests":
      return p.webAclName === undefined
        ? undefined
        : {
            namespace: "AWS/WAFV2",
            metricName: "BlockedRequests",
            statistic: "Sum",
            dimensions: { WebACL: p.webAclName, Region: p.region, Rule: "ALL" },
            period,
          };
    default:
      return undefined;
  }
}

/** The ECS service's metrics. */
function serviceMetric(alarmId: AlarmId, p: AlarmSetProps, period: number): Metric | undefined {
  const service = { ClusterName: p.clusterName, ServiceName: p.serviceName };
  const ecs = (metricName: string): Metric => ({
    namespace: "AWS/ECS",
    metricName,
    statistic: "Average",
    dimensions: service,
    period,
  });
  switch (alarmId) {
    case "runningTasksBelowDesired":
      return {
        metricQuery: [
          query("desired", "ECS/ContainerInsights", "DesiredTaskCount", service, "Average", period),
          query("running", "ECS/ContainerInsights", "RunningTaskCount", service, "Average", period),
          { id: "missing", expression: "desired - running", label: "tasks missing", returnData: true },
        ],
      };
    case "serviceCpu":
      return ecs("CPUUtilization");
    case "serviceMemory":
      return ecs("MemoryUtilization");
    default:
      return undefined;
  }
}

/** The RDS instance's metrics; storage and memory in GiB and MiB, as their thresholds are. */
function databaseMetric(alarmId: AlarmId, p: AlarmSetProps, period: number): Metric | undefined {
  if (p.databaseIdentifier === undefined) return undefined;
  const instance = { DBInstanceIdentifier: p.databaseIdentifier };
  const rds = (metricName: string): Metric => ({
    namespace: "AWS/RDS",
    metricName,
    statistic: "Average",
    dimensions: instance,
    period,
  });
  const scaled = (metricName: string, divisor: number, label: string): Metric => ({
    metricQuery: [
      query("raw", "AWS/RDS", metricName, instance, "Minimum", period),
      { id: "scaled", expression: `raw / ${divisor}`, label, returnData: true },
    ],
  });
  switch (alarmId) {
    case "databaseCpu":
      return rds("CPUUtilization");
    case "databaseFreeStorage":
      return scaled("FreeStorageSpace", 1024 ** 3, "free storage (GiB)");
    case "databaseFreeMemory":
      return scaled("FreeableMemory", 1024 ** 2, "freeable memory (MiB)");
    case "databaseConnections":
      return { ...rds("DatabaseConnections"), statistic: "Maximum" };
    default:
      return undefined;
  }
}

/** The cache nodes' metrics: the worst node counts, whichever is primary after a failover. */
function cacheMetric(alarmId: AlarmId, p: AlarmSetProps, period: number): Metric | undefined {
  const nodes = p.cacheClusterIds ?? [];
  if (nodes.length === 0) return undefined;
  const worst = (metricName: string, stat: string, label: string): Metric => ({
    metricQuery: [
      ...nodes.map((id, i) =>
        query(`node${i + 1}`, "AWS/ElastiCache", metricName, { CacheClusterId: id }, stat, period),
      ),
      {
        id: "worst",
        expression: nodes.length === 1 ? "node1" : `MAX([${nodes.map((_, i) => `node${i + 1}`).join(", ")}])`,
        label,
        returnData: true,
      },
    ],
  });
  switch (alarmId) {
    case "cacheCpu":
      return worst("EngineCPUUtilization", "Average", "engine CPU % (busiest node)");
    case "cacheMemory":
      return worst("DatabaseMemoryUsagePercentage", "Average", "memory used % (fullest node)");
    case "cacheEvictions":
      return worst("Evictions", "Sum", "evictions (most on one node)");
    case "cacheReplicationLag":
      return nodes.length < 2
        ? undefined
        : worst("ReplicationLag", "Maximum", "replication lag s (slowest replica)");
    default:
      return undefined;
  }
}
