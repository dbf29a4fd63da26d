/**
 * The workloads setting refuses what would not deploy or would collide, naming the environment,
 * the workload and the field, and the help page's configurations are valid as written.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { scheduleProblem } from "../constructs/model/schedule";
import { expectedProblems, overrideFile, problemsOf } from "./support/settings";

describe("schedule expressions (EventBridge Scheduler's syntax)", () => {
  test.each([
    "rate(1 minute)",
    "rate(5 minutes)",
    "rate(1 hour)",
    "rate(12 hours)",
    "rate(7 days)",
    "cron(0 3 * * ? *)",
    "cron(15 10 ? * MON-FRI *)",
    "cron(0/15 * * * ? *)",
    "cron(0 8 1 * ? 2027)",
    "cron(0 18 ? * 6L *)",
    "cron(0 9 LW * ? *)",
    "at(2027-01-31T23:59:00)",
  ])("accepts %s", (expression) => {
    expect(scheduleProblem(expression)).toBeUndefined();
  });

  test.each([
    ["rate(1 hours)", '"rate(1 hour)" for one'],
    ["rate(5 minute)", '"rate(1 minute)" for one'],
    ["rate(0 minutes)", "at least 1"],
    ["cron(0 3 * * *)", "six cron fields"],
    ["cron(0 3 * * * *)", "a ? in exactly one"],
    ["cron(0 3 ? * ? *)", "a ? in exactly one"],
    ["cron(61 3 * * ? *)", "minutes from 0 to 59"],
    ["cron(0 25 * * ? *)", "hours from 0 to 23"],
    ["cron(0 3 32 * ? *)", "days of the month"],
    ["cron(0 3 * FOO ? *)", "month"],
    ["at(2027-02-30T00:00:00)", "a real date"],
    ["every day", "rate(<n> <unit>), cron(<6 fields>) or at("],
    ["0 3 * * *", "rate(<n> <unit>)"],
  ])("refuses %s", (expression, allowed) => {
    expect(scheduleProblem(expression)).toContain(allowed);
  });
});

describe("workloads settings", () => {
  const job = { kind: "job", schedule: "rate(1 hour)" };
  test.each<[string, Record<string, unknown>, string | string[], string]>([
    ["a name taken by the service", { api: { kind: "worker" } }, "workloads.api", "the service's name"],
    [
      "a one-off task's family",
      { "api-migrate": job },
      'workloads["api-migrate"]',
      'the family of one-off task "migrate"',
    ],
    ["a malformed name", { Reports: job }, "workloads.Reports", "2-20 lowercase letters"],
    ["an unknown kind", { reports: { kind: "cron" } }, "workloads.reports.kind", '"worker", "job"'],
    [
      "an invalid schedule",
      { reports: { kind: "job", schedule: "cron(0 3 * * * *)" } },
      "workloads.reports.schedule",
      "a ? in exactly one of day-of-month and day-of-week",
    ],
    [
      "a job without a schedule",
      { reports: { kind: "job" } },
      "workloads.reports.schedule",
      "an EventBridge Scheduler expression",
    ],
    [
      "a worker without its queue",
      { events: { kind: "worker", queue: false } },
      "workloads.events.queue",
      "a worker always consumes the queue the project creates for it",
    ],
    [
      "a setting of another kind",
      { events: { kind: "worker", schedule: "rate(1 hour)" } },
      "workloads.events.schedule",
      "a setting of a worker:",
    ],
    [
      "a maxCount below minCount",
      { events: { kind: "worker", minCount: 5, maxCount: 2 } },
      "workloads.events.maxCount",
      "an integer from 5 to 1000",
    ],
    [
      "an unknown time zone",
      { reports: { ...job, timezone: "Mars/Olympus" } },
      "workloads.reports.timezone",
      "an IANA time zone",
    ],
    [
      "memory Fargate does not offer for the CPU",
      { reports: { ...job, cpu: 256, memory: 4096 } },
      "workloads.reports.memory",
      "512",
    ],
  ])("refuses %s, naming the workload and the field", (_, workloads, field, allowed) => {
    expect(problemsOf(overrideFile({ dev: { workloads } }))).toEqual(expectedProblems("dev", field, allowed));
  });

  test("refuses data access to a store the environment does not have", () => {
    const problems = problemsOf(
      overrideFile({
        dev: { cache: { enabled: false }, workloads: { reports: { ...job, dataAccess: ["cache"] } } },
      }),
    );
    expect(problems).toEqual(expectedProblems("dev", "workloads.reports.dataAccess", "set cache.enabled"));
  });

  test("reports every problem of every workload in one run", () => {
    const problems = problemsOf(
      overrideFile({
        dev: {
          workloads: {
            reports: { kind: "job", schedule: "rate(1 hours)", retryAttempts: 500 },
            events: { kind: "worker", backlogPerTask: 0, queue: { maxReceiveCount: 0 } },
          },
        },
      }),
    );
    expect(problems.map((p) => p.field).sort()).toEqual([
      "workloads.events.backlogPerTask",
      "workloads.events.queue.maxReceiveCount",
      "workloads.reports.retryAttempts",
      "workloads.reports.schedule",
    ]);
  });

  test("needs an SQS endpoint for a worker when the tasks have no route to the internet", () => {
    const problems = problemsOf(
      overrideFile({
        dev: {
          network: {
            appInternetEgress: [],
            interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs", "secretsmanager"],
          },
        },
      }),
    );
    expect(problems.map((p) => p.allowed).join("\n")).toContain("missing: sqs for the workers' queues");
  });
});

describe("help/workloads.md", () => {
  const page = readFileSync(join(__dirname, "..", "help", "workloads.md"), "utf8");
  const blocks = [...page.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string);

  test("shows a minimal web workload, internal workload, worker and job", () => {
    const kinds = blocks.flatMap((b) =>
      Object.values(
        (JSON.parse(b) as { prod: { workloads: Record<string, { kind: string }> } }).prod.workloads,
      ),
    );
    expect(kinds.map((w) => w.kind).sort()).toEqual(["internal", "job", "web", "worker"]);
  });

  test.each(blocks)("its configuration is valid as written:\n%s", (block) => {
    expect(problemsOf(overrideFile(block))).toEqual([]);
  });
});
