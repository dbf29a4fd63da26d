import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";

export interface OperationsDashboardProps {
  /** Dashboard name, e.g. "orders-api-prod". */
  readonly name: string;
  readonly region: string;
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** @default - no WAF widget */
  readonly webAclName?: string;
  /** @default - no database widget */
  readonly databaseIdentifier?: string;
  /** @default - no cache widget */
  readonly cacheClusterIds?: readonly string[];
  /**
   * Workers and jobs beside the service: a widget each (queues, and a worker's tasks).
   *
   * @default []
   */
  readonly workloads?: readonly DashboardWorkload[];
  /**
   * Alarm ARNs for the alarm-status widget.
   *
   * @default [] (no alarm widget)
   */
  readonly alarmArns?: readonly string[];
}

/** A workload as the dashboard and the alarms show it. */
export interface DashboardWorkload {
  readonly name: string;
  readonly kind: "web" | "internal" | "worker" | "job";
  /** A worker's queue. */
  readonly queueName?: string;
  /** A worker's or a job's dead-letter queue. */
  readonly deadLetterQueueName?: string;
  /** A web workload's target group (`arn_suffix`). */
  readonly targetGroupArnSuffix?: string;
  /** A web, internal or worker workload's ECS service. */
  readonly serviceName?: string;
  /** An internal workload's address for its callers, `http://<name>:<port>`. */
  readonly endpoint?: string;
}

/** Service Connect's metrics of an internal workload, as its proxies report them (AWS/ECS). */
export function serviceConnectDimensions(w: DashboardWorkload, clusterName: string): Record<string, string> {
  return { ClusterName: clusterName, ServiceName: w.serviceName ?? "", DiscoveryName: w.name };
}

type MetricLine = readonly unknown[];
interface Widget {
  readonly title: string;
  readonly metrics: readonly MetricLine[];
  readonly stat?: string;
}

const WIDTH = 8;
const HEIGHT = 6;

/**
 * A CloudWatch dashboard for the person on call, top to bottom: traffic and latency, errors,
 * tasks, CPU and memory, target health, the WAF, and the alarms' states.
 */
export class OperationsDashboard extends Construct {
  public readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const widgets: Array<Record<string, unknown>> = this.metricWidgets(props).map((w, i) =>
      this.place(w, i, props.region),
    );
    const alarmArns = props.alarmArns ?? [];
    if (alarmArns.length > 0) {
      widgets.push({
        type: "alarm",
        x: 0,
        y: Math.ceil(widgets.length / 3) * HEIGHT,
        width: 3 * WIDTH,
        height: HEIGHT / 2,
        properties: { title: "Alarms", alarms: [...alarmArns] },
      });
    }
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.name,
      dashboardBody: Fn.jsonencode({ widgets }),
    });
  }

  private metricWidgets(p: OperationsDashboardProps): Widget[] {
    const alb = ["LoadBalancer", p.loadBalancerArnSuffix];
    const target = [...alb, "TargetGroup", p.targetGroupArnSuffix];
    const service = ["ClusterName", p.clusterName, "ServiceName", p.serviceName];
    const elb = "AWS/ApplicationELB";
    return [
      { title: "Requests", stat: "Sum", metrics: [[elb, "RequestCount", ...target]] },
      {
        title: "Latency (seconds)",
        metrics: ["p50", "p90", "p99"].map((stat) => [elb, "TargetResponseTime", ...target, { stat }]),
      },
      {
        title: "Errors",
        stat: "Sum",
        metrics: [
          [elb, "HTTPCode_ELB_5XX_Count", ...alb],
          [elb, "HTTPCode_Target_5XX_Count", ...target],
          [elb, "HTTPCode_Target_4XX_Count", ...target],
        ],
      },
      {
        title: "Tasks",
        stat: "Average",
        metrics: [
          ["ECS/ContainerInsights", "RunningTaskCount", ...service],
          ["ECS/ContainerInsights", "DesiredTaskCount", ...service],
        ],
      },
      {
        title: "CPU and memory (%)",
        stat: "Average",
        metrics: [
          ["AWS/ECS", "CPUUtilization", ...service],
          ["AWS/ECS", "MemoryUtilization", ...service],
        ],
      },
      {
        title: "Targets",
        stat: "Maximum",
        metrics: [
          [elb, "HealthyHostCount", ...target],
          [elb, "UnHealthyHostCount", ...target],
        ],
      },
      ...(p.webAclName === undefined
        ? []
        : [
            {
              title: "WAF",
              stat: "Sum",
              metrics: ["AllowedRequests", "BlockedRequests"].map((name) => [
                "AWS/WAFV2",
                name,
                "WebACL",
                p.webAclName,
                "Region",
                p.region,
                "Rule",
                "ALL",
              ]),
            },
          ]),
      ...this.dataTierWidgets(p),
      ...(p.workloads ?? []).map((w) => workloadWidget(w, p.clusterName, p.loadBalancerArnSuffix)),
    ];
  }

  private dataTierWidgets(p: OperationsDashboardProps): Widget[] {
    return [
      ...(p.databaseIdentifier === undefined
        ? []
        : [
            {
              title: "Database: CPU %, connections",
              stat: "Average",
              metrics: [
                ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", p.databaseIdentifier],
                [
                  "AWS/RDS",
                  "DatabaseConnections",
                  "DBInstanceIdentifier",
                  p.databaseIdentifier,
                  { yAxis: "right" },
                ],
              ],
            },
            {
              title: "Database: free storage and memory (bytes)",
              stat: "Minimum",
              metrics: ["FreeStorageSpace", "FreeableMemory"].map((name) => [
                "AWS/RDS",
                name,
                "DBInstanceIdentifier",
                p.databaseIdentifier,
              ]),
            },
          ]),
      ...((p.cacheClusterIds ?? []).length === 0
        ? []
        : [
            {
              title: "Cache: engine CPU %, memory %",
              stat: "Average",
              metrics: (p.cacheClusterIds ?? []).flatMap((id) => [
                ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", id],
                ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", id],
              ]),
            },
            {
              title: "Cache: hits, misses, evictions",
              stat: "Sum",
              metrics: (p.cacheClusterIds ?? []).flatMap((id) =>
                ["CacheHits", "CacheMisses", "Evictions"].map((name) => [
                  "AWS/ElastiCache",
                  name,
                  "CacheClusterId",
                  id,
                ]),
              ),
            },
          ]),
    ];
  }

  private place(widget: Widget, index: number, region: string) {
    return {
      type: "metric",
      x: (index % 3) * WIDTH,
      y: Math.floor(index / 3) * HEIGHT,
      width: WIDTH,
      height: HEIGHT,
      properties: {
        title: widget.title,
        region,
        view: "timeSeries",
        period: 60,
        ...(widget.stat === undefined ? {} : { stat: widget.stat }),
        metrics: widget.metrics,
      },
    };
  }
}

