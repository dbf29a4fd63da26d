import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { loadSettings } from "../stacks/config/load";
import type { ProcessEnv } from "../stacks/config/load";
import { EXAMPLE_PROJECT as PROJECT } from "../stacks/config/example-project";
import { RegistryStack } from "../stacks/registry-stack";
import { blockOf, policyDocument, ref, synth } from "./support/synth";
import { overrideFile } from "./support/settings";

function build(env: ProcessEnv = {}) {
  const stack = new RegistryStack(Testing.app(), { project: loadSettings(PROJECT, env) });
  return { stack, json: synth(stack) };
}

describe("RegistryStack", () => {
  const { stack, json } = build();

  test("holds the project's repository, encrypted with its own key", () => {
    expect(blockOf(json, stack.registry.repository)).toMatchObject({
      name: "orders-api",
      encryption_configuration: [{ encryption_type: "KMS", kms_key: ref(stack.key.key, "arn") }],
    });
    const key = blockOf(json, stack.key.key);
    expect(key.enable_key_rotation).toBe(true);
    const sids = (policyDocument(json, key.policy).statement as Array<{ sid: string }>).map((s) => s.sid);
    expect(sids).toEqual(["AccountRootAdministersKeyThroughIam", "AccountUsesKeyThroughEcr"]);
  });

  test("refuses a destroy at plan (prevent_destroy on the repository and its key); break glass lifts the repository's only", () => {
    const preventDestroy = (b: ReturnType<typeof build>) => [
      blockOf(b.json, b.stack.registry.repository).lifecycle?.prevent_destroy,
      blockOf(b.json, b.stack.key.key).lifecycle?.prevent_destroy,
    ];
    expect(preventDestroy({ stack, json })).toEqual([true, true]);
    expect(preventDestroy(build(overrideFile({ registry: { destroyBreakGlass: true } })))).toEqual([
      undefined,
      true,
    ]);
    expect(preventDestroy(build(overrideFile({ registry: { destroyProtection: false } })))).toEqual([
      undefined,
      undefined,
    ]);
  });

  test("tags everything as the registry and keeps its own state", () => {
    expect(json.provider.aws[0].default_tags[0].tags.Environment).toBe("registry");
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.registry.tfstate" } });
    expect(build({ TF_STATE_BUCKET: "acme-state" }).json.terraform.backend.s3.key).toBe(
      "orders-api/registry.tfstate",
    );
  });

  test("outputs the repository URL, name and ARN with descriptions", () => {
    for (const name of ["repository_url", "repository_name", "repository_arn", "kms_key_arn"]) {
      expect(json.output?.[name]?.description).toEqual(expect.stringMatching(/\S/));
    }
    expect(json.output?.repository_url?.value).toMatch(/^\$\{aws_ecr_repository\.[^.]+\.repository_url\}$/);
  });

  test("matches the reviewed snapshot", () => {
    expect(JSON.parse(Testing.synth(stack))).toMatchSnapshot();
  });
});
