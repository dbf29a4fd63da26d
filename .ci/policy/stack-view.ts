/**
 * One synthesized stack as the policy rules see it: resources and data sources with their
 * construct paths, and the lookups rules share (policy documents, decoded container definitions,
 * security-group rules...). Works on cdk.tf.json as cdktf writes it ("//" metadata included).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isWildcardResource } from "../../constructs/model/iam";
import { decodeJsonencode } from "./hcl-expression";
import type { Block, TerraformJson } from "./terraform-json";

export interface Entry {
  readonly type: string;
  readonly name: string;
  /** Construct path inside the stack, e.g. "load_balancer/load_balancer". */
  readonly path: string;
  readonly block: Block;
}

/** One synthesized stack (with cdktf's "//" metadata), and lookups over it. */
export class StackView {
  constructor(
    public readonly stack: string,
    public readonly json: TerraformJson,
  ) {}

  public resources(type: string): Entry[] {
    return this.entries(this.json.resource?.[type] ?? {}, type);
  }

  public data(type: string): Entry[] {
    return this.entries(this.json.data?.[type] ?? {}, type);
  }

  /** Every resource and data source of the stack. */
  public all(): Entry[] {
    return [this.json.resource ?? {}, this.json.data ?? {}].flatMap((section) =>
      Object.entries(section).flatMap(([type, blocks]) => this.entries(blocks, type)),
    );
  }

  /** The resource or data source a `${type.name.attr}` reference points at. */
  public referenced(reference: unknown): Entry | undefined {
    if (typeof reference !== "string") return undefined;
    const data = /^\$\{data\.([a-z0-9_]+)\.([^.}]+)\./.exec(reference);
    if (data) return this.data(data[1] as string).find((e) => e.name === data[2]);
    const resource = /^\$\{([a-z0-9_]+)\.([^.}]+)\./.exec(reference);
    if (resource) return this.resources(resource[1] as string).find((e) => e.name === resource[2]);
    return undefined;
  }

  /** Statements of the policy document a `policy` attribute references. */
  public statements(reference: unknown): Block[] {
    const document = this.referenced(reference);
    if (!document || document.type !== "aws_iam_policy_document") {
      throw new Error(`${this.stack}: policy is not a policy-document data source: ${String(reference)}`);
    }
    return (document.block.statement as Block[] | undefined) ?? [];
  }

  /** Decoded container definitions of a task definition. */
  public containers(taskDefinition: Entry): Block[] {
    return decodeJsonencode(taskDefinition.block.container_definitions as string) as Block[];
  }

  /** Whether any resource of these types references the given entry. */
  public isReferencedBy(entry: Entry, types: readonly string[]): boolean {
    const needle = `${entry.type}.${entry.name}.`;
    return types.some((type) => this.resources(type).some((r) => JSON.stringify(r.block).includes(needle)));
  }

  private entries(blocks: Record<string, Block>, type: string): Entry[] {
    return Object.entries(blocks).map(([name, block]) => {
      const path = (block["//"]?.metadata?.path as string | undefined) ?? name;
      return { type, name, path: path.slice(path.indexOf("/") + 1), block };
    });
  }
}

export interface PolicyRule {
  /** Scanner rule IDs this rule stands for (checkov CKV_*, trivy AWS-*, cdk-nag AwsSolutions-*). */
  readonly ids: readonly string[];
  readonly title: string;
  /** Construct paths of the resources that break the rule. */
  readonly violations: (stack: StackView) => string[];
}

export const paths = (entries: Entry[]) => entries.map((e) => e.path);
export const isTrue = (v: unknown) => v === true;
export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
export const WORLD = ["0.0.0.0/0", "::/0"];
export const ingressRules = (s: StackView) => s.resources("aws_vpc_security_group_ingress_rule");
export const egressRules = (s: StackView) => s.resources("aws_vpc_security_group_egress_rule");
export const covers = (rule: Block, port: number) =>
  rule.ip_protocol === "-1" || (Number(rule.from_port) <= port && Number(rule.to_port) >= port);
export const roles = (s: StackView) => s.resources("aws_iam_role");
export const rolePolicies = (s: StackView) => s.resources("aws_iam_role_policy");
export const policyDocuments = (s: StackView) => s.data("aws_iam_policy_document");
export const logGroups = (s: StackView) => s.resources("aws_cloudwatch_log_group");
export const taskDefinitions = (s: StackView) => s.resources("aws_ecs_task_definition");
export const buckets = (s: StackView) => s.resources("aws_s3_bucket");
export const bucketConfig = (s: StackView, type: string, bucket: Entry) =>
  s.resources(type).filter((c) => c.block.bucket === `\${aws_s3_bucket.${bucket.name}.id}`);
/** Paths of the task definitions where a container (or the task definition itself) breaks a rule. */
export function taskDefinitionsWhere(
  s: StackView,
  container: (c: Block) => boolean,
  taskDefinition: (td: Entry) => boolean = () => false,
): string[] {
  return paths(taskDefinitions(s).filter((td) => taskDefinition(td) || s.containers(td).some(container)));
}
export const appLoadBalancers = (s: StackView) =>
  s.resources("aws_lb").filter((lb) => lb.block.load_balancer_type === "application");

/**
 * Actions IAM cannot restrict to a resource (AWS service authorization reference), so
 * `Resource: "*"` is the only possible scope for them.
 */
export const UNRESTRICTABLE_ACTIONS = [
  "ecr:GetAuthorizationToken",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];

/** Statements allowing restrictable actions on every resource without a condition (cloudsplaining's test). */
export function unconstrainedStatements(document: Entry): Block[] {
  return ((document.block.statement as Block[] | undefined) ?? []).filter(
    (st) =>
      (st.effect ?? "Allow") === "Allow" &&
      asList<string>(st.resources).includes("*") &&
      asList(st.condition).length === 0 &&
      asList<string>(st.actions).some((a) => !UNRESTRICTABLE_ACTIONS.includes(a)),
  );
}

/** Allow statements with a wildcard in an action, or in a resource of an action IAM can scope. */
export function wildcardStatements(document: Entry): Block[] {
  return asList<Block>(document.block.statement).filter(
    (st) =>
      (st.effect ?? "Allow") === "Allow" &&
      (asList<string>(st.actions).some((a) => a.includes("*")) ||
        (asList<string>(st.resources).some((r) => isWildcardResource(r)) &&
          asList<string>(st.actions).some((a) => !UNRESTRICTABLE_ACTIONS.includes(a)))),
  );
}

/** Every stack of a synthesized output directory (cdktf.out), read as the policy rules see it. */
export function readStacks(outdir: string): StackView[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, unknown>;
  };
  return Object.keys(manifest.stacks).map(
    (name) =>
      new StackView(
        name,
        JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as TerraformJson,
      ),
  );
}
