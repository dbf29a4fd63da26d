/**
 * The service's alarms, declared once: what each watches, its threshold, period and evaluation
 * periods (settings with preset defaults), how missing data counts, and what to do when it fires.
 * The AlarmSet construct builds CloudWatch alarms from this table and the settings schema builds
 * `alarms.<id>.*` from it.
 */
import { booleanValue, check, integerIn, listOf, oneOf } from "./checks";
import type { PropRules, RuleGroup } from "./props";

export const ALARM_IDS = [
  "loadBalancer5xx",
  "target5xxRate",
  "targetResponseTimeP99",
  "unhealthyHosts",
  "rejectedConnections",
  "runningTasksBelowDesired",
  "serviceCpu",
  "serviceMemory",
  "wafBlockedRequests",
  "databaseCpu",
  "databaseFreeStorage",
  "databaseFreeMemory",
  "databaseConnections",
  "cacheCpu",
  "cacheMemory",
  "cacheEvictions",
  "cacheReplicationLag",
] as const;
export type AlarmId = (typeof ALARM_IDS)[number];

/** "targetResponseTimeP99" → ["target", "response", "time", "p99"]; "loadBalancer5xx" → [..., "5xx"]. */
export const alarmWords = (id: AlarmId): string[] =>
  id
    .replace(/([a-z])([A-Z0-9])/g, "$1 $2")
    .toLowerCase()
    .split(" ");

/** The CloudWatch name of an environment's alarm, e.g. "orders-api-prod-target-5xx-rate". */
export const alarmName = (namePrefix: string, id: AlarmId): string =>
  `${namePrefix}-${alarmWords(id).join("-")}`;

/** The alarms that roll an ECS deployment back (the service's `alarms` block): errors and unhealthy targets. */
export const DEPLOYMENT_ALARM_IDS: readonly AlarmId[] = ["target5xxRate", "unhealthyHosts"];

/** A tunable alarm: above `threshold` for `evaluationPeriods` periods of `periodSeconds`. */
export interface AlarmThreshold {
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
}

export interface AlarmDefinition {
  /** What crossing the threshold means, and what the person on call does first. */
  readonly description: string;
  /** Unit of the threshold, for the settings reference. */
  readonly unit: string;
  readonly thresholdRange: readonly [number, number];
  readonly defaults: AlarmThreshold;
  /**
   * How a period without data counts: "notBreaching" for counts that are absent when nothing
   * goes wrong; "breaching" where silence is itself the failure.
   */
  readonly treatMissingData: "breaching" | "notBreaching" | "missing" | "ignore";
  /** Only when the environment has this feature ("cacheReplicas": a cache of 2 nodes or more). */
  readonly requires?: "waf" | "database" | "cache" | "cacheReplicas";
  /** The alarm fires at or below the threshold (free space, free memory) instead of at or above. */
  readonly below?: boolean;
}

