import {
  DEFAULT_HEALTH_CHECK,
  containerHealthCheck,
  deregistrationDelayProblem,
  healthCheckContractProblems,
} from "../constructs/health-check";
import type { HealthCheckContract } from "../constructs/health-check";

describe("health-check contract", () => {
  test("derives the container check from the same declaration", () => {
    expect(containerHealthCheck(DEFAULT_HEALTH_CHECK, 8000)).toEqual({
      command: ["CMD-SHELL", "curl -fsS http://localhost:8000/health || exit 1"],
      intervalSeconds: 15,
      timeoutSeconds: 5,
      retries: 3,
      startPeriodSeconds: 30,
    });
    expect(containerHealthCheck({ ...DEFAULT_HEALTH_CHECK, command: ["CMD", "/hc"] }, 8000).command).toEqual([
      "CMD",
      "/hc",
    ]);
  });

  test("accepts the defaults", () => {
    expect(healthCheckContractProblems(DEFAULT_HEALTH_CHECK)).toEqual([]);
  });

  test.each<[string, Partial<HealthCheckContract>, string, string]>([
    [
      "a timeout not below the interval",
      { timeoutSeconds: 15 },
      "healthCheck.timeoutSeconds",
      "less than healthCheck.intervalSeconds (15)",
    ],
    [
      "a grace period shorter than the start period",
      { startPeriodSeconds: 90 },
      "healthCheck.gracePeriodSeconds",
      "at least 90",
    ],
    [
      "a grace period shorter than threshold × interval",
      { healthyThreshold: 5, intervalSeconds: 30, timeoutSeconds: 5 },
      "healthCheck.gracePeriodSeconds",
      "at least 150",
    ],
    ["a path that is not absolute", { path: "health" }, "healthCheck.path", "an absolute URL path"],
    [
      "an interval below 5",
      { intervalSeconds: 4 },
      "healthCheck.intervalSeconds",
      "an integer from 5 to 300",
    ],
  ])("reports %s", (_, change, field, allowed) => {
    expect(healthCheckContractProblems({ ...DEFAULT_HEALTH_CHECK, ...change })).toEqual([
      expect.objectContaining({ field, allowed: expect.stringContaining(allowed) }),
    ]);
  });

  test("requires the deregistration delay to fit in the stop timeout", () => {
    expect(deregistrationDelayProblem("delay", 30, "stop", 30)).toBeUndefined();
    expect(deregistrationDelayProblem("delay", 60, "stop", 30)).toEqual({
      field: "delay",
      value: 60,
      allowed: expect.stringContaining("at most stop (30 s)"),
    });
  });
});
