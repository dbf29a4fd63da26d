import type { Network } from "../constructs/network";
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

import { decodeJsonencode } from "../.ci/policy/hcl-expression";
import { dependenciesOf, referenceGraph } from "./support/reference-graph";
import { blockOf, dataSources, nameOf, ref, resources } from "./support/synth";
import type { Block } from "./support/synth";

import { allBlocks, build, writeConfig } from "./support/environment-stack";

describe("EnvironmentStack", () => {
  const dev = build("dev");
  const prod = build("prod");

  test("uses the fully qualified AWS provider in the environment's region with default tags", () => {
    expect(dev.json.terraform.required_providers.aws).toEqual({
      source: "hashicorp/aws",
      version: ">= 5.100.0, < 7.0.0",
    });
    expect(dev.json.provider.aws).toEqual([
      {
        region: "eu-west-1",
        default_tags: [
          {
            tags: {
              Project: "orders-api",
              Environment: "dev",
              ManagedBy: "cdktf",
              Repository: "github.com/example/orders-api",
            },
          },
        ],
      },
    ]);
  });

  test("pins the account when one is configured", () => {
    const { json } = build("prod", {}, { accountId: "123456789012" });
    expect(json.provider.aws[0].allowed_account_ids).toEqual(["123456789012"]);
    expect(json.data?.aws_caller_identity).toBeUndefined();
  });

  test("keeps local state in a relative path outside cdktf.out when no bucket is configured", () => {
    expect(dev.json.terraform.backend).toEqual({ local: { path: "../../../terraform.dev.tfstate" } });
  });

  test("uses an encrypted S3 backend with native locking and a per-stack key when a bucket is configured", () => {
    const { json } = build("prod", { TF_STATE_BUCKET: "acme-tf-state" });
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: "acme-tf-state",
        key: "orders-api/prod.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  test("dev shares one NAT gateway; prod has one per AZ", () => {
    expect(Object.keys(resources(dev.json, "aws_nat_gateway"))).toHaveLength(1);
    expect(Object.keys(resources(prod.json, "aws_nat_gateway"))).toHaveLength(2);
  });

  test("has no inline security-group rules anywhere", () => {
    for (const { json } of [dev, prod]) {
      for (const [address, block] of allBlocks(json)) {
        if (address.startsWith("aws_security_group.") || address.startsWith("aws_default_security_group.")) {
          expect([address, block.ingress, block.egress]).toEqual([address, undefined, undefined]);
        }
      }
      expect(resources(json, "aws_security_group_rule")).toEqual({});
    }
  });

  test("opens 0.0.0.0/0 and ::/0 ingress only on the ALB's 443 and 80", () => {
    const albGroup = ref(prod.stack.networkTier.securityGroups.groups.alb as never);
    const open = Object.values(resources(prod.json, "aws_vpc_security_group_ingress_rule")).filter(
      (r) => r.cidr_ipv4 === "0.0.0.0/0" || r.cidr_ipv6 === "::/0",
    );
    expect(
      open.map((r) => `${r.security_group_id}:${r.cidr_ipv4 ?? r.cidr_ipv6}:${r.from_port}`).sort(),
    ).toEqual([
      `${albGroup}:0.0.0.0/0:443`,
      `${albGroup}:0.0.0.0/0:80`,
      `${albGroup}:::/0:443`,
      `${albGroup}:::/0:80`,
    ]);
  });

  test("adds interface endpoints behind their own group, reachable from the app tier on 443", () => {
    const { stack, json } = build(
      "prod",
      {},
      {
        network: {
          natStrategy: "none",
          appInternetEgress: [],
          interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs"],
        },
      },
    );
    const endpointGroup = ref(stack.networkTier.securityGroups.groups.endpoints as never);
    const endpoints = Object.values(resources(json, "aws_vpc_endpoint")).filter(
      (e) => e.vpc_endpoint_type === "Interface",
    );
    expect(endpoints).toHaveLength(5);
    endpoints.forEach((e) => expect(e.security_group_ids).toEqual([endpointGroup]));
    expect(Object.values(resources(json, "aws_vpc_security_group_ingress_rule"))).toContainEqual(
      expect.objectContaining({
        security_group_id: endpointGroup,
        referenced_security_group_id: ref(stack.networkTier.securityGroups.groups.app as never),
        from_port: 443,
        to_port: 443,
      }),
    );
    expect(resources(json, "aws_nat_gateway")).toEqual({});
    expect(
      Object.values(resources(json, "aws_vpc_security_group_egress_rule")).filter(
        (r) => r.cidr_ipv4 === "0.0.0.0/0",
      ),
    ).toEqual([]);
  });

  test("outputs what pipelines need, each with a description", () => {
    const outputs = Object.entries(dev.json.output ?? {});
    expect(outputs.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        "service_url",
        "alb_dns_name",
        "alb_zone_id",
        "repository_url",
        "cluster_name",
        "service_name",
        "task_definition_family",
        "log_group_name",
        "flow_log_group_name",
        "task_role_arn",
        "task_role_name",
        "execution_role_arn",
        "execution_role_name",
        "run_task_network_configuration",
        "vpc_id",
        "public_subnet_ids",
        "private_subnet_ids",
        "isolated_subnet_ids",
        "alb_security_group_id",
        "app_security_group_id",
        "data_security_group_id",
        "cache_security_group_id",
        "database_address",
        "database_secret_arn",
        "cache_address",
        "one_off_tasks",
      ]),
    );
    outputs.forEach(([name, output]) =>
      expect([name, output.description]).toEqual([name, expect.stringMatching(/\S/)]),
    );
    expect(dev.json.output?.service_url?.value).toBe("https://api.dev.example.com");
  });

  test("gives one-off tasks the service's network: private subnets, the app group, no public IP", () => {
    const value = String(dev.json.output?.run_task_network_configuration?.value);
    expect(decodeJsonencode(value)).toEqual({
      awsvpcConfiguration: {
        subnets: (dev.stack.networkTier.network as Network).privateSubnets.map((subnet) => ref(subnet)),
        securityGroups: [ref(dev.stack.networkTier.securityGroups.groups.app as never)],
        assignPublicIp: "DISABLED",
      },
    });
    expect(Object.keys(prod.json.output ?? {})).toEqual(expect.arrayContaining(["waf_log_group_name"]));
    expect(Object.keys(dev.json.output ?? {})).not.toContain("exec_log_group_name");
  });

  test("leaves terraform.required_version to versions.tf.json (in the block it crashes checkov's terraform_json parser)", () => {
    expect(prod.json.terraform.required_version).toBeUndefined();
  });

  test.each(["dev", "staging", "prod"])("matches the reviewed snapshot of the %s stack", (name) => {
    const { stack } = build(name);
    expect(JSON.parse(Testing.synth(stack))).toMatchSnapshot();
  });

  describe("edge", () => {
    test("issues a DNS-validated certificate in the looked-up zone and serves it from the validation resource", () => {
      const { stack, json } = prod;
      const certificate = stack.edgeTier.certificate;
      if (!certificate) throw new Error("expected a DNS-validated certificate");
      expect(Object.values(dataSources(json, "aws_route53_zone"))).toEqual([
        expect.objectContaining({ name: "example.com", private_zone: false }),
      ]);
      expect(blockOf(json, certificate.certificate)).toMatchObject({
        domain_name: "api.example.com",
        validation_method: "DNS",
      });
      expect(blockOf(json, stack.edgeTier.loadBalancer.httpsListener).certificate_arn).toBe(
        ref(certificate.validation, "certificate_arn"),
      );
    });

    test("publishes A and AAAA alias records for the domain to the dualstack ALB", () => {
      const { stack, json } = prod;
      const records = (stack.edgeTier.aliasRecords?.records ?? []).map((r) => blockOf(json, r));
      expect(records.map((r) => r.type)).toEqual(["A", "AAAA"]);
      for (const record of records) {
        expect(record).toMatchObject({
          name: "api.example.com",
          zone_id: ref(stack.edgeTier.hostedZone?.zone as never, "zone_id").replace("${", "${data."),
          alias: {
            name: ref(stack.edgeTier.loadBalancer.loadBalancer, "dns_name"),
            zone_id: ref(stack.edgeTier.loadBalancer.loadBalancer, "zone_id"),
          },
        });
      }
      expect(blockOf(json, stack.edgeTier.loadBalancer.loadBalancer).ip_address_type).toBe("dualstack");
    });

    test("uses an existing certificate ARN without creating a certificate, and no records without a zone", () => {
      const arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd-1234";
      const { stack, json } = build(
        "prod",
        {},
        { edge: { certificateArn: arn, domainName: null, hostedZoneName: null } as never },
      );
      expect(resources(json, "aws_acm_certificate")).toEqual({});
      expect(resources(json, "aws_acm_certificate_validation")).toEqual({});
      expect(resources(json, "aws_route53_record")).toEqual({});
      expect(blockOf(json, stack.edgeTier.loadBalancer.httpsListener).certificate_arn).toBe(arn);
      expect(json.output?.service_url?.value).toBe(
        `https://${ref(stack.edgeTier.loadBalancer.loadBalancer, "dns_name")}`,
      );
    });

    test("with an existing certificate and a zone id, still publishes the alias records", () => {
      const arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd-1234";
      const { json } = build(
        "prod",
        {},
        { edge: { certificateArn: arn, hostedZoneName: null, hostedZoneId: "Z0123456789ABC" } as never },
      );
      expect(Object.values(dataSources(json, "aws_route53_zone"))).toEqual([
        expect.objectContaining({ zone_id: "Z0123456789ABC" }),
      ]);
      expect(Object.values(resources(json, "aws_route53_record")).map((r) => r.type)).toEqual(["A", "AAAA"]);
      expect(resources(json, "aws_acm_certificate")).toEqual({});
    });

    test("registers the service in the target group on the container port", () => {
      const { stack, json } = build("prod", {}, { service: { containerPort: 9000 } });
      const targetGroup = blockOf(json, stack.edgeTier.loadBalancer.targetGroup);
      const [container] = decodeJsonencode(
        blockOf(json, stack.serviceTier.service.taskDefinition).container_definitions,
      ) as Block[];
      const service = blockOf(json, stack.serviceTier.service.service);
      expect(targetGroup.port).toBe(9000);
      expect(container?.portMappings).toEqual([{ containerPort: 9000, hostPort: 9000, protocol: "tcp" }]);
      expect(service.load_balancer).toEqual([
        {
          target_group_arn: ref(stack.edgeTier.loadBalancer.targetGroup, "arn"),
          container_name: "app",
          container_port: 9000,
        },
      ]);
    });

    test("derives the container check, the target-group check and the grace period from one declaration", () => {
      const { stack, json } = build(
        "prod",
        {},
        {
          service: {
            healthCheck: {
              path: "/ready",
              intervalSeconds: 20,
              timeoutSeconds: 4,
              healthyThreshold: 3,
              unhealthyThreshold: 4,
              startPeriodSeconds: 40,
              gracePeriodSeconds: 90,
            },
          },
        },
      );
      const [container] = decodeJsonencode(
        blockOf(json, stack.serviceTier.service.taskDefinition).container_definitions,
      ) as Block[];
      expect(container?.healthCheck).toEqual({
        command: ["CMD", "curl", "-fsS", "http://localhost:8000/ready"],
        interval: 20,
        timeout: 4,
        retries: 4,
        startPeriod: 40,
      });
      expect(blockOf(json, stack.edgeTier.loadBalancer.targetGroup).health_check).toMatchObject({
        path: "/ready",
        interval: 20,
        timeout: 4,
        healthy_threshold: 3,
        unhealthy_threshold: 4,
      });
      expect(blockOf(json, stack.serviceTier.service.service).health_check_grace_period_seconds).toBe(90);
    });
  });

  describe("ordering", () => {
    test("the service waits for the HTTPS listener and its Host rules, which wait for the issued certificate", () => {
      const { stack, json } = prod;
      const graph = referenceGraph(json);
      const address = (r: { terraformResourceType: string } & Parameters<typeof nameOf>[0]) =>
        `${r.terraformResourceType}.${nameOf(r)}`;
      const service = address(stack.serviceTier.service.service);
      const listener = address(stack.edgeTier.loadBalancer.httpsListener);
      const validation = address(stack.edgeTier.certificate?.validation as never);
      expect(blockOf(json, stack.serviceTier.service.service).depends_on).toContain(listener);
      // The target group is attached to the load balancer only by the Host rule, so ECS must wait for it.
      expect(stack.edgeTier.loadBalancer.hostRules).toHaveLength(1);
      expect(blockOf(json, stack.serviceTier.service.service).depends_on).toContain(
        address(stack.edgeTier.loadBalancer.hostRules[0] as never),
      );
      expect(graph.get(listener)).toContain(validation);
      const serviceNeeds = dependenciesOf(graph, service);
      for (const needed of [
        listener,
        validation,
        address(stack.edgeTier.certificate?.validationRecords as never),
        address(stack.edgeTier.loadBalancer.targetGroup),
      ]) {
        expect([needed, serviceNeeds.has(needed)]).toEqual([needed, true]);
      }
    });

    test("certificate and target group are replaced create-before-destroy", () => {
      const { stack, json } = prod;
      expect(blockOf(json, stack.edgeTier.certificate?.certificate as never).lifecycle).toEqual({
        create_before_destroy: true,
      });
      expect(blockOf(json, stack.edgeTier.loadBalancer.targetGroup).lifecycle).toEqual({
        create_before_destroy: true,
      });
      expect(blockOf(json, stack.edgeTier.loadBalancer.targetGroup).name_prefix).toBe("prod-");
    });
  });

  describe("service", () => {
    test("pulls from the shared repository, looked up by name with the stack's own provider", () => {
      const { stack, json } = prod;
      const [lookup] = Object.values(dataSources(json, "aws_ecr_repository"));
      expect(lookup).toEqual(expect.objectContaining({ name: "orders-api" }));
      // Neither 6.x's `region` argument (unknown to provider 5.x) nor an alias in the same region.
      expect(lookup).not.toHaveProperty("region");
      expect(lookup).not.toHaveProperty("provider");
      expect(json.provider.aws).toHaveLength(1);
      const [container] = decodeJsonencode(
        blockOf(json, stack.serviceTier.service.taskDefinition).container_definitions,
      ) as Block[];
      expect(container?.image).toBe(
        `\${data.aws_ecr_repository.${nameOf(stack.serviceTier.repository as never)}.repository_url}:\${var.image_tag}`,
      );
    });

    test("looks the repository up through an aliased provider when the registry is in another region", () => {
      const env = { STACK_CONFIG_FILE: writeConfig({ registry: { region: "eu-central-1" } }) };
      const { json } = build("prod", env);
      const aliased = (json.provider.aws as Block[]).filter((p) => p.alias !== undefined);
      expect(aliased).toEqual([
        expect.objectContaining({
          alias: "eu_central_1",
          region: "eu-central-1",
          default_tags: expect.anything(),
        }),
      ]);
      const [lookup] = Object.values(dataSources(json, "aws_ecr_repository"));
      expect(lookup?.provider).toBe("aws.eu_central_1");
      expect(lookup).not.toHaveProperty("region");
    });

    test("encrypts the container log group with the logs key and lets the tasks decrypt secrets only through their services", () => {
      const secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbC123";
      const { stack, json } = build("prod", {}, { service: { secrets: { DB_PASSWORD: secret } } });
      expect(blockOf(json, stack.serviceTier.service.logGroup).kms_key_id).toBe(
        ref(stack.keys.logs.key, "arn"),
      );
      const policies = Object.values(resources(json, "aws_iam_role_policy")).map((p) => p.policy as string);
      const documents = policies.map(
        (p) =>
          dataSources(json, "aws_iam_policy_document")[
            /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(p)?.[1] as string
          ],
      );
      const decrypt = documents
        .flatMap((d) => d?.statement as Block[])
        .find((s) => s.sid === "DecryptSecretsThroughTheirServices");
      expect(decrypt?.resources).toEqual([ref(stack.keys.secrets.key, "arn")]);
    });
  });
});
