import {
  DEFAULT_HEALTH_CHECK,
  containerCommand,
  containerHealthCheck,
  healthCheckContractProblems,
} from "../constructs/model/health-check";
import { deregistrationDelayProblem } from "../constructs/model/load-balancer";
import type { HealthCheckContract } from "../constructs/model/health-check";

describe("health-check contract", () => {
  test("derives the container check from the same declaration, run without a shell", () => {
    expect(containerHealthCheck(DEFAULT_HEALTH_CHECK, 8000)).toEqual({
      command: ["CMD", "curl", "-fsS", "http://localhost:8000/health"],
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
    expect(healthCheckContractProblems({ ...DEFAULT_HEALTH_CHECK, ...change }, "healthCheck.")).toEqual([
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

  test.each<[string, unknown, boolean]>([
    ["exec form", ["CMD", "/bin/check", "--fast"], true],
    ["shell form with one command line", ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], true],
    ["shell form split into words", ["CMD-SHELL", "curl", "-f"], false],
    ["a newline smuggled into the shell", ["CMD-SHELL", "true\nrm -rf /tmp/x"], false],
    ["an empty argument", ["CMD", "/bin/check", ""], false],
    ["no executable", ["CMD"], false],
    ["another form", ["NONE"], false],
  ])("container commands: %s", (_, command, allowed) => {
    expect(containerCommand.test(command)).toBe(allowed);
  });
});
