import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CATALOG_SECTIONS, POLICY_RULES, ruleFor } from "../.ci/policy/catalog";
import { CATALOG_DOCUMENT_PATH, catalogDocument } from "../.ci/policy/catalog-document";
import { POLICY_EXCEPTIONS } from "../.ci/policy/exceptions";
import { StackView, readStacks } from "../.ci/policy/stack-view";
import { build } from "./support/environment-stack";
import { shared } from "./support/shared-synth";
import type { Block, TerraformJson } from "./support/synth";

/** npm run docs writes it from the built-in configuration's stacks, which the shared synth wrote. */
const document = catalogDocument(readStacks(shared("synth").outdir));

describe("security catalog", () => {
  test("is what help/security-catalog.md holds (run npm run docs after changing a rule or exception)", () => {
    expect(readFileSync(join(__dirname, "..", CATALOG_DOCUMENT_PATH), "utf8")).toBe(document);
  });

  test("lists every rule once, under its service, and every exception with its condition and reason", () => {
    for (const rule of POLICY_RULES) expect(document.split(`| ${rule.title} |`)).toHaveLength(2);
    for (const section of CATALOG_SECTIONS) expect(document).toContain(`### ${section.title}\n`);
    POLICY_EXCEPTIONS.forEach((exception, index) => {
      expect(document).toContain(`### E${index + 1}: `);
      expect(document).toContain(`- **When:** ${exception.condition}.`);
      expect(document).toContain(`- **Why:** ${exception.why}`);
    });
  });

  test("links each rule to the exceptions that accept its findings", () => {
    const waf = POLICY_EXCEPTIONS.findIndex((e) => e.rules.includes("CKV2_AWS_28"));
    expect(document).toContain(`| ${ruleFor("CKV2_AWS_28")?.title ?? "?"} | E${waf + 1} |`);
    expect(document).toContain(`| ${ruleFor("CKV_AWS_51")?.title ?? "?"} |  |`);
  });

  test("gives every scanner ID to one rule only", () => {
    const ids = POLICY_RULES.flatMap((rule) => rule.ids);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });
});

describe("Performance Insights rules", () => {
  const withDatabase = (block: object) =>
    new StackView("dev", {
      resource: {
        aws_db_instance: { db: { ...block, "//": { metadata: { path: "dev/database/instance" } } } },
      },
    } as never);
  const violations = (id: string, block: object) => ruleFor(id)?.violations(withDatabase(block)) ?? [];

  test("asks for Performance Insights, and for its customer-managed key only where it is on", () => {
    const key = "${aws_kms_key.data_key.arn}";
    expect(violations("CKV_AWS_353", { performance_insights_enabled: false })).toHaveLength(1);
    expect(violations("CKV_AWS_354", { performance_insights_enabled: false })).toEqual([]);
    expect(violations("CKV_AWS_354", { performance_insights_enabled: true })).toHaveLength(1);
    expect(
      violations("CKV_AWS_354", { performance_insights_enabled: true, performance_insights_kms_key_id: key }),
    ).toEqual([]);
    expect(violations("CKV_AWS_353", { performance_insights_enabled: true })).toEqual([]);
  });
});

describe("workload rules", () => {
  const { json } = build("dev");
  const violations = (id: string, change: (copy: TerraformJson) => void) => {
    const copy = JSON.parse(JSON.stringify(json)) as TerraformJson;
    change(copy);
    return ruleFor(id)?.violations(new StackView("dev", copy)) ?? [];
  };
  const schedulerStatements = (copy: TerraformJson) => {
    const [name] = Object.keys(copy.data?.aws_iam_policy_document ?? {}).filter((n) =>
      n.includes("scheduler_policy"),
    );
    return (copy.data?.aws_iam_policy_document?.[name as string] as Block).statement as Block[];
  };

  test("find nothing in the example's worker and job", () => {
    for (const id of ["PROJECT-SCHEDULER-ROLE-SCOPE", "PROJECT-QUEUE-DEAD-LETTERS", "CKV_AWS_27"]) {
      expect([id, violations(id, () => undefined)]).toEqual([id, []]);
    }
  });

  test("refuse a scheduler role that may start any revision or pass any role", () => {
    expect(
      violations("PROJECT-SCHEDULER-ROLE-SCOPE", (copy) => {
        const runTask = schedulerStatements(copy).find((s) =>
          (s.actions as string[]).includes("ecs:RunTask"),
        );
        if (runTask) runTask.resources = ["arn:aws:ecs:eu-west-1:123456789012:task-definition/*"];
      }),
    ).toHaveLength(1);
    expect(
      violations("PROJECT-SCHEDULER-ROLE-SCOPE", (copy) => {
        const pass = schedulerStatements(copy).find((s) => (s.actions as string[]).includes("iam:PassRole"));
        if (pass) pass.condition = [];
      }),
    ).toHaveLength(1);
  });

  test("refuse a worker's queue without its dead-letter queue, and a queue without a customer key", () => {
    // The worker's own queue (not its dead-letter queue).
    const queueName = (copy: TerraformJson) =>
      Object.keys(copy.resource.aws_sqs_queue ?? {}).find((n) => /^workload_order_events_queue_/.test(n));
    expect(
      violations("PROJECT-QUEUE-DEAD-LETTERS", (copy) => {
        delete (copy.resource.aws_sqs_queue?.[queueName(copy) as string] as Block).redrive_policy;
      }).length,
    ).toBeGreaterThanOrEqual(1);
    expect(
      violations("CKV_AWS_27", (copy) => {
        delete (copy.resource.aws_sqs_queue?.[queueName(copy) as string] as Block).kms_master_key_id;
      }),
    ).toHaveLength(1);
  });
});

describe("internal workload rule", () => {
  const { json } = build(
    "dev",
    {},
    { workloads: { pricing: { kind: "internal", calledBy: ["api"] }, audit: { kind: "worker" } } },
  );
  const violations = (change: (copy: TerraformJson) => void) => {
    const copy = JSON.parse(JSON.stringify(json)) as TerraformJson;
    change(copy);
    return ruleFor("PROJECT-INTERNAL-REACH")?.violations(new StackView("dev", copy)) ?? [];
  };
  const ingressOfPricing = (copy: TerraformJson) =>
    Object.entries(copy.resource.aws_vpc_security_group_ingress_rule ?? {}).find(([n]) =>
      n.includes("app_to_workload_pricing"),
    )?.[1] as Block;

  test("finds nothing when only its declared callers may connect", () => {
    expect(violations(() => undefined)).toEqual([]);
  });

  test("refuses an address range let in, a caller that is not a Service Connect client, a load balancer", () => {
    expect(
      violations((copy) => {
        const rule = ingressOfPricing(copy);
        delete rule.referenced_security_group_id;
        rule.cidr_ipv4 = "10.0.0.0/8";
      }),
    ).toHaveLength(1);
    expect(
      violations((copy) => {
        const service = Object.entries(copy.resource.aws_ecs_service ?? {}).find(([n]) =>
          n.startsWith("service_"),
        );
        delete (service?.[1] as Block).service_connect_configuration;
      }),
    ).toHaveLength(1);
    expect(
      violations((copy) => {
        const pricing = Object.entries(copy.resource.aws_ecs_service ?? {}).find(([n]) =>
          n.includes("pricing"),
        );
        (pricing?.[1] as Block).load_balancer = [
          { target_group_arn: "x", container_name: "app", container_port: 8000 },
        ];
      }),
    ).toHaveLength(1);
  });
});
