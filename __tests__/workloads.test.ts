/**
 * Workers and jobs beside the service: their settings refuse what would not deploy or would
 * collide, and each synthesizes its own queue or schedule, task, roles and security group.
 */
import { decodeJsonencode } from "../.ci/policy/hcl-expression";
import { scheduleProblem } from "../constructs/model/workloads";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { EnvironmentStack } from "../stacks/environment-stack";
import { EXAMPLE_PROJECT as PROJECT } from "../stacks/config/example-project";
import { loadSettings } from "../stacks/config/load";
import { build } from "./support/environment-stack";
import { expectedProblems, overrideFile, problemsOf } from "./support/settings";
import { blockOf, policyDocument, ref, resources, synth } from "./support/synth";
import type { Block } from "./support/synth";

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

describe("a worker and a job in an environment", () => {
  const { stack, json } = build(
    "dev",
    {},
    {
      alarms: { enabled: true },
      workloads: {
        "order-events": { kind: "worker", spot: true, minCount: 1, maxCount: 8, backlogPerTask: 20 },
      },
    },
  );
  const { workers, jobs, queueKey } = stack.workloadTier;
  const worker = workers["order-events"];
  const job = jobs["nightly-report"];
  if (!worker || !job || !queueKey) throw new Error("the example's worker and job are missing");
  const groups = stack.networkTier.securityGroups.groups;

  const containerOf = (definition: object): Block =>
    (
      decodeJsonencode(blockOf(json, definition as never).container_definitions as string) as Block[]
    )[0] as Block;

  test("encrypts the worker's queue and its dead-letter queue under the environment's queue key, with redrive", () => {
    const queue = blockOf(json, worker.queue);
    expect(queue.kms_master_key_id).toBe(ref(queueKey.key, "arn"));
    expect(blockOf(json, worker.deadLetterQueue).kms_master_key_id).toBe(ref(queueKey.key, "arn"));
    expect(decodeJsonencode(queue.redrive_policy as string)).toEqual({
      deadLetterTargetArn: ref(worker.deadLetterQueue, "arn"),
      maxReceiveCount: 5,
    });
  });

  test("runs the worker as a service without a load balancer, on Spot when asked, told its queue", () => {
    const service = blockOf(json, worker.service);
    expect(service.load_balancer).toBeUndefined();
    expect(service.capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE_SPOT", weight: 1 }]);
    expect(service.cluster).toBe(ref(stack.serviceTier.service.cluster, "arn"));
    const container = containerOf(worker.task.taskDefinition);
    expect(container.portMappings).toEqual([]);
    expect(container.healthCheck).toBeUndefined();
    expect(container.environment).toContainEqual({ name: "QUEUE_URL", value: ref(worker.queue, "url") });
  });

  test("scales the worker on the backlog per running task", () => {
    const target = blockOf(json, worker.scalableTarget);
    expect([target.min_capacity, target.max_capacity]).toEqual([1, 8]);
    const policy = Object.values(resources(json, "aws_appautoscaling_policy")).find(
      (p) => p.name === "orders-api-dev-order-events-backlog-per-task",
    ) as Block;
    const config = policy.target_tracking_scaling_policy_configuration as Block;
    expect(config.target_value).toBe(20);
    const metrics = (config.customized_metric_specification as Block).metrics as Block[];
    expect(metrics.map((m) => [m.id, m.return_data])).toEqual([
      ["visible", false],
      ["running", false],
      ["backlog_per_task", true],
    ]);
    expect(metrics[2]?.expression).toBe("visible / IF(running > 0, running, 1)");
  });

  test("lets the worker's task role consume its own queue only, and reach only the stores it names", () => {
    const taskPolicy = Object.values(resources(json, "aws_iam_role_policy")).find(
      (p) => p.role === ref(worker.task.taskRole) && p.name === "workload",
    ) as Block;
    const statements = policyDocument(json, taskPolicy.policy as string).statement as Block[];
    expect(statements.map((s) => [s.sid, s.resources])).toEqual([
      ["ConsumeTheQueue", [ref(worker.queue, "arn")]],
      ["DecryptTheQueue", [ref(queueKey.key, "arn")]],
      ["ConnectToTheDatabaseAsTheServiceUser", [expect.stringContaining("rds-db")]],
    ]);
  });

  test("gives each workload a group of its own that only calls out, and lets it reach the database", () => {
    const ingress = Object.values(resources(json, "aws_vpc_security_group_ingress_rule"));
    const workerGroup = groups["workload:order-events"];
    const jobGroup = groups["workload:nightly-report"];
    if (!workerGroup || !jobGroup) throw new Error("workload groups missing");
    expect(ingress.filter((r) => r.security_group_id === ref(workerGroup))).toEqual([]);
    expect(ingress.filter((r) => r.security_group_id === ref(jobGroup))).toEqual([]);
    const intoData = ingress.filter((r) => r.security_group_id === ref(groups.data as never));
    expect(intoData.map((r) => r.referenced_security_group_id).sort()).toEqual(
      [ref(groups.app as never), ref(workerGroup), ref(jobGroup)].sort(),
    );
    expect(blockOf(json, job.schedule).target).toMatchObject({
      ecs_parameters: {
        network_configuration: { security_groups: [ref(jobGroup)], assign_public_ip: false },
      },
    });
  });

  test("starts the job on its schedule with retries, a flexible window and a dead-letter queue", () => {
    const schedule = blockOf(json, job.schedule);
    expect(schedule.schedule_expression).toBe("cron(0 3 * * ? *)");
    expect(schedule.schedule_expression_timezone).toBe("UTC");
    expect(schedule.flexible_time_window).toEqual({ mode: "FLEXIBLE", maximum_window_in_minutes: 5 });
    expect(schedule.target).toMatchObject({
      arn: ref(stack.serviceTier.service.cluster, "arn"),
      role_arn: ref(job.schedulerRole, "arn"),
      dead_letter_config: { arn: ref(job.deadLetterQueue, "arn") },
      retry_policy: { maximum_retry_attempts: 2, maximum_event_age_in_seconds: 3600 },
      ecs_parameters: { task_definition_arn: ref(job.task.taskDefinition, "arn"), launch_type: "FARGATE" },
    });
  });

  test("lets the scheduler start this job's task and pass its two roles, nothing else", () => {
    const role = blockOf(json, job.schedulerRole);
    const trust = policyDocument(json, role.assume_role_policy as string).statement as Block[];
    expect(trust[0]?.principals).toEqual([{ type: "Service", identifiers: ["scheduler.amazonaws.com"] }]);
    const policy = Object.values(resources(json, "aws_iam_role_policy")).find(
      (p) => p.role === ref(job.schedulerRole),
    ) as Block;
    const statements = policyDocument(json, policy.policy as string).statement as Block[];
    expect(statements.map((s) => [s.actions, s.resources])).toEqual([
      [["ecs:RunTask"], [ref(job.task.taskDefinition, "arn")]],
      [["iam:PassRole"], [ref(job.task.executionRole, "arn"), ref(job.task.taskRole, "arn")]],
      [["sqs:SendMessage"], [ref(job.deadLetterQueue, "arn")]],
      [["kms:GenerateDataKey", "kms:Decrypt"], [ref(queueKey.key, "arn")]],
    ]);
  });

  test("alarms on dead letters of both and on the worker's queue age, and shows both on the dashboard", () => {
    const names = Object.values(resources(json, "aws_cloudwatch_metric_alarm")).map((a) => a.alarm_name);
    expect(names).toEqual(
      expect.arrayContaining([
        "orders-api-dev-order-events-dead-letters",
        "orders-api-dev-order-events-queue-age",
        "orders-api-dev-nightly-report-dead-letters",
      ]),
    );
    const body = JSON.stringify(blockOf(json, stack.operationsTier.dashboard.dashboard).dashboard_body);
    expect(body).toContain("Worker order-events: backlog, dead letters, tasks");
    expect(body).toContain("Job nightly-report: runs that could not start");
  });

  test("names its own log group, roles and family after the workload", () => {
    expect(blockOf(json, worker.task.logGroup).name).toBe("/ecs/orders-api-dev/order-events");
    expect(blockOf(json, job.task.executionRole).name).toBe("orders-api-dev-nightly-report-execution");
    expect(blockOf(json, job.schedulerRole).name).toBe("orders-api-dev-nightly-report-scheduler");
    expect(blockOf(json, job.task.taskDefinition).family).toBe("orders-api-dev-nightly-report");
  });
});

describe("a workload's one-off tasks", () => {
  const { stack, json } = build(
    "dev",
    {},
    {
      workloads: { "order-events": { oneOffTasks: { replay: ["python", "-m", "orders.replay"] } } },
    },
  );
  const worker = stack.workloadTier.workers["order-events"];
  if (!worker) throw new Error("no worker");
  const definition = worker.task.oneOffTaskDefinitions.replay;
  if (!definition) throw new Error("no one-off task definition");

  test("run the workload's container and roles with their own command, family and log streams", () => {
    const block = blockOf(json, definition);
    const main = blockOf(json, worker.task.taskDefinition);
    expect(block.family).toBe("orders-api-dev-order-events-replay");
    expect([block.task_role_arn, block.execution_role_arn]).toEqual([
      main.task_role_arn,
      main.execution_role_arn,
    ]);
    const container = (decodeJsonencode(block.container_definitions as string) as Block[])[0] as Block;
    expect(container.command).toEqual(["python", "-m", "orders.replay"]);
    expect((container.logConfiguration as Block).options).toMatchObject({
      "awslogs-stream-prefix": "replay",
    });
  });

  test("are listed in the workloads output with a run-task command in the workload's own group", () => {
    const output = json.output?.workloads?.value as Record<string, Block>;
    const tasks = output["order-events"]?.one_off_tasks as Record<string, Block>;
    const group = stack.networkTier.securityGroups.groups["workload:order-events"];
    expect(String(tasks.replay?.run_task_command)).toContain(`securityGroups=[${ref(group as never)}]`);
    expect(String(tasks.replay?.run_task_command)).toContain(
      `--task-definition ${ref(definition, "family")}`,
    );
    expect(output["nightly-report"]?.one_off_tasks).toBeUndefined();
  });
});

describe("an environment without workloads", () => {
  test("has no queue, schedule, queue key, workload group or workloads output", () => {
    const dev = PROJECT.environments.find((e) => e.name === "dev");
    if (!dev) throw new Error("no dev");
    const definition = {
      ...PROJECT,
      environments: [{ ...dev, overrides: { ...dev.overrides, workloads: undefined } }],
    };
    const project = loadSettings(definition, {});
    const [settings] = project.environments;
    if (!settings) throw new Error("no settings");
    const stack = new EnvironmentStack(Testing.app(), { project, settings });
    const json = synth(stack);
    expect(Object.keys(json.resource)).not.toEqual(expect.arrayContaining(["aws_sqs_queue"]));
    expect(json.resource.aws_scheduler_schedule).toBeUndefined();
    expect(stack.workloadTier.queueKey).toBeUndefined();
    expect(Object.keys(stack.networkTier.securityGroups.groups).sort()).toEqual([
      "alb",
      "app",
      "cache",
      "data",
    ]);
    expect(json.output?.workloads).toBeUndefined();
  });
});

describe("help/workloads.md", () => {
  const page = readFileSync(join(__dirname, "..", "help", "workloads.md"), "utf8");
  const blocks = [...page.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string);

  test("shows a minimal worker and a minimal job", () => {
    const kinds = blocks.flatMap((b) =>
      Object.values(
        (JSON.parse(b) as { prod: { workloads: Record<string, { kind: string }> } }).prod.workloads,
      ),
    );
    expect(kinds.map((w) => w.kind).sort()).toEqual(["job", "worker"]);
  });

  test.each(blocks)("its configuration is valid as written:\n%s", (block) => {
    expect(problemsOf(overrideFile(block))).toEqual([]);
  });
});
