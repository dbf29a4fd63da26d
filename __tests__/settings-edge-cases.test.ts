/**
 * Hostile and unusual override files, one row per class of input the loader once mishandled:
 * each is refused with a message naming the environment, the field and what is allowed, or
 * accepted with the meaning a user would expect.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { containerHealthCheck } from "../constructs/model/health-check";
import { loadSettings } from "../stacks/config/load";
import { SettingsError } from "../stacks/config/problems";
import { EXAMPLE_PROJECT as PROJECT } from "../stacks/config/example-project";
import type { EnvironmentSettings, ProjectSettings } from "../stacks/config/settings";

const dir = mkdtempSync(join(tmpdir(), "settings-edge-cases-"));
let fileCount = 0;
const ARN_123 = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbC123";
const KEY_123 = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function load(content: unknown): ProjectSettings {
  const path = join(dir, `overrides-${fileCount++}.json`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return loadSettings(PROJECT, { STACK_CONFIG_FILE: path });
}

/** The problem lines of a refused file (the file name normalized), or a failure when it loads. */
function refusal(content: unknown): string[] {
  try {
    load(content);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return error.problems.map((p) => `[${p.scope}] ${p.field}: ${p.allowed}`);
  }
  throw new Error("expected the configuration to be refused");
}

const env = (project: ProjectSettings, name: string) =>
  project.environments.find((e) => e.name === name) as EnvironmentSettings;
const manyEntries = (count: number, value: (i: number) => string) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`VAR_${i}`, value(i)]));

test("a file with bytes that are not UTF-8 is refused, not read with its text altered", () => {
  const path = join(dir, "latin1.json");
  writeFileSync(
    path,
    Buffer.concat([Buffer.from('{"dev": {"tags": {"team": "'), Buffer.from([0xe9]), Buffer.from('"}}}')]),
  );
  expect(() => loadSettings(PROJECT, { STACK_CONFIG_FILE: path })).toThrow(
    /STACK_CONFIG_FILE: got '.*latin1\.json'; allowed: a UTF-8 text file \(the byte at offset 27, line 1, is not UTF-8; save the file as UTF-8\)/,
  );
  const replacement = join(dir, "replacement-character.json");
  writeFileSync(replacement, '{"dev": {"service": {"environment": {"GREETING": "\uFFFD"}}}}');
  expect(() => loadSettings(PROJECT, { STACK_CONFIG_FILE: replacement })).not.toThrow();
});

test("a file over 1 MiB is refused before it is read", () => {
  const path = join(dir, "huge.json");
  writeFileSync(path, `{"dev": {"tags": {"a": "${"x".repeat(1024 * 1024)}"}}}`);
  expect(() => loadSettings(PROJECT, { STACK_CONFIG_FILE: path })).toThrow(
    /STACK_CONFIG_FILE: got '.*huge\.json'; allowed: a file of at most 1024 KiB \(this one has 1048604 bytes\)/,
  );
});

