/** Policy rules: ECS. */
import type { PolicyRule } from "../stack-view";
import { asList, isTrue, paths, taskDefinitionsWhere } from "../stack-view";
import type { Block } from "../terraform-json";
import { secretLookingReason } from "../../../constructs/model/secrets";

/** A key of the secret RDS manages for a database of the stack: `${aws_db_instance.<name>.master_user_secret[0].secret_arn}:<key>::`. */
const RDS_MANAGED_SECRET_KEY =
  /^\$\{aws_db_instance\.[a-z0-9_]+\.master_user_secret\[0\]\.secret_arn\}:[A-Za-z0-9_]+::$/i;

export const ECS_RULES: readonly PolicyRule[] = [
  {
    ids: ["CKV_AWS_65", "AWS-0034", "AwsSolutions-ECS4"],
    title: "clusters have Container Insights",
    violations: (s) =>
      paths(
        s
          .resources("aws_ecs_cluster")
          .filter(
            (c) =>
              !asList<Block>(c.block.setting).some(
                (st) => st.name === "containerInsights" && ["enabled", "enhanced"].includes(st.value),
              ),
          ),
      ),
  },
  {
    ids: ["CKV_AWS_223", "CKV_AWS_224"],
    title: "ECS Exec, when configured, logs encrypted sessions with a customer key",
    violations: (s) =>
      paths(
        s.resources("aws_ecs_cluster").filter((c) => {
          const exec = c.block.configuration?.execute_command_configuration as Block | undefined;
          return (
            exec !== undefined &&
            (exec.logging === "NONE" ||
              !exec.kms_key_id ||
              !isTrue(exec.log_configuration?.cloud_watch_encryption_enabled))
          );
        }),
      ),
  },
  {
    ids: ["CKV_AWS_336", "ECS.5"],
    title:
      "containers have a read-only root filesystem (decoded container definitions; checkov cannot see them)",
    violations: (s) => taskDefinitionsWhere(s, (c) => c.readonlyRootFilesystem !== true),
  },
  {
    ids: ["CKV_AWS_334", "CKV_AWS_335", "ECS.4"],
    title: "containers are not privileged and do not share the host PID namespace",
    violations: (s) =>
      taskDefinitionsWhere(
        s,
        (c) => c.privileged === true || c.pidMode === "host",
        (td) => td.block.pid_mode === "host",
      ),
  },
  {
    ids: ["AWS-0036", "ECS_NO_ENVIRONMENT_SECRETS"],
    title: "no secret-looking name or value in container environment",
    violations: (s) =>
      taskDefinitionsWhere(s, (c) =>
        asList<Block>(c.environment).some(
          (e) => secretLookingReason(String(e.name), String(e.value)) !== undefined,
        ),
      ),
  },
  {
    ids: ["AwsSolutions-ECS2"],
    title: "containers have no environment key at all",
    violations: (s) => taskDefinitionsWhere(s, (c) => c.environment !== undefined),
  },
  {
    ids: ["PROJECT-ECS-SECRETS-FROM-ARNS"],
    title:
      "container secrets come from Secrets Manager or SSM ARNs, or from the secret RDS manages for the stack's database",
    violations: (s) =>
      taskDefinitionsWhere(s, (c) =>
        asList<Block>(c.secrets).some(
          (sec) =>
            !/^arn:aws[a-z-]*:(secretsmanager|ssm):/.test(String(sec.valueFrom)) &&
            !RDS_MANAGED_SECRET_KEY.test(String(sec.valueFrom)),
        ),
      ),
  },
  {
    ids: ["AwsSolutions-ECS7"],
    title: "containers log through awslogs to a group, region and stream prefix",
    violations: (s) =>
      taskDefinitionsWhere(s, (c) => {
        const log = c.logConfiguration as Block | undefined;
        return (
          log?.logDriver !== "awslogs" ||
          !log.options?.["awslogs-group"] ||
          !log.options?.["awslogs-region"] ||
          !log.options?.["awslogs-stream-prefix"]
        );
      }),
  },
  {
    ids: ["NIST-ECSTaskDefinitionUserForHostMode", "PROJECT-ECS-NON-ROOT"],
    title: "containers run as a non-root user",
    violations: (s) =>
      taskDefinitionsWhere(s, (c) => typeof c.user !== "string" || /^(root|0+)(:|$)/.test(c.user)),
  },
  {
    ids: ["PROJECT-ECS-IMAGE-TAG"],
    title: "images are pulled by the image_tag variable, never latest",
    violations: (s) =>
      taskDefinitionsWhere(
        s,
        (c) => !String(c.image).endsWith(":${var.image_tag}") || String(c.image).endsWith(":latest"),
      ),
  },
  {
    ids: ["CKV_AWS_333", "ECS.2"],
    title: "services give tasks no public IP",
    violations: (s) =>
      paths(
        s
          .resources("aws_ecs_service")
          .filter((svc) => svc.block.network_configuration?.assign_public_ip !== false),
      ),
  },
  {
    ids: ["CKV_AWS_332"],
    title: "services run on the LATEST Fargate platform",
    violations: (s) =>
      paths(
        s
          .resources("aws_ecs_service")
          .filter(
            (svc) => svc.block.platform_version !== undefined && svc.block.platform_version !== "LATEST",
          ),
      ),
  },
  {
    ids: ["PROJECT-ECS-DEPLOYMENT"],
    title:
      "services roll failed deployments back and keep capacity during deploys (100/200); those behind the load balancer after a grace period",
    violations: (s) =>
      paths(
        s
          .resources("aws_ecs_service")
          .filter(
            (svc) =>
              !isTrue(svc.block.deployment_circuit_breaker?.enable) ||
              !isTrue(svc.block.deployment_circuit_breaker?.rollback) ||
              svc.block.deployment_minimum_healthy_percent !== 100 ||
              svc.block.deployment_maximum_percent !== 200 ||
              (asList(svc.block.load_balancer).length > 0 &&
                typeof svc.block.health_check_grace_period_seconds !== "number"),
          ),
      ),
  },
];