export const ALARMS: Readonly<Record<AlarmId, AlarmDefinition>> = {
  loadBalancer5xx: {
    description:
      "The load balancer itself answered 5xx (no healthy target, or targets that reset connections). Check the target group's healthy hosts and the service's events.",
    unit: "responses per period",
    thresholdRange: [1, 1_000_000],
    defaults: { threshold: 10, periodSeconds: 60, evaluationPeriods: 3 },
    treatMissingData: "notBreaching",
  },
  target5xxRate: {
    description:
      "The application answers 5xx to this share of requests (percent). Read its logs; roll back to the previous image tag if a deploy started it.",
    unit: "percent of requests",
    thresholdRange: [1, 100],
    defaults: { threshold: 5, periodSeconds: 60, evaluationPeriods: 3 },
    treatMissingData: "notBreaching",
  },
  targetResponseTimeP99: {
    description:
      "The slowest 1 % of requests take longer than this (seconds). Check CPU and memory, the database, and recent deploys.",
    unit: "seconds",
    thresholdRange: [0.05, 60],
    defaults: { threshold: 2, periodSeconds: 300, evaluationPeriods: 3 },
    treatMissingData: "notBreaching",
  },
  unhealthyHosts: {
    description:
      "Targets fail the health check. Read the stopped tasks' reasons (aws ecs describe-tasks) and the container logs.",
    unit: "targets",
    thresholdRange: [1, 1000],
    defaults: { threshold: 1, periodSeconds: 60, evaluationPeriods: 5 },
    treatMissingData: "notBreaching",
  },
  rejectedConnections: {
    description:
      "The load balancer rejected connections (it reached its connection limit). Check for a traffic spike or an attack; the WAF's rate limit applies when the WAF is on.",
    unit: "connections per period",
    thresholdRange: [1, 1_000_000],
    defaults: { threshold: 1, periodSeconds: 60, evaluationPeriods: 1 },
    treatMissingData: "notBreaching",
  },
  runningTasksBelowDesired: {
    description:
      "Fewer tasks run than the service wants (Container Insights). Read the service's events: image pull, secrets, capacity or health-check failures.",
    unit: "tasks missing",
    thresholdRange: [1, 1000],
    defaults: { threshold: 1, periodSeconds: 60, evaluationPeriods: 5 },
    // No Container Insights data at all means the cluster reports nothing: treat it as failing.
    treatMissingData: "breaching",
  },
  serviceCpu: {
    description:
      "The service's average CPU stays above this (percent) although autoscaling should add tasks. Check the autoscaling maximum and for a runaway process.",
    unit: "percent",
    thresholdRange: [10, 100],
    defaults: { threshold: 85, periodSeconds: 300, evaluationPeriods: 3 },
    treatMissingData: "missing",
  },
  serviceMemory: {
    description:
      "The service's average memory stays above this (percent): tasks risk being killed out of memory. Check for a leak; raise service.memory.",
    unit: "percent",
    thresholdRange: [10, 100],
    defaults: { threshold: 85, periodSeconds: 300, evaluationPeriods: 3 },
    treatMissingData: "missing",
  },
  wafBlockedRequests: {
    description:
      "The WAF blocks more requests than usual (per period): an attack, or a rule blocking real clients. Read the WAF logs' terminatingRuleId.",
    unit: "requests per period",
    thresholdRange: [1, 100_000_000],
    defaults: { threshold: 1000, periodSeconds: 300, evaluationPeriods: 1 },
    treatMissingData: "notBreaching",
    requires: "waf",
  },
  databaseCpu: {
    description:
      "The database's CPU stays above this (percent). Find the expensive statements (Performance Insights, the slow-statement log); a larger database.instanceClass is the last resort.",
    unit: "percent",
    thresholdRange: [10, 100],
    defaults: { threshold: 80, periodSeconds: 300, evaluationPeriods: 3 },
    treatMissingData: "missing",
    requires: "database",
  },
  databaseFreeStorage: {
    description:
      "The database has this little free storage left (GiB) although storage autoscaling should grow it: it may have reached database.maxAllocatedStorageGb. Raise that, or find what grows.",
    unit: "GiB",
    thresholdRange: [1, 10_000],
    defaults: { threshold: 2, periodSeconds: 300, evaluationPeriods: 1 },
    treatMissingData: "breaching",
    requires: "database",
    below: true,
  },
  databaseFreeMemory: {
    description:
      "The database has this little freeable memory left (MiB): it swaps and slows down. Check connections and work_mem-heavy queries; a larger instance class adds memory.",
    unit: "MiB",
    thresholdRange: [16, 1_000_000],
    defaults: { threshold: 64, periodSeconds: 300, evaluationPeriods: 3 },
    treatMissingData: "missing",
    requires: "database",
    below: true,
  },
  databaseConnections: {
    description:
      "The database holds this many connections: close to max_connections new ones fail. Check the tasks' connection pools (count × pool size) and for leaked connections.",
    unit: "connections",
    thresholdRange: [1, 100_000],
    defaults: { threshold: 80, periodSeconds: 300, evaluationPeriods: 2 },
    treatMissingData: "missing",
    requires: "database",
  },
  cacheCpu: {
    description:
      "Redis' engine thread is this busy (percent, the busiest node). Look for slow commands (SLOWLOG) and hot keys; a larger cache.nodeType is faster.",
    unit: "percent",
    thresholdRange: [10, 100],
    defaults: { threshold: 80, periodSeconds: 300, evaluationPeriods: 3 },
    treatMissingData: "missing",
    requires: "cache",
  },
  cacheMemory: {
    description:
      "Redis uses this share of its memory (percent, the fullest node): it starts evicting keys. Check key expiry; a larger cache.nodeType has more memory.",
    unit: "percent",
    thresholdRange: [10, 100],
    defaults: { threshold: 85, periodSeconds: 300, evaluationPeriods: 3 },
    treatMissingData: "missing",
    requires: "cache",
  },
  cacheEvictions: {
    description:
      "Redis evicted this many keys per period to make room: the cache is too small for what it holds, and hit rates drop.",
    unit: "keys per period",
    thresholdRange: [1, 100_000_000],
    defaults: { threshold: 100, periodSeconds: 300, evaluationPeriods: 1 },
    treatMissingData: "notBreaching",
    requires: "cache",
  },
  cacheReplicationLag: {
    description:
      "A replica trails the primary by this many seconds: a failover now would lose writes. Check the primary's load and network throughput.",
    unit: "seconds",
    thresholdRange: [1, 3600],
    defaults: { threshold: 10, periodSeconds: 60, evaluationPeriods: 3 },
    treatMissingData: "notBreaching",
    requires: "cacheReplicas",
  },
};

