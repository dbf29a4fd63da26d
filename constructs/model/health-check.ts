/**
 * One health-check declaration drives three AWS settings that must agree: the container health
 * check (ECS restarts unhealthy containers), the target-group health check (the ALB routes only
 * to healthy targets) and the service's grace period (ECS ignores ALB failures while a task
 * starts). The contract's rules, its derivations and the checks of its timings live here.
 */
import { check, integerIn, optional } from "./checks";
import type { Problem } from "./checks";
import { checkGroup, staticDefaults } from "./props";
import type { CrossCheck, PropRules, RuleGroup } from "./props";

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
   * @default - curl of http://localhost:<container port><path>, run without a shell
   */
  readonly command?: readonly string[];
}

/** Container health check as ECS takes it. */
export interface ContainerHealthCheck {
  /** `["CMD", "<executable>", ...args]` or `["CMD-SHELL", "<shell command>"]`. */
  readonly command: readonly string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
}

export const healthCheckPath = check(
  'an absolute URL path such as "/health" (RFC 3986 path characters: no spaces, double quotes, backslashes or query string; at most 1024 characters)',
  (v) => typeof v === "string" && v.length <= 1024 && /^\/[A-Za-z0-9\-._~/%!$&'()*+,;=:@]*$/.test(v),
);

/**
 * A container command: exec form (`CMD` and an executable with its arguments, no shell) or shell
 * form (`CMD-SHELL` and exactly one command line). No part is empty or holds a control character,
 * so nothing is smuggled into the container's shell by a newline.
 */
export const containerCommand = check(
  '["CMD", "<executable>", ...args] (no shell) or ["CMD-SHELL", "<one command line>"]; no empty parts or control characters',
  (v) =>
    Array.isArray(v) &&
    v.every((part) => typeof part === "string" && part !== "" && ![...part].some(isControlCharacter)) &&
    ((v[0] === "CMD" && v.length >= 2) || (v[0] === "CMD-SHELL" && v.length === 2)),
);

/** C0 controls and DEL: a newline or NUL in a command part is never intended. */
function isControlCharacter(c: string): boolean {
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

/** Limits that both the container check and the target-group check accept. */
export const HEALTH_CHECK_RULES: PropRules<HealthCheckContract> = {
  path: { description: "HTTP path of both health checks.", check: healthCheckPath, default: "/health" },
  intervalSeconds: {
    description: "Seconds between health checks.",
    check: integerIn(5, 300, "seconds"),
    default: 15,
  },
  timeoutSeconds: {
    description: "Seconds before a check fails; less than the interval.",
    check: integerIn(2, 60, "seconds"),
    default: 5,
  },
  healthyThreshold: {
    description: "Successes before the ALB routes to a task.",
    check: integerIn(2, 10),
    default: 2,
  },
  unhealthyThreshold: {
    description: "Failures before a task is unhealthy (ALB and container).",
    check: integerIn(2, 10),
    default: 3,
  },
  startPeriodSeconds: {
    description: "Container start-up time during which failed container checks do not count.",
    check: integerIn(0, 300, "seconds"),
    default: 30,
  },
  gracePeriodSeconds: {
    description: "Seconds ECS ignores ALB health after a task starts.",
    check: integerIn(0, 7200, "seconds"),
    default: 60,
  },
  command: {
    description:
      "Container health-check command (default: curl of the path on the container port, without a shell).",
    check: optional(containerCommand),
  },
};

/** The contract's timings against each other. */
export const HEALTH_CHECK_CROSS_CHECKS: ReadonlyArray<CrossCheck<HealthCheckContract>> = [
  {
    description:
      "Health-check timings agree: timeout < interval; grace period ≥ container start period and ≥ healthyThreshold × interval.",
    reads: [
      "timeoutSeconds",
      "intervalSeconds",
      "gracePeriodSeconds",
      "startPeriodSeconds",
      "healthyThreshold",
    ],
    check: (hc, prefix) => {
      const problems: Problem[] = [];
      if (hc.timeoutSeconds >= hc.intervalSeconds) {
        problems.push({
          field: "timeoutSeconds",
          value: hc.timeoutSeconds,
          allowed: `less than ${prefix}intervalSeconds (${hc.intervalSeconds})`,
        });
      }
      const timeToHealthy = hc.healthyThreshold * hc.intervalSeconds;
      const neededGrace = Math.max(hc.startPeriodSeconds, timeToHealthy);
      if (hc.gracePeriodSeconds < neededGrace) {
        problems.push({
          field: "gracePeriodSeconds",
          value: hc.gracePeriodSeconds,
          allowed: `at least ${neededGrace}: the container start period (${hc.startPeriodSeconds}) and healthyThreshold × intervalSeconds (${hc.healthyThreshold} × ${hc.intervalSeconds} = ${timeToHealthy}), or ECS replaces tasks that are still starting`,
        });
      }
      return problems;
    },
  },
];

/** Default command: an HTTP GET of the health path on the container port, exec form (the image needs curl). */
export function defaultHealthCheckCommand(port: number, path: string): string[] {
  return ["CMD", "curl", "-fsS", `http://localhost:${port}${path}`];
}

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

export const HEALTH_CHECK_GROUP: RuleGroup<HealthCheckContract> = {
  rules: HEALTH_CHECK_RULES,
  crossChecks: HEALTH_CHECK_CROSS_CHECKS,
};

/** The contract every rule default adds up to: /health every 15 s, 5 s timeout, thresholds 2 and 3. */
export const DEFAULT_HEALTH_CHECK = staticDefaults(HEALTH_CHECK_RULES) as HealthCheckContract;

/** Every problem of a contract, its timings against each other included; fields get `prefix`. */
export function healthCheckContractProblems(contract: HealthCheckContract, prefix = ""): Problem[] {
  return checkGroup(HEALTH_CHECK_GROUP, contract, prefix);
}
