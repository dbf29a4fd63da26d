/** EnvironmentStack: the image_tag variable and resource names. */
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

import { EnvironmentStack } from "../stacks/environment-stack";
import { loadSettings } from "../stacks/config/load";

import type { ProjectDefinition } from "../stacks/config/settings";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { resources, synth } from "./support/synth";
import type { Block } from "./support/synth";
import { build } from "./support/environment-stack";

describe("EnvironmentStack", () => {
  const prod = build("prod");

  describe("image_tag variable", () => {
    const variable = prod.json.variable?.image_tag as Block;

    test("is a required string without a default", () => {
      expect(variable.type).toBe("string");
      expect(variable.default).toBeUndefined();
    });

    test("takes its default from service.imageTagDefault", () => {
      expect(
        build("dev", {}, { service: { imageTagDefault: "v1.2.3" } }).json.variable?.image_tag?.default,
      ).toBe("v1.2.3");
    });

    const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
    const onPath = terraform.status === 0;
    if (!onPath) {
      console.warn(
        "terraform is not on the PATH: the image_tag validation is not checked with real Terraform in this run",
      );
    }
    /** `terraform plan` of a configuration holding only this image_tag variable, with a value. */
    const planner = (imageTag: Block) => {
      const dir = mkdtempSync(join(tmpdir(), "image-tag-"));
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ variable: { image_tag: imageTag } }));
      writeFileSync(join(dir, "null.tfvars"), "image_tag = null\n");
      return (tag: string | null) =>
        spawnSync(
          "terraform",
          [
            `-chdir=${dir}`,
            "plan",
            "-input=false",
            "-no-color",
            ...(tag === null ? ["-var-file=null.tfvars"] : ["-var", `image_tag=${tag}`]),
          ],
          {
            encoding: "utf8",
            env: {
              ...process.env,
              TF_CLI_CONFIG_FILE: "/dev/null",
              TF_IN_AUTOMATION: "1",
              CHECKPOINT_DISABLE: "1",
            },
          },
        );
    };

    (onPath ? test : test.skip)(
      "is validated by Terraform: no empty tag, no latest, Docker tag syntax only",
      () => {
        const plan = planner(build("dev").json.variable?.image_tag as Block);
        for (const good of ["3f9c2ab", "v1.4.0", "release_2026-11-22"]) {
          expect([good, plan(good).status]).toEqual([good, 0]);
        }
        const rejected: Array<[string | null, string]> = [
          [null, "image_tag must be set"],
          ["", "image_tag must not be empty"],
          ["latest", 'image_tag must not be "latest"'],
          ["-bad", "image_tag must be a Docker tag"],
          ["has space", "image_tag must be a Docker tag"],
          ["a".repeat(129), "image_tag must be a Docker tag"],
        ];
        for (const [bad, message] of rejected) {
          const result = plan(bad);
          expect([bad, result.status]).toEqual([bad, 1]);
          expect(result.stderr + result.stdout).toContain(message);
        }
      },
    );

    (onPath ? test : test.skip)("in prod, is validated by Terraform as a release tag", () => {
      const plan = planner(variable);
      expect(plan("v1.4.0").status).toBe(0);
      for (const bad of ["3f9c2ab", "release_2026-11-22", "av1"]) {
        const result = plan(bad);
        expect([bad, result.status]).toEqual([bad, 1]);
        expect(result.stderr + result.stdout).toContain("image_tag must be a release tag (v*");
      }
    });
  });

  describe("names", () => {
    /** AWS name limits per resource type and attribute. */
    const LIMITS: Array<[string, string, number]> = [
      ["aws_lb", "name", 32],
      ["aws_lb_target_group", "name_prefix", 6],
      ["aws_s3_bucket", "bucket", 63],
      ["aws_iam_role", "name", 64],
      ["aws_iam_role_policy", "name", 128],
      ["aws_security_group", "name_prefix", 229],
      ["aws_db_subnet_group", "name", 255],
      ["aws_kms_alias", "name", 256],
      ["aws_cloudwatch_log_group", "name", 512],
      ["aws_wafv2_web_acl", "name", 128],
      ["aws_ecs_cluster", "name", 255],
      ["aws_ecs_service", "name", 255],
      ["aws_ecs_task_definition", "family", 255],
      ["aws_appautoscaling_policy", "name", 256],
    ];

    test("stay within AWS limits with the longest project and environment names allowed", () => {
      const longest: ProjectDefinition = {
        project: "abcdefghijklmnop",
        repository: "github.com/example/x",
        environments: [
          {
            name: "productioneurope",
            preset: "prod",
            overrides: {
              accountId: "123456789012",
              network: { appInternetEgress: ["0.0.0.0/0"] },
              alarms: { subscriptions: [{ protocol: "email", endpoint: "oncall@example.com" }] },
              service: { enableExecuteCommand: true, executeCommandBreakGlass: true },
              edge: {
                domainName: "api.example.com",
                hostedZoneName: "example.com",
                waf: true,
                accessLogObjectLockDays: 1,
              },
            },
          },
        ],
      };
      const project = loadSettings(longest, {});
      const stack = new EnvironmentStack(Testing.app(), {
        project,
        settings: project.environments[0] as never,
      });
      const json = synth(stack);
      let checked = 0;
      for (const [type, attribute, limit] of LIMITS) {
        for (const [name, block] of Object.entries(resources(json, type))) {
          // A token of the account id becomes 12 digits.
          const value = String(block[attribute]).replace(
            /\$\{data\.aws_caller_identity\.[^}]+\}/g,
            "123456789012",
          );
          expect([`${type}.${name}.${attribute}`, value.length <= limit]).toEqual([
            `${type}.${name}.${attribute}`,
            true,
          ]);
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(LIMITS.length);
    });
  });
});
