import "cdktf/lib/testing/adapters/jest";
import { dataSources, only, ref, resources } from "./support/synth";
import { overrideFile, problemsOf } from "./support/settings";
import type { Block } from "./support/synth";
import { decodeJsonencode } from "../.ci/policy/hcl-expression";
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
  const groups = stack.networkTier.securityGroups.groups;

  test("lets only the service and the workloads that ask reach the database on 5432, the cache on 6379", () => {
    const ingress = Object.values(resources(json, "aws_vpc_security_group_ingress_rule"));
    const into = (group: object) => ingress.filter((r) => r.security_group_id === ref(group as never));
    // The example's worker and job both name the database in their dataAccess, and not the cache.
    expect(
      into(groups.data as object).map((r) => [r.referenced_security_group_id, r.from_port, r.cidr_ipv4]),
    ).toEqual(
      [groups.app, groups["workload:nightly-report"], groups["workload:order-events"]].map((g) => [
        ref(g as never),
        5432,
        undefined,
      ]),
    );
    expect(
      into(groups.cache as object).map((r) => [r.referenced_security_group_id, r.from_port, r.cidr_ipv4]),
    ).toEqual([[ref(groups.app as never), 6379, undefined]]);
  });

  test("has no data or cache group without a database or cache", () => {
    const bare = build(
      "dev",
      {},
      {
        database: { enabled: false },
        cache: { enabled: false },
        workloads: { "order-events": { dataAccess: [] }, "nightly-report": { dataAccess: [] } },
      },
    ).stack.networkTier.securityGroups;
    expect(bare.hasGroup("data")).toBe(false);
    expect(bare.hasGroup("cache")).toBe(false);
  });

  const containerOf = (definition: { friendlyUniqueId: string } | undefined): Block =>
    (
      decodeJsonencode(
        resources(json, "aws_ecs_task_definition")[definition?.friendlyUniqueId as string]
          ?.container_definitions,
      ) as Block[]
    )[0] as Block;
  const policyOf = (role: { friendlyUniqueId: string } | undefined): Block[] => {
    const policies = Object.values(resources(json, "aws_iam_role_policy")).filter(
      (p) => p.role === `\${aws_iam_role.${role?.friendlyUniqueId}.id}`,
    );
    return policies.flatMap((p) => {
      const name = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(p.policy))?.[1] ?? "";
      return dataSources(json, "aws_iam_policy_document")[name]?.statement as Block[];
    });
  };
  const variables = (container: Block) =>
    Object.fromEntries((container.environment as Block[]).map((e) => [e.name, e.value]));

  test("the service logs in with IAM tokens as its own user: no password, no master user", () => {
    const container = containerOf(stack.serviceTier.service.taskDefinition);
    expect(variables(container)).toEqual(
      expect.objectContaining({
        DATABASE_USER: "app_service",
        DATABASE_AUTH: "iam",
        DATABASE_NAME: "app",
        DATABASE_PORT: "5432",
        REDIS_USER: expect.any(String),
      }),
    );
    expect(container.secrets).toBeUndefined();
    const statements = policyOf(stack.serviceTier.service.executionRole);
    expect(statements.map((st) => st.sid)).not.toContain("ReadConfiguredSecrets");
    expect(JSON.stringify(statements)).not.toContain("master_user_secret");
  });

  test("the task role may connect to this database as the service user only", () => {
    const connect = policyOf(stack.serviceTier.service.taskRole).find((st) =>
      st.actions.includes("rds-db:connect"),
    );
    expect(connect?.resources).toEqual([
      `arn:aws:rds-db:eu-west-1:123456789012:dbuser:\${aws_db_instance.${stack.dataTier.database?.instance.friendlyUniqueId}.resource_id}/app_service`,
    ]);
    expect(only(json, "aws_db_instance").iam_database_authentication_enabled).toBe(true);
  });

  test("only the one-off tasks get the master password, through an execution role of their own", () => {
    const migrate = containerOf(stack.serviceTier.service.oneOffTaskDefinitions.migrate);
    expect(variables(migrate)).toEqual(
      expect.objectContaining({
        DATABASE_USER: "app_admin",
        DATABASE_AUTH: "password",
        DATABASE_APP_USER: "app_service",
      }),
    );
    expect(migrate.secrets).toEqual([
      {
        name: "DATABASE_PASSWORD",
        valueFrom: expect.stringMatching(/master_user_secret\[0\]\.secret_arn\}:password::$/),
      },
    ]);
    const definition = resources(json, "aws_ecs_task_definition")[
      stack.serviceTier.service.oneOffTaskDefinitions.migrate?.friendlyUniqueId as string
    ];
    expect(definition?.execution_role_arn).toBe(
      ref(stack.serviceTier.service.oneOffExecutionRole as never, "arn"),
    );
    const read = policyOf(stack.serviceTier.service.oneOffExecutionRole).find(
      (st) => st.sid === "ReadConfiguredSecrets",
    );
    expect(read?.resources).toEqual([expect.stringContaining("master_user_secret[0].secret_arn")]);
  });

  test("refuses IAM authentication off and a service user that is the master user", () => {
    expect(
      problemsOf(
        overrideFile({ prod: { database: { iamAuthentication: false, applicationUsername: "app_admin" } } }),
      ),
    ).toEqual([
      expect.objectContaining({ field: "database.iamAuthentication", value: false }),
      expect.objectContaining({
        field: "database.applicationUsername",
        value: "app_admin",
        allowed: expect.stringContaining("master privileges"),
      }),
    ]);
  });

  test("never holds a password or token in the synthesized output", () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/"(password|auth_token|passwords|master_password)"\s*:/);
  });

  test("declares each one-off task with the service's image and a run-task command line", () => {
    const migrate = stack.serviceTier.service.oneOffTaskDefinitions.migrate;
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
