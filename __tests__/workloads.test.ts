/**
 * Workers and jobs beside the service: each synthesizes its own queue or schedule, task, roles,
 * security group, alarms and one-off tasks, and an environment without workloads has none.
 */
import { Testing } from "cdktf";
import { decodeJsonencode } from "../.ci/policy/hcl-expression";
import { EnvironmentStack } from "../stacks/environment-stack";
import { EXAMPLE_PROJECT as PROJECT } from "../stacks/config/example-project";
import { loadSettings } from "../stacks/config/load";
import { build } from "./support/environment-stack";
import { blockOf, policyDocument, ref, resources, synth } from "./support/synth";
import type { Block } from "./support/synth";

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

  test("records the job's failed runs (never started, or exited non-zero) in its dead-letter queue", () => {
    const rule = blockOf(json, job.failedRunsRule);
    const pattern = decodeJsonencode(rule.event_pattern as string) as Block;
    expect(pattern).toEqual({
      source: ["aws.ecs"],
      "detail-type": ["ECS Task State Change"],
      detail: {
        clusterArn: [ref(stack.serviceTier.service.cluster, "arn")],
        group: ["family:orders-api-dev-nightly-report"],
        lastStatus: ["STOPPED"],
        $or: [
          { containers: { name: ["app"], exitCode: [{ "anything-but": 0 }] } },
          { stopCode: ["TaskFailedToStart"] },
        ],
      },
    });
    const target = Object.values(resources(json, "aws_cloudwatch_event_target")).find(
      (t) => t.rule === ref(job.failedRunsRule, "name"),
    );
    expect(target?.arn).toBe(ref(job.deadLetterQueue, "arn"));
    const queuePolicy = Object.values(resources(json, "aws_sqs_queue_policy")).find(
      (p) => p.queue_url === ref(job.deadLetterQueue, "url"),
    ) as Block;
    const [statement] = policyDocument(json, queuePolicy.policy as string).statement as Block[];
    expect(statement).toMatchObject({
      principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
      actions: ["sqs:SendMessage"],
      resources: [ref(job.deadLetterQueue, "arn")],
      condition: [{ test: "ArnEquals", variable: "aws:SourceArn", values: [ref(job.failedRunsRule, "arn")] }],
    });
    const keyStatements = policyDocument(json, blockOf(json, queueKey.key).policy as string)
      .statement as Block[];
    expect(keyStatements.find((k) => k.sid === "EventBridgeDeliversToEncryptedQueues")).toMatchObject({
      principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
      condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [expect.any(String)] }],
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
    expect(body).toContain("Job nightly-report: failed runs (not started, or exited non-zero)");
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
