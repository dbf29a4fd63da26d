import "cdktf/lib/testing/adapters/jest";
import { problemsOf } from "../constructs/model/checks";
import { interfaceEndpointList } from "../constructs/model/network";
import { InterfaceEndpoints } from "../constructs/interface-endpoints";
import type { InterfaceEndpointService } from "../constructs/model/network";
import { policyDocument, resources, synth, testStack } from "./support/synth";

function build(services: readonly InterfaceEndpointService[]) {
  const stack = testStack();
  new InterfaceEndpoints(stack, "endpoints", {
    namePrefix: "api-test",
    region: "eu-west-1",
    accountId: "123456789012",
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b"],
    securityGroupId: "sg-endpoints",
    services,
  });
  return synth(stack);
}

describe("InterfaceEndpoints", () => {
  test("creates one private-DNS interface endpoint per service in the given subnets and group", () => {
    const json = build(["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"]);
    const endpoints = Object.values(resources(json, "aws_vpc_endpoint"));
    expect(endpoints.map((e) => e.service_name)).toEqual([
      "com.amazonaws.eu-west-1.ecr.api",
      "com.amazonaws.eu-west-1.ecr.dkr",
      "com.amazonaws.eu-west-1.logs",
      "com.amazonaws.eu-west-1.secretsmanager",
      "com.amazonaws.eu-west-1.ssm",
    ]);
    for (const endpoint of endpoints) {
      expect(endpoint).toMatchObject({
        vpc_endpoint_type: "Interface",
        private_dns_enabled: true,
        vpc_id: "vpc-1",
        subnet_ids: ["subnet-a", "subnet-b"],
        security_group_ids: ["sg-endpoints"],
      });
    }
  });

  test("admits only this account's principals, for the calls the tasks make, through each endpoint", () => {
    const json = build(["ecr.api", "logs", "secretsmanager"]);
    const endpoints = Object.values(resources(json, "aws_vpc_endpoint"));
    const actions = endpoints.map((e) => {
      const [statement, ...others] = policyDocument(json, e.policy).statement;
      expect(others).toEqual([]);
      expect(statement).toMatchObject({
        effect: "Allow",
        condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: ["123456789012"] }],
      });
      return statement.actions;
    });
    expect(actions).toEqual([
      expect.arrayContaining(["ecr:GetAuthorizationToken", "ecr:BatchGetImage"]),
      expect.arrayContaining(["logs:PutLogEvents"]),
      ["secretsmanager:GetSecretValue"],
    ]);
    expect(actions.flat().some((a: string) => a.includes("*"))).toBe(false);
  });

  test("its rule (network.interfaceEndpoints) refuses an unknown service and a duplicate", () => {
    expect(problemsOf("services", ["ecr.api", "kinesis"], interfaceEndpointList)).toEqual([
      expect.objectContaining({
        field: "services[1]",
        allowed: "one of 'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm', 'sqs'",
      }),
    ]);
    expect(problemsOf("services", ["logs", "logs"], interfaceEndpointList)).toHaveLength(1);
    expect(problemsOf("services", ["logs", "ssm"], interfaceEndpointList)).toEqual([]);
  });
});
