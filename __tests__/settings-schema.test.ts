/**
 * The configuration validation, case by case: each bad configuration must fail with exactly one
 * problem that names its scope (environment), the setting, and what is allowed.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings } from "../stacks/config/load";
import { SettingsError } from "../stacks/config/problems";
import type { ProcessEnv } from "../stacks/config/load";
import { PROJECT } from "../stacks/config/project";
import type { ProjectDefinition } from "../stacks/config/settings";
import type { SettingsProblem } from "../stacks/config/problems";

const dir = mkdtempSync(join(tmpdir(), "settings-schema-"));
let files = 0;
function overrideFile(content: unknown): ProcessEnv {
  const path = join(dir, `override-${files++}.json`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return { STACK_CONFIG_FILE: path };
}

function problemsOf(env: ProcessEnv, definition: ProjectDefinition = PROJECT): readonly SettingsProblem[] {
  try {
    loadSettings(definition, env);
    return [];
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
}

const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbC123";
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd-1234";
const hc = (change: Record<string, unknown>) => ({ dev: { service: { healthCheck: change } } });

/** [case, override file, scope, field(s), what the allowed text must contain] */
type Case = [string, Record<string, unknown>, string, string | string[], string];

const expected = (scope: string, field: string | string[], allowed: string) =>
  (Array.isArray(field) ? field : [field]).map((f) =>
    expect.objectContaining({ scope, field: f, allowed: expect.stringContaining(allowed) }),
  );