describe("refused, naming the environment, the field and what is allowed", () => {
  test.each<[string, unknown, RegExp[]]>([
    [
      "a key given twice in the file (with both lines)",
      '{\n  "dev": {\n    "edge": { "waf": true },\n    "edge": { "waf": false }\n  }\n}',
      [/^\[config-file\] dev\.edge: one entry per key: .* sets "edge" at line 3 and again at line 4$/],
    ],
    [
      "an empty or whitespace-only file, named as such",
      "  \n\t\n",
      [
        /^\[config-file\] STACK_CONFIG_FILE: a JSON object of overrides; overrides-\d+\.json is empty \(write \{\} for no overrides\)$/,
      ],
    ],
    [
      "a comment (the file is strict JSON), with its position",
      '{\n  // prod later\n  "dev": {}\n}',
      [/^\[config-file\] STACK_CONFIG_FILE: valid JSON: a comment \(JSON has none\) at line 2, column 3$/],
    ],
    [
      "a file nested 100,000 levels deep (it once overflowed the stack)",
      `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`,
      [
        /^\[config-file\] STACK_CONFIG_FILE: JSON nested at most 32 levels deep; overrides-\d+\.json nests 100000$/,
      ],
    ],
    [
      "a typo of a setting, with the name it most likely meant first",
      { dev: { service: { contianerPort: 8081 } } },
      [/^\[dev\] service\.contianerPort: did you mean "containerPort"\? A known setting; settings here: /],
    ],
    [
      "a region that does not exist, with the regions spelled out",
      { dev: { region: "eu-west-9" } },
      [/^\[dev\] region: an AWS region name: us-east-1, .*af-south-1, .*eu-west-1, .*us-gov-west-1$/],
    ],
    [
      "an escalation action in prod, even acknowledged as broad, without a reason",
      {
        prod: {
          service: {
            taskRoleBroadAccessAcknowledged: true,
            taskRoleStatements: [
              { actions: ["iam:PassRole"], resources: ["arn:aws:iam::123456789012:role/*"] },
            ],
          },
        },
      },
      [
        /^\[prod\] service\.taskRoleStatements\[0\]: no action that can escalate privileges in prod \(found iam:PassRole\): arn:aws:iam::123456789012:role\/\* is as broad as "\*" .*what passes: iam:PassRole on a named role with the condition iam:PassedToService\); or service\.taskRoleEscalationReason saying why/,
      ],
    ],
    [
      "a dev setting that names prod's resources (a secret, a role), naming both environments",
      {
        dev: {
          service: {
            secrets: {
              REPORTING_KEY:
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-api-prod/reporting-AbCdEf",
            },
            taskRoleStatements: [
              { actions: ["s3:GetObject"], resources: ["arn:aws:s3:::orders-api-prod-exports/*"] },
            ],
          },
        },
      },
      [
        /^\[dev\] service\.secrets\.REPORTING_KEY: a resource of dev, not of prod \(orders-api-prod\.\.\.\)/,
        /^\[dev\] service\.taskRoleStatements\[0\]\.resources\[0\]: a resource of dev, not of prod/,
      ],
    ],
    [
      "a key administrator of another account than the pinned one",
      { prod: { keyAdministratorArns: ["arn:aws:iam::999999999999:role/admins"] } },
      [
        /^\[prod\] keyAdministratorArns\[0\]: a role of 123456789012 \(the environment's account\); a role of 999999999999 would manage this stack's keys from another account: set foreignKeyAdministratorsAcknowledged: true if that is intended$/,
      ],
    ],
    [
      "overlapping internet egress entries",
      { dev: { network: { appInternetEgress: ["0.0.0.0/0", "203.0.113.0/24"] } } },
      [
        /^\[dev\] network\.appInternetEgress: entries that do not overlap \(0\.0\.0\.0\/0 and 203\.0\.113\.0\/24 overlap: keep the wider one\)$/,
      ],
    ],
    [
      "overlapping VPCs of environments pinned to the same account and region, with a free range",
      { staging: { accountId: "123456789012", network: { vpcCidr: "10.30.128.0/17" } } },
      [
        /^\[staging\] network\.vpcCidr: a range that does not overlap prod's 10\.30\.0\.0\/16 \(both in eu-west-1 of 123456789012\), e\.g\. 10\.0\.0\.0\/16$/,
        /^\[prod\] network\.vpcCidr: a range that does not overlap staging's 10\.30\.128\.0\/17/,
      ],
    ],
    [
      "no NAT and no endpoints: the cheaper fix (one NAT gateway) named first",
      { dev: { network: { natStrategy: "none", appInternetEgress: [] } } },
      [
        /^\[dev\] network\.interfaceEndpoints: cheapest: network\.natStrategy "single" with network\.appInternetEgress \["0\.0\.0\.0\/0"\] \(one NAT gateway, about \$32 a month, against about \$75 for the missing endpoints\); or a list including ecr\.api/,
      ],
    ],
    [
      "a dotted key outside a map",
      { dev: { "service.cpu": 512 } },
      [/^\[config-file\] dev\.service\.cpu: a key without dots .*\{"service": \{"cpu": 512\}\}/],
    ],
    [
      "__proto__ as a tag, variable or secret name (it would vanish silently)",
      '{"dev": {"tags": {"__proto__": "x"}, "service": {"environment": {"__proto__": "x"}, "secrets": {"__proto__": "' +
        ARN_123 +
        '"}}}}',
      [
        /^\[dev\] tags\["__proto__"\]: a key that is a tag key/,
        /^\[dev\] service\.environment\["__proto__"\]: a key that is a variable name/,
        /^\[dev\] service\.secrets\["__proto__"\]: a key that is a variable name/,
      ],
    ],
    [
      "a wrong type read by a cross-field rule (reported once, no TypeError)",
      { dev: { edge: { domainName: 5, hostedZoneName: "example.com" } } },
      [/^\[dev\] edge\.domainName: a lowercase fully qualified domain name/],
    ],
    [
      "more tags than fit beside the stacks' own (AWS allows 50 per resource)",
      { dev: { tags: manyEntries(45, () => "v") } },
      [/^\[dev\] tags: .*\(at most 44 entries\)$/],
    ],
    [
      "tag keys AWS reserves (aws: in any case) or the stacks set (in any case)",
      { dev: { tags: { "AWS:Team": "x", environment: "y", Name: "z" } } },
      [
        /^\[dev\] tags\["AWS:Team"\]: a key that is .*not starting with "aws:" in any case/,
        /^\[dev\] tags\.environment: a key that is .*other than the tags the stacks set/,
        /^\[dev\] tags\.Name: a key that is .*other than the tags the stacks set/,
      ],
    ],
    [
      "subnets smaller than an ALB accepts (/27)",
      { dev: { network: { subnetPrefixLength: 28 } } },
      [
        /^\[dev\] network\.subnetPrefixLength: an integer from 17 to 27 .*an ALB needs \/27 subnets or larger/,
      ],
    ],
    [
      "a VPC range AWS asks VPCs to avoid",
      { dev: { network: { vpcCidr: "172.17.0.0/16" } } },
      [/^\[dev\] network\.vpcCidr: a range outside 172\.17\.0\.0\/16/],
    ],
    [
      "a zone letter the region lacks",
      {
        dev: {
          region: "ca-central-1",
          state: { region: "ca-central-1" },
          network: { availabilityZones: ["ca-central-1a", "ca-central-1c"] },
        },
      },
      [
        /^\[dev\] network\.availabilityZones\[1\]: an availability zone of ca-central-1: ca-central-1a, ca-central-1b, ca-central-1d$/,
      ],
    ],
    [
      "a load-balancer name another environment uses in the same region",
      { staging: { edge: { loadBalancerName: "orders-api-dev" } } },
      [
        /^\[dev\] edge\.loadBalancerName: a name the staging environment does not use too/,
        /^\[staging\] edge\.loadBalancerName: a name the dev environment does not use too/,
      ],
    ],
    [
      "a secret or key ARN of another partition than the region's",
      {
        dev: {
          service: {
            secrets: { DB_PASSWORD: ARN_123.replace("arn:aws:", "arn:aws-cn:") },
            secretsKmsKeyArns: [KEY_123.replace("arn:aws:", "arn:aws-us-gov:")],
          },
        },
      },
      [
        /^\[dev\] service\.secrets\.DB_PASSWORD: an ARN of the aws partition, the partition of eu-west-1$/,
        /^\[dev\] service\.secretsKmsKeyArns\[0\]: an ARN of the aws partition/,
      ],
    ],
    [
      "a secret of another account than the pinned one, without that account's key",
      {
        dev: {
          accountId: "111111111111",
          service: {
            secrets: {
              DB_PASSWORD: ARN_123,
              API_TOKEN: "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/token",
            },
          },
        },
      },
      [
        /^\[dev\] service\.secrets\.DB_PASSWORD: a secret in account 111111111111, or one of account 123456789012 together with its customer managed KMS key/,
        /^\[dev\] service\.secrets\.API_TOKEN: an SSM parameter in account 111111111111/,
      ],
    ],
    [
      "an existing certificate of another account or region",
      {
        dev: {
          accountId: "111111111111",
          edge: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123" },
        },
        staging: { edge: { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123" } },
      },
      [
        /^\[dev\] edge\.certificateArn: an ARN in account 111111111111/,
        /^\[staging\] edge\.certificateArn: an ARN in eu-west-1, the environment's region$/,
      ],
    ],
    [
      "secret-looking names in camelCase or with vendor prefixes, and vendor token values",
      {
        dev: {
          service: {
            environment: {
              dbPassword: "x",
              stripeApiKey: "y",
              GITHUB_PAT: "z",
              SLACK_WEBHOOK: "https://hooks.example.com/x",
              PLAIN: "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            },
          },
        },
      },
      [
        /^\[dev\] service\.environment\.dbPassword: a non-secret setting; its name contains PASSWORD/,
        /^\[dev\] service\.environment\.stripeApiKey: a non-secret setting; its name contains API_KEY/,
        /^\[dev\] service\.environment\.GITHUB_PAT: a non-secret setting; its name contains PAT/,
        /^\[dev\] service\.environment\.SLACK_WEBHOOK: a non-secret setting; its name contains WEBHOOK/,
        /^\[dev\] service\.environment\.PLAIN: a non-secret setting; its value looks like a GitHub token/,
      ],
    ],
    [
      "what would reach a shell: a health-check path with a space, a command with a newline",
      {
        dev: { service: { healthCheck: { path: "/health reboot" } } },
        staging: { service: { healthCheck: { command: ["CMD-SHELL", "curl -f localhost\nreboot"] } } },
      },
      [
        /^\[dev\] service\.healthCheck\.path: an absolute URL path/,
        /^\[staging\] service\.healthCheck\.command: .*no empty parts or control characters/,
      ],
    ],
    [
      "a task definition larger than ECS accepts (64 KiB)",
      { dev: { service: { environment: manyEntries(70, (i) => `${i}`.padEnd(1000, "x")) } } },
      [/^\[dev\] service\.environment: a task definition under 65536 bytes; this one is about \d+/],
    ],
  ])("%s", (_, content, expected) => {
    const lines = refusal(content);
    expect(lines).toHaveLength(expected.length);
    expected.forEach((pattern, i) => expect(lines[i]).toMatch(pattern));
  });
});

describe("accepted, meaning what a user would expect", () => {
  test("Unicode letters in tags, and dots in keys inside maps", () => {
    const dev = env(load({ dev: { tags: { Équipe: "café ü 日本", "team.name": "payments" } } }), "dev");
    expect(dev.tags).toEqual({ Équipe: "café ü 日本", "team.name": "payments" });
  });

  test("a hosted zone name with its trailing dot", () => {
    const dev = env(
      load({ dev: { edge: { domainName: "api.example.com", hostedZoneName: "example.com." } } }),
      "dev",
    );
    expect(dev.edge.hostedZoneName).toBe("example.com.");
  });

  test("null sets a value back to its default, and removes a map entry", () => {
    const project = load({
      dev: { edge: { waf: true } },
      staging: { edge: { waf: null }, service: { environment: { LOG_LEVEL: null } } },
      prod: { service: null },
    });
    expect(env(project, "dev").edge.waf).toBe(true);
    expect(env(project, "staging").edge.waf).toBe(false);
    expect(env(project, "staging").service.environment).toEqual({});
    // The whole group back to the preset's defaults: prod's built-in LOG_LEVEL goes with it.
    expect(env(project, "prod").service.environment).toEqual({});
    expect(env(project, "prod").service.cpu).toBe(env(loadSettings(PROJECT, {}), "prod").service.cpu);
  });

  test("a secret of another account with that account's customer managed key", () => {
    const dev = env(
      load({
        dev: {
          accountId: "111111111111",
          service: { secrets: { DB_PASSWORD: ARN_123 }, secretsKmsKeyArns: [KEY_123] },
        },
      }),
      "dev",
    );
    expect(dev.service.secrets).toEqual({ DB_PASSWORD: ARN_123 });
  });

  test("a health-check path with shell characters stays one argument: the default check runs no shell", () => {
    const dev = env(load({ dev: { service: { healthCheck: { path: "/health;reboot" } } } }), "dev");
    expect(dev.service.healthCheck.path).toBe("/health;reboot");
    const command = containerHealthCheck(dev.service.healthCheck, dev.service.containerPort).command;
    expect(command).toEqual([
      "CMD",
      "curl",
      "-fsS",
      `http://localhost:${dev.service.containerPort}/health;reboot`,
    ]);
  });

  test("the same load-balancer name in environments of different regions", () => {
    const project = load({
      staging: {
        region: "us-east-1",
        state: { region: "us-east-1" },
        network: { availabilityZones: ["us-east-1a", "us-east-1b"] },
        edge: { loadBalancerName: "orders-api-dev" },
      },
    });
    expect(env(project, "staging").edge.loadBalancerName).toBe(env(project, "dev").edge.loadBalancerName);
  });
});

describe("accepted: the reviewed and narrow forms", () => {
  test("an escalation action in prod with a reason, a dev resource in dev, an acknowledged foreign key administrator", () => {
    const project = load({
      prod: {
        keyAdministratorArns: ["arn:aws:iam::999999999999:role/admins"],
        foreignKeyAdministratorsAcknowledged: true,
        service: {
          taskRoleBroadAccessAcknowledged: true,
          taskRoleEscalationReason:
            "The exporter hands its role to AWS Glue jobs it starts (ticket SEC-123).",
          taskRoleStatements: [
            { actions: ["iam:PassRole"], resources: ["arn:aws:iam::123456789012:role/orders-api-prod-glue"] },
          ],
        },
      },
      dev: {
        service: {
          taskRoleStatements: [
            { actions: ["s3:GetObject"], resources: ["arn:aws:s3:::orders-api-dev-exports/*"] },
          ],
        },
      },
    });
    expect(env(project, "prod").service.taskRoleEscalationReason).toMatch(/Glue/);
    expect(env(project, "dev").service.taskRoleStatements).toHaveLength(1);
  });
});