export const PERIODS_SECONDS = [60, 300, 900, 3600] as const;

function thresholdRules(id: AlarmId): PropRules<AlarmThreshold> {
  const alarm = ALARMS[id];
  const [min, max] = alarm.thresholdRange;
  return {
    threshold: {
      description: `${alarm.description} Threshold in ${alarm.unit}.`,
      check: check(
        `a number from ${min} to ${max} (${alarm.unit})`,
        (v) => typeof v === "number" && Number.isFinite(v) && v >= min && v <= max,
        { type: "number", minimum: min, maximum: max },
      ),
      default: alarm.defaults.threshold,
    },
    periodSeconds: {
      description: "Length of one evaluation period.",
      check: oneOf(PERIODS_SECONDS),
      default: alarm.defaults.periodSeconds,
    },
    evaluationPeriods: {
      description: "Consecutive periods over the threshold before the alarm fires.",
      check: integerIn(1, 30, "periods"),
      default: alarm.defaults.evaluationPeriods,
    },
  };
}

export const SUBSCRIPTION_PROTOCOLS = ["email", "https"] as const;

export interface AlarmSubscription {
  readonly protocol: (typeof SUBSCRIPTION_PROTOCOLS)[number];
  readonly endpoint: string;
}

/** An email address, or an https:// URL, matching its protocol. */
export const alarmSubscription = check(
  'a subscription {"protocol": "email", "endpoint": "oncall@example.com"} or {"protocol": "https", "endpoint": "https://..."}',
  (v) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
    const { protocol, endpoint, ...rest } = v as Record<string, unknown>;
    if (Object.keys(rest).length > 0 || typeof endpoint !== "string") return false;
    if (protocol === "email") return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(endpoint);
    if (protocol === "https") return /^https:\/\/[^\s/]+(\/\S*)?$/.test(endpoint);
    return false;
  },
  {
    type: "object",
    additionalProperties: false,
    required: ["protocol", "endpoint"],
    properties: {
      protocol: { enum: [...SUBSCRIPTION_PROTOCOLS] },
      endpoint: { type: "string", minLength: 3 },
    },
  },
);

export type AlarmThresholds = { readonly [K in AlarmId]: AlarmThreshold };

export type AlarmSettings = {
  readonly enabled: boolean;
  readonly subscriptions: readonly AlarmSubscription[];
} & AlarmThresholds;

/** Who the alarm topic notifies (AlarmTopic's prop and `alarms.subscriptions`). */
export const SUBSCRIPTION_RULES: PropRules<{ subscriptions?: readonly AlarmSubscription[] }> = {
  subscriptions: {
    description: "Who the alarm topic notifies: email addresses and HTTPS endpoints (at least one in prod).",
    check: listOf(alarmSubscription, { max: 20 }),
    default: [],
  },
};

/** Threshold, period and evaluation periods of every alarm (AlarmSet's prop and `alarms.<alarm>`). */
export const ALARM_THRESHOLD_GROUP: RuleGroup<AlarmThresholds> = {
  rules: {},
  nested: Object.fromEntries(
    ALARM_IDS.map((id) => [
      id,
      { group: { rules: thresholdRules(id) }, description: ALARMS[id].description },
    ]),
  ),
};

/** The `alarms` settings: on or off, who hears them, and each alarm's threshold. */
export const ALARM_GROUP: RuleGroup<AlarmSettings> = {
  rules: {
    enabled: {
      description:
        "CloudWatch alarms on the load balancer, the service, the WAF, the database and the cache, notifying an encrypted SNS topic (required in prod).",
      check: booleanValue,
      default: true,
    },
    ...SUBSCRIPTION_RULES,
  },
  nested: ALARM_THRESHOLD_GROUP.nested,
};
