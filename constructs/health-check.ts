/**
 * One health-check declaration drives three AWS settings that must agree: the container health
 * check (ECS restarts unhealthy containers), the target-group health check (the ALB routes only
 * to healthy targets) and the service's grace period (ECS ignores ALB failures while a task
 * starts). This module derives all three and checks their timings against each other.
 */
import { check, integerIn } from "./checks";
import type { Problem } from "./checks";
import type { ContainerHealthCheck } from "./fargate-service";
import { defaultHealthCheckCommand } from "./fargate-service";

export interface HealthCheckContract {
  /** HTTP path both checks request; answers 200 when the app can serve. */
  readonly path: string;
  /** Seconds between checks (container and target group). */
  readonly intervalSeconds: number;
  /** Seconds before one check counts as failed; shorter than the interval. */
  readonly timeoutSeconds: number;
  /** Consecutive successes before the ALB routes to a new task. */
  readonly healthyThreshold: number;
  /** Consecutive failures before the ALB (and the container check) mark a task unhealthy. */
  readonly unhealthyThreshold: number;
  /** Seconds of container start-up during which failed container checks do not count. */
  readonly startPeriodSeconds: number;
  /** Seconds the service ignores ALB health after a task starts. */
  readonly gracePeriodSeconds: number;
  /**
   * Container health-check command.
   *
   * @default - curl of http://localhost:<container port><path>
   */
  readonly command?: readonly string[];
}

export const DEFAULT_HEALTH_CHECK: HealthCheckContract = {
  path: "/health",
  intervalSeconds: 15,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
  startPeriodSeconds: 30,
  gracePeriodSeconds: 60,
};

/** Limits that both the container check and the target-group check accept. */
export const HEALTH_CHECK_LIMITS = {
  intervalSeconds: { min: 5, max: 300 },
  timeoutSeconds: { min: 2, max: 60 },
  healthyThreshold: { min: 2, max: 10 },
  unhealthyThreshold: { min: 2, max: 10 },
  startPeriodSeconds: { min: 0, max: 300 },
  gracePeriodSeconds: { min: 0, max: 7200 },
} as const;

export const healthCheckPath = check(
  'an absolute URL path such as "/health" (no spaces, quotes or query string; at most 1024 characters)',
  (v) => typeof v === "string" && v.length <= 1024 && /^\/[A-Za-z0-9\-._~/%!$&'()*+,;=:@]*$/.test(v),
);

/** The container health check the contract implies. */
export function containerHealthCheck(
  contract: HealthCheckContract,
  containerPort: number,
): ContainerHealthCheck {
  return {
    command: contract.command ?? defaultHealthCheckCommand(containerPort, contract.path),
    intervalSeconds: contract.intervalSeconds,
    timeoutSeconds: contract.timeoutSeconds,
    retries: contract.unhealthyThreshold,
    startPeriodSeconds: contract.startPeriodSeconds,
  };
}

/** The target-group health check the contract implies. */
export interface TargetGroupHealthCheck {
  readonly path: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/** Every problem of a contract, including the timings that contradict each other. */
export function healthCheckContractProblems(contract: HealthCheckContract, field = "healthCheck"): Problem[] {
  const ranges = HEALTH_CHECK_LIMITS;
  const own: Problem[] = [];
  if (!healthCheckPath.test(contract.path)) {
    own.push({ field: `${field}.path`, value: contract.path, allowed: healthCheckPath.allowed });
  }
  for (const key of Object.keys(ranges) as Array<keyof typeof ranges>) {
    const rule = integerIn(ranges[key].min, ranges[key].max);
    if (!rule.test(contract[key])) {
      own.push({ field: `${field}.${key}`, value: contract[key], allowed: rule.allowed });
    }
  }
  if (own.length > 0) return own;

  const problems: Problem[] = [];
  if (contract.timeoutSeconds >= contract.intervalSeconds) {
    problems.push({
      field: `${field}.timeoutSeconds`,
      value: contract.timeoutSeconds,
      allowed: `less than ${field}.intervalSeconds (${contract.intervalSeconds})`,
    });
  }
  const timeToHealthy = contract.healthyThreshold * contract.intervalSeconds;
  const neededGrace = Math.max(contract.startPeriodSeconds, timeToHealthy);
  if (contract.gracePeriodSeconds < neededGrace) {
    problems.push({
      field: `${field}.gracePeriodSeconds`,
      value: contract.gracePeriodSeconds,
      allowed: `at least ${neededGrace}: the container start period (${contract.startPeriodSeconds}) and healthyThreshold × intervalSeconds (${contract.healthyThreshold} × ${contract.intervalSeconds} = ${timeToHealthy}), or ECS replaces tasks that are still starting`,
    });
  }
  return problems;
}

/**
 * The ALB keeps sending a deregistering target requests for the deregistration delay; a
 * container stopped sooner than that drops them. So the delay must not exceed the stop timeout.
 */
export function deregistrationDelayProblem(
  delayField: string,
  delaySeconds: number,
  stopTimeoutField: string,
  stopTimeoutSeconds: number,
): Problem | undefined {
  if (delaySeconds <= stopTimeoutSeconds) return undefined;
  return {
    field: delayField,
    value: delaySeconds,
    allowed: `at most ${stopTimeoutField} (${stopTimeoutSeconds} s): the ALB would keep sending requests to a container that is already stopped`,
  };
}
