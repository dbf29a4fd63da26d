/**
 * The configuration validation across settings: prod invariants, several environments at once,
 * environment variables and the project definition. Each field's own cases are in
 * settings-schema-{network,service,edge}.test.ts.
 */
import { join } from "node:path";
import type { ProcessEnv } from "../stacks/config/load";
import { EXAMPLE_PROJECT as PROJECT } from "../stacks/config/example-project";
import type { ProjectDefinition } from "../stacks/config/settings";
import { SETTINGS_TEST_DIR, expectedProblems, overrideFile, problemsOf } from "./support/settings";
import type { SchemaCase } from "./support/settings";

/** prod invariants: each broken on its own in the prod environment. */
const PROD_CASES: SchemaCase[] = [
  [
    "a single NAT gateway",
    { prod: { network: { natStrategy: "single" } } },
    "prod",
    "network.natStrategy",
    '"per-az" or "none" in prod',
  ],
  [
    "a single task",
    { prod: { service: { desiredCount: 1, autoscaling: { minCount: 1 } } } },
    "prod",
    ["service.desiredCount", "service.autoscaling.minCount"],
    "at least 2 in prod",
  ],
  [
    "autoscaling down to one task",
    { prod: { service: { desiredCount: 2, autoscaling: { minCount: 1 } } } },
    "prod",
    "service.autoscaling.minCount",
    "at least 2 in prod",
  ],
  [
    "no deletion protection",
    { prod: { edge: { deletionProtection: false } } },
    "prod",
    "edge.deletionProtection",
    "true in prod",
  ],
  [
    "a single-AZ database",
    { prod: { database: { enabled: true, multiAz: false } } },
    "prod",
    "database.multiAz",
    "true in prod",
  ],
  [
    "a database without deletion protection",
    { prod: { database: { enabled: true, deletionProtection: false } } },
    "prod",
    "database.deletionProtection",
    "true in prod",
  ],
  [
    "a database destroyed without a final snapshot",
    { prod: { database: { enabled: true, finalSnapshot: false } } },
    "prod",
    "database.finalSnapshot",
    "true in prod",
  ],
  [
    "database backups kept 3 days",
    { prod: { database: { enabled: true, backupRetentionDays: 3 } } },
    "prod",
    "database.backupRetentionDays",
    "at least 7 in prod",
  ],
  [
    "a single-node cache",
    { prod: { cache: { enabled: true, nodeCount: 1 } } },
    "prod",
    "cache.nodeCount",
    "at least 2 in prod",
  ],
  [
    "no rollback on failed deployments",
    { prod: { service: { circuitBreakerRollback: false } } },
    "prod",
    "service.circuitBreakerRollback",
    "true in prod",
  ],
  [
    "90-day container logs",
    { prod: { service: { logRetentionDays: 90 } } },
    "prod",
    "service.logRetentionDays",
    "at least 365 in prod",
  ],
  [
    "90-day flow logs",
    { prod: { network: { flowLogRetentionDays: 90 } } },
    "prod",
    "network.flowLogRetentionDays",
    "at least 365 in prod",
  ],
  ["no access logs", { prod: { edge: { accessLogs: false } } }, "prod", "edge.accessLogs", "true in prod"],
  ["no WAF", { prod: { edge: { waf: false } } }, "prod", "edge.waf", "true in prod"],
  ["alarms off", { prod: { alarms: { enabled: false } } }, "prod", "alarms.enabled", "true in prod"],
  [
    "alarms nobody hears",
    { prod: { alarms: { subscriptions: [] } } },
    "prod",
    "alarms.subscriptions",
    "at least one email address or HTTPS endpoint in prod",
  ],
  ["no pinned account", { prod: { accountId: null } }, "prod", "accountId", "required in prod"],
  [
    "ECS Exec without the break-glass setting",
    { prod: { service: { enableExecuteCommand: true } } },
    "prod",
    "service.enableExecuteCommand",
    "false in prod, or true together with service.executeCommandBreakGlass",
  ],
  // Fewer than 2 AZs is refused for every environment, so the field rule answers first.
  [
    "a single AZ",
    { prod: { network: { availabilityZones: ["eu-west-1a"] } } },
    "prod",
    "network.availabilityZones",
    "2 to 3",
  ],
];