const CASES: Case[] = [
  // network
  [
    "malformed VPC CIDR",
    { prod: { network: { vpcCidr: "10.0.0/16" } } },
    "prod",
    "network.vpcCidr",
    "an IPv4 network CIDR",
  ],
  [
    "VPC prefix wider than /16",
    { prod: { network: { vpcCidr: "10.0.0.0/12" } } },
    "prod",
    "network.vpcCidr",
    "/16 to /24",
  ],
  [
    "VPC prefix narrower than /24",
    { prod: { network: { vpcCidr: "10.0.0.0/25" } } },
    "prod",
    "network.vpcCidr",
    "/16 to /24",
  ],
  [
    "VPC CIDR with host bits",
    { prod: { network: { vpcCidr: "10.0.0.1/16" } } },
    "prod",
    "network.vpcCidr",
    "host bits zero",
  ],
  [
    "one AZ",
    { dev: { network: { availabilityZones: ["eu-west-1a"] } } },
    "dev",
    "network.availabilityZones",
    "2 to 3",
  ],
  [
    "four AZs",
    { dev: { network: { availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d"] } } },
    "dev",
    "network.availabilityZones",
    "2 to 3",
  ],
  [
    "an AZ of another region",
    { dev: { network: { availabilityZones: ["eu-west-1a", "us-east-1a"] } } },
    "dev",
    "network.availabilityZones[1]",
    "availability zone of eu-west-1: eu-west-1a, eu-west-1b, eu-west-1c",
  ],
  [
    "the same AZ twice",
    { dev: { network: { availabilityZones: ["eu-west-1a", "eu-west-1a"] } } },
    "dev",
    "network.availabilityZones",
    "distinct",
  ],
  [
    "more AZs than the CIDR fits",
    { dev: { network: { vpcCidr: "10.0.0.0/22", subnetPrefixLength: 24 } } },
    "dev",
    "network.availabilityZones",
    "at most 1 AZs",
  ],
  [
    "a subnet smaller than the /27 an ALB needs",
    { dev: { network: { subnetPrefixLength: 28 } } },
    "dev",
    "network.subnetPrefixLength",
    "an integer from 17 to 27 (longer than the VPC prefix /16, at most /27: an ALB needs /27 subnets or larger)",
  ],
  [
    "an unknown NAT strategy",
    { dev: { network: { natStrategy: "shared" } } },
    "dev",
    "network.natStrategy",
    "one of 'per-az', 'single', 'none'",
  ],
  [
    "an unknown interface endpoint",
    { dev: { network: { interfaceEndpoints: ["sqs"] } } },
    "dev",
    "network.interfaceEndpoints[0]",
    "'ecr.api'",
  ],
  [
    "no NAT and no endpoints",
    { dev: { network: { natStrategy: "none" } } },
    "dev",
    "network.interfaceEndpoints",
    "missing: ecr.api for image pulls, ecr.dkr for image pulls, logs for container logs",
  ],
  [
    "no NAT, Secrets Manager secrets but no secretsmanager endpoint",
    {
      dev: {
        network: { natStrategy: "none", interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"] },
        service: { secrets: { DB: SECRET } },
      },
    },
    "dev",
    "network.interfaceEndpoints",
    "missing: secretsmanager for service.secrets from Secrets Manager",
  ],
  [
    "a flow-log retention CloudWatch lacks",
    { dev: { network: { flowLogRetentionDays: 45 } } },
    "dev",
    "network.flowLogRetentionDays",
    "CloudWatch Logs retention",
  ],
  [
    "a cache tier that is not a boolean",
    { dev: { network: { cacheTier: "yes" } } },
    "dev",
    "network.cacheTier",
    "true or false",
  ],
  ["an unknown region", { dev: { region: "eu-west-9" } }, "dev", "region", "an AWS region name"],
  ["a short account id", { dev: { accountId: "1234" } }, "dev", "accountId", "a 12-digit AWS account id"],
  // service
  [
    "a container port out of range",
    { dev: { service: { containerPort: 70000 } } },
    "dev",
    "service.containerPort",
    "a TCP port from 1 to 65535",
  ],
  ["a CPU Fargate lacks", { dev: { service: { cpu: 300 } } }, "dev", "service.cpu", "one of 256, 512"],
  [
    "a cpu/memory pair Fargate lacks",
    { dev: { service: { cpu: 512, memory: 512 } } },
    "dev",
    "service.memory",
    "with 512 CPU units: 1024, 2048, 3072, 4096",
  ],
  [
    "an unknown CPU architecture",
    { dev: { service: { cpuArchitecture: "arm" } } },
    "dev",
    "service.cpuArchitecture",
    "'X86_64', 'ARM64'",
  ],
  [
    "desired count below 1",
    { dev: { service: { desiredCount: 0 } } },
    "dev",
    "service.desiredCount",
    "an integer from 1 to 1000",
  ],
  [
    "min above max",
    { dev: { service: { autoscaling: { minCount: 3, maxCount: 2 } } } },
    "dev",
    "service.autoscaling.minCount",
    "at most service.autoscaling.maxCount (2)",
  ],
  [
    "desired outside min..max",
    { dev: { service: { desiredCount: 5 } } },
    "dev",
    "service.desiredCount",
    "within service.autoscaling.minCount..maxCount (1..2)",
  ],
  [
    "a CPU target of 100%",
    { dev: { service: { autoscaling: { cpuTargetPercent: 100 } } } },
    "dev",
    "service.autoscaling.cpuTargetPercent",
    "an integer from 10 to 95",
  ],
  [
    "a negative cooldown",
    { dev: { service: { autoscaling: { scaleInCooldownSeconds: -1 } } } },
    "dev",
    "service.autoscaling.scaleInCooldownSeconds",
    "from 0 to 3600",
  ],
  [
    "no capacity weight",
    { dev: { service: { capacity: { fargateWeight: 0, spotWeight: 0 } } } },
    "dev",
    "service.capacity.fargateWeight",
    "above 0 when service.capacity.spotWeight is 0",
  ],
  [
    "a password in environment",
    { dev: { service: { environment: { DB_PASSWORD: "x" } } } },
    "dev",
    "service.environment.DB_PASSWORD",
    "its name contains PASSWORD",
  ],
  [
    "an API key in environment",
    { dev: { service: { environment: { STRIPE_API_KEY: "x" } } } },
    "dev",
    "service.environment.STRIPE_API_KEY",
    "its name contains API_KEY",
  ],
  [
    "a token in environment",
    { dev: { service: { environment: { GITHUB_TOKEN: "x" } } } },
    "dev",
    "service.environment.GITHUB_TOKEN",
    "its name contains TOKEN",
  ],
  [
    "a private key in environment",
    { dev: { service: { environment: { TLS_KEY_PEM: "-----BEGIN PRIVATE KEY-----\nabc" } } } },
    "dev",
    "service.environment.TLS_KEY_PEM",
    "a PEM private key",
  ],
  [
    "credentials inside a URL",
    { dev: { service: { environment: { DATABASE_URL: "postgres://app:pw@db/app" } } } },
    "dev",
    "service.environment.DATABASE_URL",
    "a URL with credentials",
  ],
  [
    "an invalid variable name",
    { dev: { service: { environment: { "1BAD": "x" } } } },
    "dev",
    'service.environment["1BAD"]',
    "a key that is a variable name of letters, digits and underscores",
  ],
  [
    "a malformed secret ARN",
    { dev: { service: { secrets: { DB: "arn:aws:secretsmanager:eu-west-1:123:secret:x" } } } },
    "dev",
    "service.secrets.DB",
    "a Secrets Manager secret ARN",
  ],
  [
    "a variable both plain and secret",
    { dev: { service: { environment: { DB: "x" }, secrets: { DB: SECRET } } } },
    "dev",
    "service.secrets.DB",
    "a name not also used in service.environment",
  ],
  [
    "a malformed secrets KMS key",
    { dev: { service: { secretsKmsKeyArns: ["alias/x"] } } },
    "dev",
    "service.secretsKmsKeyArns[0]",
    "a KMS key ARN",
  ],
  [
    "a relative health-check path",
    hc({ path: "health" }),
    "dev",
    "service.healthCheck.path",
    "an absolute URL path",
  ],
  [
    "a health-check timeout not below the interval",
    hc({ timeoutSeconds: 15 }),
    "dev",
    "service.healthCheck.timeoutSeconds",
    "less than service.healthCheck.intervalSeconds (15)",
  ],
  [
    "a grace period shorter than the start period",
    hc({ startPeriodSeconds: 120 }),
    "dev",
    "service.healthCheck.gracePeriodSeconds",
    "at least 120",
  ],
  [
    "a grace period shorter than healthy threshold × interval",
    hc({ healthyThreshold: 5 }),
    "dev",
    "service.healthCheck.gracePeriodSeconds",
    "at least 75",
  ],
  [
    "an interval above 300",
    hc({ intervalSeconds: 301 }),
    "dev",
    "service.healthCheck.intervalSeconds",
    "an integer from 5 to 300",
  ],
  [
    "a healthy threshold of 1",
    hc({ healthyThreshold: 1 }),
    "dev",
    "service.healthCheck.healthyThreshold",
    "an integer from 2 to 10",
  ],
  [
    "a health command without CMD",
    hc({ command: ["curl localhost"] }),
    "dev",
    "service.healthCheck.command",
    '["CMD", "<executable>", ...args] (no shell) or ["CMD-SHELL", "<one command line>"]',
  ],
  [
    "a stop timeout Fargate does not allow",
    { dev: { service: { stopTimeoutSeconds: 200 } } },
    "dev",
    "service.stopTimeoutSeconds",
    "an integer from 2 to 120",
  ],
  ["a root user", { dev: { service: { user: "root" } } }, "dev", "service.user", "a non-root user"],
  [
    "a container log retention CloudWatch lacks",
    { dev: { service: { logRetentionDays: 10 } } },
    "dev",
    "service.logRetentionDays",
    "CloudWatch Logs retention",
  ],
  [
    "latest as the default image tag",
    { dev: { service: { imageTagDefault: "latest" } } },
    "dev",
    "service.imageTagDefault",
    'not "latest"',
  ],
  [
    "an image tag with a space",
    { dev: { service: { imageTagDefault: "v 1" } } },
    "dev",
    "service.imageTagDefault",
    "a Docker tag",
  ],
  [
    "an uppercase service name",
    { dev: { service: { name: "API" } } },
    "dev",
    "service.name",
    "lowercase letters",
  ],
  // edge
  [
    "a malformed domain",
    { dev: { edge: { domainName: "api..dev.example.com" } } },
    "dev",
    "edge.domainName",
    "a lowercase fully qualified domain name",
  ],
  [
    "a wildcard domain",
    { dev: { edge: { domainName: "*.dev.example.com" } } },
    "dev",
    "edge.domainName",
    "no wildcard",
  ],
  [
    "HTTPS with neither zone nor certificate",
    { dev: { edge: { hostedZoneName: null } } },
    "dev",
    "edge.hostedZoneName",
    "a certificate source for HTTPS",
  ],
  [
    "HTTPS with no domain and no certificate",
    { dev: { edge: { domainName: null, hostedZoneName: null } } },
    "dev",
    "edge.domainName",
    "a certificate source for HTTPS",
  ],
  [
    "a zone that does not contain the domain",
    { dev: { edge: { hostedZoneName: "example.org" } } },
    "dev",
    "edge.domainName",
    "a name inside the hosted zone example.org",
  ],
  [
    "an alternative name outside the zone",
    { dev: { edge: { subjectAlternativeNames: ["www.example.org"] } } },
    "dev",
    "edge.subjectAlternativeNames",
    "names inside the hosted zone dev.example.com",
  ],
  [
    "both a zone id and a zone name",
    { dev: { edge: { hostedZoneId: "Z0123456789ABC" } } },
    "dev",
    "edge.hostedZoneName",
    "unset when edge.hostedZoneId is set",
  ],
  [
    "a malformed zone id",
    { dev: { edge: { hostedZoneName: null, hostedZoneId: "example.com" } } },
    "dev",
    "edge.hostedZoneId",
    "a Route 53 hosted zone id",
  ],
  [
    "a load balancer name over 32 characters",
    { dev: { edge: { loadBalancerName: "orders-api-development-eu-west-1x" } } },
    "dev",
    "edge.loadBalancerName",
    "at most 32",
  ],
  [
    "a TLS 1.0 policy",
    { dev: { edge: { sslPolicy: "ELBSecurityPolicy-2016-08" } } },
    "dev",
    "edge.sslPolicy",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  ],
  [
    "a malformed certificate ARN",
    { dev: { edge: { certificateArn: "arn:aws:acm:eu-west-1:1:certificate/x" } } },
    "dev",
    "edge.certificateArn",
    "an ACM certificate ARN",
  ],
  [
    "a certificate from another region",
    { dev: { edge: { certificateArn: CERT.replace("eu-west-1", "us-east-1") } } },
    "dev",
    "edge.certificateArn",
    "an ARN in eu-west-1, the environment's region",
  ],
  [
    "alternative names with an existing certificate",
    { dev: { edge: { certificateArn: CERT, subjectAlternativeNames: ["www.dev.example.com"] } } },
    "dev",
    "edge.subjectAlternativeNames",
    "[] when edge.certificateArn is set",
  ],
  [
    "a deregistration delay longer than the stop timeout",
    { dev: { edge: { deregistrationDelaySeconds: 60 } } },
    "dev",
    "edge.deregistrationDelaySeconds",
    "at most service.stopTimeoutSeconds (30 s)",
  ],
  [
    "an idle timeout of 0",
    { dev: { edge: { idleTimeoutSeconds: 0 } } },
    "dev",
    "edge.idleTimeoutSeconds",
    "an integer from 1 to 4000",
  ],
  // state and tags
  [
    "an invalid state bucket",
    { dev: { state: { bucket: "My_Bucket" } } },
    "dev",
    "state.bucket",
    "an S3 bucket name",
  ],
  [
    "a state bucket region that does not exist",
    { dev: { state: { region: "eu-west-42" } } },
    "dev",
    "state.region",
    "an AWS region name",
  ],
  [
    "a reserved tag key",
    { dev: { tags: { "aws:owner": "x" } } },
    "dev",
    'tags["aws:owner"]',
    'not starting with "aws:" in any case',
  ],
  // registry
  [
    "an invalid repository name",
    { registry: { repositoryName: "Orders API" } },
    "registry",
    "repositoryName",
    "an ECR repository name",
  ],
  [
    "untagged images that never expire",
    { registry: { untaggedImageExpiryDays: 0 } },
    "registry",
    "untaggedImageExpiryDays",
    "from 1 to 3650",
  ],
  [
    "keeping no tagged image",
    { registry: { taggedImagesToKeep: 0 } },
    "registry",
    "taggedImagesToKeep",
    "from 1 to 10000",
  ],
  [
    "a registry in an unknown region",
    { registry: { region: "mars-1" } },
    "registry",
    "region",
    "an AWS region name",
  ],
  [
    "environment and registry pinned to different accounts",
    { registry: { accountId: "111111111111" }, dev: { accountId: "222222222222" } },
    "dev",
    "accountId",
    "the registry's account 111111111111",
  ],
  [
    "no NAT while the registry is in another region",
    {
      registry: { region: "us-east-1" },
      dev: { network: { natStrategy: "none", interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"] } },
    },
    "dev",
    "network.natStrategy",
    "while the registry is in us-east-1",
  ],
  // the file itself
  [
    "an environment that does not exist",
    { qa: {} },
    "config-file",
    "qa",
    "an environment name (dev, staging, prod)",
  ],
  [
    "a misspelt setting",
    { dev: { network: { natStratgy: "single" } } },
    "dev",
    "network.natStratgy",
    "a known setting; settings here: vpcCidr",
  ],
  [
    "a misspelt group",
    { dev: { servce: {} } },
    "dev",
    "servce",
    "a known setting; settings here: region, accountId, tags, network, service, edge, state",
  ],
  [
    "a scalar where a group belongs",
    { dev: { service: 3 } },
    "dev",
    "service",
    "an object with the settings name, containerPort",
  ],
  ["a preset change", { prod: { preset: "dev" } }, "prod", "preset", "a known setting"],
];

/** prod invariants: each broken on its own in the prod environment. */
const PROD_CASES: Case[] = [
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

  test.each(CASES)("rejects %s", (_, override, scope, field, allowed) => {
    expect(problemsOf(overrideFile(override))).toEqual(expected(scope, field, allowed));
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
      expect(problemsOf(overrideFile(override))).toEqual(expected(scope, field, allowed));
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
      expect(problemsOf({ STACK_CONFIG_FILE: join(dir, "nope.json") })).toEqual([
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
