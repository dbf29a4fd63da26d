import "cdktf/lib/testing/adapters/jest";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { FargateService } from "../constructs/fargate-service/fargate-service";
import type { FargateServiceProps } from "../constructs/fargate-service/fargate-service";
import { DEFAULT_HEALTH_CHECK } from "../constructs/model/health-check";

import { blockOf, ref, resources, synth, testStack } from "./support/synth";
import type { Block } from "./support/synth";

import { BASE, PARAMETER_ARN, SECRET_ARN, build } from "./support/fargate-service";

describe("FargateService", () => {
  describe("task definition", () => {
    test("is an awsvpc FARGATE task of a valid size on the chosen architecture, with separate roles", () => {
      const { service, taskDefinition } = build({ cpu: 1024, memory: 4096, cpuArchitecture: "ARM64" });
      expect(taskDefinition).toMatchObject({
        family: "orders-api-prod-api",
        network_mode: "awsvpc",
        requires_compatibilities: ["FARGATE"],
        cpu: "1024",
        memory: "4096",
        runtime_platform: { operating_system_family: "LINUX", cpu_architecture: "ARM64" },
        execution_role_arn: ref(service.executionRole, "arn"),
        task_role_arn: ref(service.taskRole, "arn"),
      });
      expect(taskDefinition.execution_role_arn).not.toBe(taskDefinition.task_role_arn);
    });

    test("runs one essential app container from the repository at the image_tag variable, on port 8000", () => {
      const { container } = build();
      expect(container).toMatchObject({
        name: "app",
        essential: true,
        image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:${var.image_tag}",
        portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: "tcp" }],
      });
    });

    test("is written the way the ECS API returns it, so a second plan shows no diff", () => {
      const { container } = build();
      expect(container).toMatchObject({ cpu: 0, volumesFrom: [], systemControls: [], environment: [] });
      expect(container.secrets).toBeUndefined();
    });

    test("runs as a non-root user on a read-only root filesystem with a writable /tmp volume", () => {
      const { container, taskDefinition } = build();
      expect(container.user).toBe("1000:1000");
      expect(container.readonlyRootFilesystem).toBe(true);
      expect(container.mountPoints).toEqual([
        { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
      ]);
      expect(taskDefinition.volume).toEqual([{ name: "tmp" }]);
    });

    test("passes plain settings in environment (sorted) and secrets as valueFrom ARNs (sorted)", () => {
      const { container } = build({
        environment: { LOG_LEVEL: "info", FEATURE_X: "on" },
        secrets: { DB_PASSWORD: SECRET_ARN, FLAGS: PARAMETER_ARN },
      });
      expect(container.environment).toEqual([
        { name: "FEATURE_X", value: "on" },
        { name: "LOG_LEVEL", value: "info" },
      ]);
      expect(container.secrets).toEqual([
        { name: "DB_PASSWORD", valueFrom: SECRET_ARN },
        { name: "FLAGS", valueFrom: PARAMETER_ARN },
      ]);
    });

    test("logs to its own log group through awslogs", () => {
      const { service, container } = build();
      expect(container.logConfiguration).toEqual({
        logDriver: "awslogs",
        options: {
          "awslogs-group": ref(service.logGroup, "name"),
          "awslogs-region": "eu-west-1",
          "awslogs-stream-prefix": "app",
        },
      });
    });

    test("has a container health check from the health-check contract, and a stop timeout", () => {
      const { container } = build({
        healthCheck: {
          path: "/ready",
          command: ["CMD", "/app/healthcheck"],
          intervalSeconds: 10,
          timeoutSeconds: 3,
          healthyThreshold: 2,
          unhealthyThreshold: 4,
          startPeriodSeconds: 20,
          gracePeriodSeconds: 60,
        },
        stopTimeoutSeconds: 45,
      });
      expect(container.healthCheck).toEqual({
        command: ["CMD", "/app/healthcheck"],
        interval: 10,
        timeout: 3,
        retries: 4,
        startPeriod: 20,
      });
      expect(container.stopTimeout).toBe(45);
    });

    test("keeps values with quotes and backslashes intact", () => {
      const { container } = build({ environment: { GREETING: 'say "hi" \\ there' } });
      expect(container.environment).toEqual([{ name: "GREETING", value: 'say "hi" \\ there' }]);
    });
  });

  describe("log group", () => {
    test("has the environment's retention and its KMS key", () => {
      const { service, json } = build({ logRetentionDays: 731 });
      expect(blockOf(json, service.logGroup)).toMatchObject({
        name: "/ecs/orders-api-prod/api",
        retention_in_days: 731,
        kms_key_id: BASE.logKmsKeyArn,
      });
    });
  });

  describe("cluster", () => {
    test("has Container Insights and both Fargate capacity providers with a default strategy", () => {
      const { service, json } = build({
        capacity: { fargateBase: 2, fargateWeight: 1, spotWeight: 3 },
      });
      expect(blockOf(json, service.cluster)).toMatchObject({
        name: "orders-api-prod",
        setting: [{ name: "containerInsights", value: "enabled" }],
      });
      const [providers] = Object.values(resources(json, "aws_ecs_cluster_capacity_providers"));
      expect(providers).toMatchObject({
        cluster_name: ref(service.cluster, "name"),
        capacity_providers: ["FARGATE", "FARGATE_SPOT"],
        default_capacity_provider_strategy: [
          { capacity_provider: "FARGATE", base: 2, weight: 1 },
          { capacity_provider: "FARGATE_SPOT", weight: 3 },
        ],
      });
    });
  });

  describe("service", () => {
    test("runs in the private subnets without public IPs, registered in the target group", () => {
      const { serviceBlock } = build();
      expect(serviceBlock).toMatchObject({
        network_configuration: {
          subnets: ["subnet-a", "subnet-b"],
          security_groups: ["sg-app"],
          assign_public_ip: false,
        },
        load_balancer: [
          { target_group_arn: BASE.targetGroupArn, container_name: "app", container_port: 8000 },
        ],
        platform_version: "LATEST",
      });
      expect(serviceBlock.launch_type).toBeUndefined();
    });

    test("deploys rolling 100/200 with a rollback circuit breaker and a grace period", () => {
      const { serviceBlock } = build({
        healthCheck: { ...DEFAULT_HEALTH_CHECK, startPeriodSeconds: 90, gracePeriodSeconds: 90 },
      });
      expect(serviceBlock).toMatchObject({
        desired_count: 2,
        deployment_minimum_healthy_percent: 100,
        deployment_maximum_percent: 200,
        deployment_circuit_breaker: { enable: true, rollback: true },
        deployment_controller: { type: "ECS" },
        health_check_grace_period_seconds: 90,
        propagate_tags: "SERVICE",
        enable_ecs_managed_tags: true,
      });
    });

    test("uses the capacity-provider strategy and waits for the cluster's providers and the given dependencies", () => {
      const stack = testStack();
      const listener = new LbListener(stack, "listener", {
        loadBalancerArn: "arn",
        port: 443,
        defaultAction: [],
      });
      const service = new FargateService(stack, "service", { ...BASE, dependsOn: [listener] });
      const json = synth(stack);
      const block = blockOf(json, service.service);
      expect(block.capacity_provider_strategy).toEqual([
        { capacity_provider: "FARGATE", base: 0, weight: 1 },
      ]);
      expect(block.depends_on).toEqual(
        expect.arrayContaining([
          "aws_lb_listener.listener",
          expect.stringMatching(/^aws_ecs_cluster_capacity_providers\./),
        ]),
      );
    });

    test("lets autoscaling own the task count: desired_count changes are ignored", () => {
      const { serviceBlock } = build();
      expect(serviceBlock.lifecycle.ignore_changes).toEqual(["desired_count"]);
    });

    test("waits for the deployment and fails unless the new task definition is what runs", () => {
      const { service, serviceBlock } = build();
      expect(serviceBlock.wait_for_steady_state).toBe(true);
      expect(serviceBlock.lifecycle.postcondition).toEqual([
        {
          condition: `\${self.task_definition == aws_ecs_task_definition.${service.taskDefinition.friendlyUniqueId}.arn}`,
          error_message: expect.stringContaining("the circuit breaker rolled it back"),
        },
      ]);
      const unwaited = build({ waitForDeployment: false }).serviceBlock;
      expect([unwaited.wait_for_steady_state, unwaited.lifecycle.postcondition]).toEqual([false, undefined]);
    });
  });

  describe("autoscaling", () => {
    test("tracks CPU at 60% by default between min and max, with cooldowns", () => {
      const { service, json } = build({
        desiredCount: 3,
        autoscaling: {
          minCount: 2,
          maxCount: 8,
          cpuTargetPercent: 60,
          scaleInCooldownSeconds: 300,
          scaleOutCooldownSeconds: 60,
        },
      });
      expect(blockOf(json, service.scalableTarget)).toMatchObject({
        service_namespace: "ecs",
        scalable_dimension: "ecs:service:DesiredCount",
        resource_id: `service/${ref(service.cluster, "name")}/${ref(service.service, "name")}`,
        min_capacity: 2,
        max_capacity: 8,
      });
      const policies = Object.values(resources(json, "aws_appautoscaling_policy"));
      expect(policies).toEqual([
        expect.objectContaining({
          policy_type: "TargetTrackingScaling",
          resource_id: ref(service.scalableTarget, "resource_id"),
          target_tracking_scaling_policy_configuration: {
            target_value: 60,
            scale_in_cooldown: 300,
            scale_out_cooldown: 60,
            predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" },
          },
        }),
      ]);
    });

    test("adds memory and request-count policies when asked", () => {
      const { json } = build({
        autoscaling: {
          minCount: 2,
          maxCount: 4,
          cpuTargetPercent: 50,
          memoryTargetPercent: 70,
          requestsPerTarget: 1000,
          scaleInCooldownSeconds: 120,
          scaleOutCooldownSeconds: 30,
        },
        requestCountResourceLabel: "app/lb/1/targetgroup/tg/2",
      });
      const metrics = Object.values(resources(json, "aws_appautoscaling_policy")).map(
        (p) => p.target_tracking_scaling_policy_configuration as Block,
      );
      expect(
        metrics.map((m) => [m.predefined_metric_specification.predefined_metric_type, m.target_value]),
      ).toEqual([
        ["ECSServiceAverageCPUUtilization", 50],
        ["ECSServiceAverageMemoryUtilization", 70],
        ["ALBRequestCountPerTarget", 1000],
      ]);
      expect(metrics[2]?.predefined_metric_specification.resource_label).toBe("app/lb/1/targetgroup/tg/2");
    });
  });

  describe("fails on invalid props", () => {
    const scaling = { cpuTargetPercent: 60, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 };
    test.each<[string, Partial<FargateServiceProps>, RegExp]>([
      [
        "a cpu/memory pair Fargate does not offer",
        { cpu: 512, memory: 512 },
        /memory: got 512; allowed: memory in MiB that Fargate offers with 512 CPU units: 1024, 2048, 3072, 4096$/m,
      ],
      ["a CPU value Fargate does not offer", { cpu: 300 }, /cpu: got 300; allowed: one of 256, 512, 1024/],
      [
        "a desired count below 1",
        { desiredCount: 0 },
        /desiredCount: got 0; allowed: an integer from 1 to 1000 tasks/,
      ],
      [
        "min above max",
        { autoscaling: { minCount: 5, maxCount: 2, ...scaling } },
        /autoscaling\.minCount: got 5; allowed: at most autoscaling\.maxCount \(2\)/,
      ],
      [
        "desired outside min..max",
        { desiredCount: 9, autoscaling: { minCount: 2, maxCount: 4, ...scaling } },
        /desiredCount: got 9; allowed: a count within autoscaling\.minCount\.\.maxCount \(2\.\.4\)/,
      ],
      [
        "a password in environment",
        { environment: { DB_PASSWORD: "hunter2" } },
        /environment\.DB_PASSWORD: got '\(value hidden\)'; allowed: a non-secret setting; its name contains PASSWORD, so move it to secrets/,
      ],
      [
        "credentials inside a URL",
        { environment: { DATABASE_URL: "postgres://app:s3cret@db:5432/app" } },
        /environment\.DATABASE_URL: .*its value looks like a URL with credentials/,
      ],
      [
        "a malformed secret ARN",
        { secrets: { DB: "arn:aws:secretsmanager:eu-west-1:123:secret:x" } },
        /secrets\.DB: got 'arn:aws:secretsmanager:eu-west-1:123:secret:x'; allowed: a Secrets Manager secret ARN/,
      ],
      ["a root user", { user: "0:0" }, /user: got '0:0'; allowed: a non-root user/],
      [
        "a stop timeout Fargate does not allow",
        { stopTimeoutSeconds: 300 },
        /stopTimeoutSeconds: got 300; allowed: an integer from 2 to 120 seconds/,
      ],
      [
        "no capacity weight",
        { capacity: { fargateBase: 1, fargateWeight: 0, spotWeight: 0 } },
        /capacity\.fargateWeight: got 0; allowed: above 0 when capacity\.spotWeight is 0: tasks must be placed somewhere/,
      ],
      [
        "a health check without CMD",
        { healthCheck: { ...DEFAULT_HEALTH_CHECK, command: ["curl localhost"] } },
        /healthCheck\.command: got \[ 'curl localhost' \]/,
      ],
      [
        "a grace period shorter than the container start period",
        { healthCheck: { ...DEFAULT_HEALTH_CHECK, startPeriodSeconds: 120 } },
        /healthCheck\.gracePeriodSeconds: got 60; allowed: at least 120/,
      ],
      [
        "a request-count target without the ALB label",
        { autoscaling: { minCount: 2, maxCount: 4, requestsPerTarget: 100, ...scaling } },
        /requestCountResourceLabel: got undefined; allowed: the ALB\/target-group resource label/,
      ],
      [
        "a task definition larger than ECS accepts",
        {
          environment: Object.fromEntries(
            Array.from({ length: 700 }, (_, i) => [`SETTING_${i}`, "x".repeat(90)]),
          ),
        },
        /environment: got '700 variables'; allowed: a task definition under 65536 bytes; this one is about \d+/,
      ],
    ])("%s", (_, overrides, message) => {
      expect(() => build(overrides)).toThrow(message);
    });
  });
});
