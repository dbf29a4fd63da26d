/**
 * Release safety: every plan checks the image tag and the configured secrets before anything
 * changes, prod deploys only release tags the lifecycle policy never expires, and a deployment
 * is rolled back by the 5xx-rate and unhealthy-hosts alarms. npm run e2e shows each refusal on a
 * deployed environment.
 */
import { tagPatternsRegex } from "../constructs/model/registry";
import { build } from "./support/environment-stack";
import { SECRET, overrideFile, problemsOf } from "./support/settings";
import { blockOf, dataSources, resources } from "./support/synth";
import type { Block } from "./support/synth";

const SSM = "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/api-key";
const OTHER_ACCOUNT = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:shared/key-XyZ987";

describe("plan-time release checks", () => {
  const prod = build(
    "prod",
    {},
    {
      service: {
        secrets: { DB_PASSWORD: SECRET, API_KEY: SSM, SHARED: OTHER_ACCOUNT },
        secretsKmsKeyArns: ["arn:aws:kms:eu-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
      },
    },
  );

  it("look the image up by the tag being deployed, keyed by it so a missing one is named", () => {
    const image = dataSources(prod.json, "aws_ecr_image").image_to_deploy;
    expect(image?.for_each).toBe("${toset([var.image_tag])}");
    expect(image?.image_tag).toBe("${each.value}");
    expect(image?.repository_name).toBe("orders-api");
  });

  it("look up each Secrets Manager secret of the environment's account by its ARN, keyed by its variable", () => {
    const secrets = Object.values(dataSources(prod.json, "aws_secretsmanager_secret"));
    expect(secrets).toHaveLength(1);
    expect(secrets[0]?.for_each).toEqual({ DB_PASSWORD: SECRET });
    expect(secrets[0]?.arn).toBe("${each.value}");
  });

  it("read no secret or parameter value into the state", () => {
    expect(dataSources(prod.json, "aws_secretsmanager_secret_version")).toEqual({});
    expect(dataSources(prod.json, "aws_ssm_parameter")).toEqual({});
  });
});

describe("release tags only", () => {
  const validations = (json: { variable?: Record<string, Block> }) =>
    (json.variable?.image_tag?.validation as Block[]).map((v) => String(v.condition));

  it("prod's image_tag must match the protected tag patterns; dev's need not", () => {
    expect(validations(build("prod").json)).toContain('${can(regex("^(?:v.*)$", var.image_tag))}');
    expect(validations(build("dev").json).some((c) => c.includes("^(?:"))).toBe(false);
  });

  it.each([
    [["v*"], "v1.4.2", true],
    [["v*"], "1.4.2", false],
    [["v*"], "av1", false],
    [["release-*.final", "v*"], "release-7.final", true],
    [["release-*.final"], "release-7xfinal", false],
    [["v*-stable"], "v2-stable", true],
  ])("%j matches %s: %s (as ECR's lifecycle wildcards do)", (patterns, tag, matches) => {
    expect(new RegExp(tagPatternsRegex(patterns)).test(tag)).toBe(matches);
  });

  it("prod refuses releaseTagsOnly off, and any environment refuses it with nothing protected", () => {
    expect(problemsOf(overrideFile({ prod: { service: { releaseTagsOnly: false } } }))).toEqual([
      expect.objectContaining({ scope: "prod", field: "service.releaseTagsOnly", value: false }),
    ]);
    expect(
      problemsOf(
        overrideFile({ registry: { protectedTagPatterns: [] }, dev: { service: { releaseTagsOnly: true } } }),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          scope: "dev",
          field: "service.releaseTagsOnly",
          allowed: expect.stringContaining("registry.protectedTagPatterns"),
        }),
      ]),
    );
  });
});

describe("deployment alarms", () => {
  it("roll a prod deployment back on the target 5xx-rate and unhealthy-hosts alarms of this environment", () => {
    const { stack, json } = build("prod");
    const alarms = blockOf(json, stack.serviceTier.service.service).alarms as Block;
    expect(alarms).toEqual({
      alarm_names: ["orders-api-prod-target-5xx-rate", "orders-api-prod-unhealthy-hosts"],
      enable: true,
      rollback: true,
    });
    const names = Object.values(resources(json, "aws_cloudwatch_metric_alarm")).map((a) => a.alarm_name);
    expect(names).toEqual(expect.arrayContaining(alarms.alarm_names as string[]));
  });

  it("are absent where the environment has no alarms (dev)", () => {
    const { stack, json } = build("dev");
    expect(blockOf(json, stack.serviceTier.service.service).alarms).toBeUndefined();
  });
});