/** A worker's backlog, dead letters and tasks; a job's failed runs; an internal workload's requests and 5xx. */
function workloadWidget(w: DashboardWorkload, clusterName: string, loadBalancerArnSuffix: string): Widget {
  const sqs = (queue: string, metric: string, options: object = {}) => [
    "AWS/SQS",
    metric,
    "QueueName",
    queue,
    options,
  ];
  if (w.kind === "web") {
    const target = ["LoadBalancer", loadBalancerArnSuffix, "TargetGroup", w.targetGroupArnSuffix ?? ""];
    return {
      title: `Web ${w.name}: requests, 5xx, healthy targets`,
      stat: "Sum",
      metrics: [
        ["AWS/ApplicationELB", "RequestCount", ...target, { label: "requests" }],
        ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...target, { label: "5xx" }],
        [
          "AWS/ApplicationELB",
          "HealthyHostCount",
          ...target,
          { stat: "Minimum", yAxis: "right", label: "healthy targets" },
        ],
      ],
    };
  }
  if (w.kind === "internal") {
    const dimensions = Object.entries(serviceConnectDimensions(w, clusterName)).flat();
    return {
      title: `Internal ${w.name}: requests and 5xx (Service Connect)`,
      stat: "Sum",
      metrics: [
        ["AWS/ECS", "RequestCount", ...dimensions, { label: "requests" }],
        ["AWS/ECS", "HTTPCode_Target_5XX_Count", ...dimensions, { label: "5xx" }],
      ],
    };
  }
  if (w.kind === "job") {
    return {
      title: `Job ${w.name}: failed runs (not started, or exited non-zero)`,
      stat: "Maximum",
      metrics: [sqs(w.deadLetterQueueName ?? "", "ApproximateNumberOfMessagesVisible")],
    };
  }
  return {
    title: `Worker ${w.name}: backlog, dead letters, tasks`,
    stat: "Maximum",
    metrics: [
      sqs(w.queueName ?? "", "ApproximateNumberOfMessagesVisible", { label: "waiting" }),
      sqs(w.deadLetterQueueName ?? "", "ApproximateNumberOfMessagesVisible", { label: "dead letters" }),
      [
        "ECS/ContainerInsights",
        "RunningTaskCount",
        "ClusterName",
        clusterName,
        "ServiceName",
        w.serviceName ?? "",
        { yAxis: "right", label: "running tasks" },
      ],
    ],
  };
}
