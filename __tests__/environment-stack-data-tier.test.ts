import "cdktf/lib/testing/adapters/jest";
import { dataSources, ref, resources } from "./support/synth";
import type { Block } from "./support/synth";
import { decodeJsonencode } from "../stacks/policy/hcl-expression";
import { build } from "./support/environment-stack";

describe("EnvironmentStack with the data tier", () => {
  const { stack, json } = build(
    "prod",
    {},
    {
      database: { enabled: true },
      cache: { enabled: true },
      service: { oneOffTasks: { migrate: ["python", "manage.py", "migrate"] } },
    },
  );
  const groups = stack.securityGroups.groups;

  test("lets only the service reach the database on 5432 and the cache on 6379", () => {
    const ingress = Object.values(resources(json, "aws_vpc_security_group_ingress_rule"));
    const into = (group: object) => ingress.filter((r) => r.security_group_id === ref(group as never));
    expect(
      into(groups.data as object).map((r) => [r.referenced_security_group_id, r.from_port, r.cidr_ipv4]),
    ).toEqual([[ref(groups.app as never), 5432, undefined]]);
    expect(
      into(groups.cache as object).map((r) => [r.referenced_security_group_id, r.from_port, r.cidr_ipv4]),
    ).toEqual([[ref(groups.app as never), 6379, undefined]]);
  });

  test("has no data or cache group without a database or cache", () => {
    const bare = build("dev", {}, { database: { enabled: false }, cache: { enabled: false } }).stack
      .securityGroups;
    expect(bare.hasGroup("data")).toBe(false);
    expect(bare.hasGroup("cache")).toBe(false);
  });

  test("gives the service its connection details, the password by the secret's JSON key, and lets it read exactly that secret", () => {
    const [container] = decodeJsonencode(
      resources(json, "aws_ecs_task_definition")[stack.service.taskDefinition.friendlyUniqueId]
        ?.container_definitions,
    ) as Block[];
    const names = (container?.environment as Block[]).map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "DATABASE_HOST",
        "DATABASE_PORT",
        "DATABASE_NAME",
        "DATABASE_USER",
        "REDIS_HOST",
        "REDIS_USER",
      ]),
    );
    const secretArn = stack.database?.masterUserSecretArn as string;
    expect(container?.secrets).toEqual([
      {
        name: "DATABASE_PASSWORD",
        valueFrom: expect.stringMatching(/master_user_secret\[0\]\.secret_arn\}:password::$/),
      },
    ]);
    const read = Object.values(dataSources(json, "aws_iam_policy_document"))
      .flatMap((d) => d.statement as Block[])
      .find((st) => st.sid === "ReadConfiguredSecrets");
    expect(read?.resources).toHaveLength(1);
    expect(String(read?.resources[0])).toContain("master_user_secret");
    expect(secretArn).toBeDefined();
  });

  test("never holds a password or token in the synthesized output", () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/"(password|auth_token|passwords|master_password)"\s*:/);
  });

  test("declares each one-off task with the service's image and a run-task command line", () => {
    const migrate = stack.service.oneOffTaskDefinitions.migrate;
    expect(migrate).toBeDefined();
    const [container] = decodeJsonencode(
      resources(json, "aws_ecs_task_definition")[migrate?.friendlyUniqueId as string]?.container_definitions,
    ) as Block[];
    expect(container?.command).toEqual(["python", "manage.py", "migrate"]);
    expect(container?.logConfiguration.options["awslogs-stream-prefix"]).toBe("migrate");
    expect(container?.portMappings).toEqual([]);
    const entry = (json.output?.one_off_tasks?.value as Block).migrate as Record<string, string>;
    expect(entry.run_task_command).toMatch(
      /^aws ecs --region eu-west-1 run-task --cluster .* --launch-type FARGATE --network-configuration 'awsvpcConfiguration=\{subnets=\[.*\],securityGroups=\[.*\],assignPublicIp=DISABLED\}'/,
    );
    // Runs the family's active revision, so a targeted apply at a new tag is what runs.
    expect(entry.run_task_command).toContain(`--task-definition ${ref(migrate as never, "family")}`);
    expect(entry.terraform_target).toBe(`aws_ecs_task_definition.${migrate?.friendlyUniqueId}`);
    expect(entry.wait_command).toMatch(
      /^aws ecs --region eu-west-1 wait tasks-stopped --cluster \S+ --tasks$/,
    );
    expect(entry.exit_code_command).toMatch(
      /describe-tasks --cluster \S+ .*containers\[0\]\.exitCode.* --tasks$/,
    );
  });
});