describe("settings validation", () => {
  test("the built-in configuration is valid", () => {
    expect(problemsOf({})).toEqual([]);
  });

  test("reports the problems of every environment and the registry together in one run", () => {
    const problems = problemsOf(
      overrideFile({
        registry: { taggedImagesToKeep: 0 },
        dev: { network: { natStrategy: "shared" }, service: { cpu: 512, memory: 512, user: "root" } },
        staging: { edge: { sslPolicy: "old" } },
        prod: { edge: { deletionProtection: false } },
      }),
    );
    expect(problems.map((p) => `${p.scope}:${p.field}`)).toEqual([
      "registry:taggedImagesToKeep",
      "dev:network.natStrategy",
      "dev:service.memory",
      "dev:service.user",
      "staging:edge.sslPolicy",
      "prod:edge.deletionProtection",
    ]);
  });

  describe("prod invariants", () => {
    test.each(PROD_CASES)("rejects %s in prod", (_, override, scope, field, allowed) => {
      expect(problemsOf(overrideFile(override))).toEqual(expectedProblems(scope, field, allowed));
    });

    const prodOnly = PROD_CASES.filter(([, , , , allowed]) => allowed.includes("in prod"));
    test.each(prodOnly)("allows %s outside prod", (_, override) => {
      const asStaging = { staging: override.prod };
      expect(problemsOf(overrideFile(asStaging))).toEqual([]);
    });
  });

  describe("environment variables and the definition", () => {
    test.each<[string, ProcessEnv, string, string]>([
      [
        "an invalid TF_STATE_BUCKET",
        { TF_STATE_BUCKET: "Bad_Bucket" },
        "TF_STATE_BUCKET",
        "an S3 bucket name",
      ],
      [
        "an unknown TF_STATE_REGION",
        { TF_STATE_REGION: "nowhere-1" },
        "TF_STATE_REGION",
        "an AWS region name",
      ],
      [
        "an unknown environment in STACK_ENVIRONMENTS",
        { STACK_ENVIRONMENTS: "dev,qa" },
        "STACK_ENVIRONMENTS",
        "dev, staging, prod",
      ],
      [
        "an empty STACK_ENVIRONMENTS list",
        { STACK_ENVIRONMENTS: "," },
        "STACK_ENVIRONMENTS",
        "a comma-separated list",
      ],
    ])("rejects %s", (_, env, field, allowed) => {
      expect(problemsOf(env)).toEqual([
        expect.objectContaining({
          scope: "environment-variables",
          field,
          allowed: expect.stringContaining(allowed),
        }),
      ]);
    });

    test("rejects a file that is missing or not JSON", () => {
      expect(problemsOf({ STACK_CONFIG_FILE: join(SETTINGS_TEST_DIR, "nope.json") })).toEqual([
        expect.objectContaining({
          scope: "config-file",
          field: "STACK_CONFIG_FILE",
          allowed: expect.stringContaining("ENOENT"),
        }),
      ]);
      expect(problemsOf(overrideFile("{ nope"))).toEqual([
        expect.objectContaining({
          scope: "config-file",
          field: "STACK_CONFIG_FILE",
          allowed: expect.stringContaining("valid JSON"),
        }),
      ]);
    });

    test.each<[string, Partial<ProjectDefinition>, string, string]>([
      [
        "a duplicate environment",
        { environments: [PROJECT.environments[0], PROJECT.environments[0]] as never },
        "environments[1].name",
        "a name no other environment uses",
      ],
      [
        "an environment named like the registry stack",
        { environments: [{ ...PROJECT.environments[0], name: "registry" }] as never },
        "environments[0].name",
        "other than registry",
      ],
      [
        "an unknown preset",
        { environments: [{ ...PROJECT.environments[0], preset: "qa" }] as never },
        "environments[0].preset",
        "one of dev, staging, prod",
      ],
      ["an uppercase project name", { project: "Orders" }, "project", "2-16 lowercase letters"],
    ])("rejects %s", (_, change, field, allowed) => {
      expect(problemsOf({}, { ...PROJECT, ...change })).toEqual([
        expect.objectContaining({ scope: "project", field, allowed: expect.stringContaining(allowed) }),
      ]);
    });
  });
});

test("prod may turn ECS Exec on with the break-glass setting", () => {
  expect(
    problemsOf(
      overrideFile({ prod: { service: { enableExecuteCommand: true, executeCommandBreakGlass: true } } }),
    ),
  ).toEqual([]);
});
