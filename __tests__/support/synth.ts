/** Helpers to synthesize a stack in memory and read the Terraform JSON it produces. */
import { Testing, TerraformStack } from "cdktf";
import type { TerraformElement, TerraformResource } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";

import type { Block, TerraformJson } from "../../.ci/policy/terraform-json";

export type { Block, TerraformJson };

/** A stack with an AWS provider, in a test app (stubbed version, temp outdir). */
export function testStack(region = "eu-west-1"): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region });
  return stack;
}

/** Synthesizes with validations on and parses the JSON. */
export function synth(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack, true)) as TerraformJson;
}

/** All resources of a type, keyed by Terraform name ({} when none). */
export function resources(json: TerraformJson, type: string): Record<string, Block> {
  return json.resource[type] ?? {};
}

export function dataSources(json: TerraformJson, type: string): Record<string, Block> {
  return json.data?.[type] ?? {};
}

/** The single resource of a type; fails the test when there is not exactly one. */
export function only(json: TerraformJson, type: string): Block {
  const all = Object.values(resources(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0] as Block;
}

/** The Terraform name of an element in its stack. */
export function nameOf(element: TerraformElement): string {
  return TerraformStack.of(element).getLogicalId(element);
}

/** `${type.name.attr}`, the reference string cdktf writes for a resource attribute. */
export function ref(resource: TerraformResource, attr = "id"): string {
  return `\${${resource.terraformResourceType}.${nameOf(resource)}.${attr}}`;
}

/** The block of a resource object in the synthesized JSON. */
export function blockOf(json: TerraformJson, resource: TerraformResource): Block {
  const block = json.resource[resource.terraformResourceType]?.[nameOf(resource)];
  if (!block) throw new Error(`${resource.terraformResourceType}.${nameOf(resource)} not in the JSON`);
  return block;
}

/** Policy-document data source referenced by `${data.aws_iam_policy_document.<name>.json}`. */
export function policyDocument(json: TerraformJson, reference: string): Block {
  const match = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(reference);
  if (!match) throw new Error(`not a policy-document reference: ${reference}`);
  const doc = dataSources(json, "aws_iam_policy_document")[match[1] as string];
  if (!doc) throw new Error(`policy document ${match[1]} not found`);
  return doc;
}
