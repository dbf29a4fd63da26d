/** Network settings, case by case: each bad value fails with exactly one problem naming the environment, the setting and what is allowed. */
import { SECRET, expectedProblems, overrideFile, problemsOf } from "./support/settings";
import type { SchemaCase } from "./support/settings";

const CASES: SchemaCase[] = [
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
    { dev: { network: { interfaceEndpoints: ["kinesis"] } } },
    "dev",
    "network.interfaceEndpoints[0]",
    "'ecr.api'",
  ],
  [
    "no NAT and no endpoints",
    { dev: { network: { natStrategy: "none", appInternetEgress: [] } } },
    "dev",
    "network.interfaceEndpoints",
    "missing: ecr.api for image pulls, ecr.dkr for image pulls, logs for container logs",
  ],
  [
    "no NAT, Secrets Manager secrets but no secretsmanager endpoint",
    {
      dev: {
        network: {
          natStrategy: "none",
          appInternetEgress: [],
          interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
        },
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
    "a cache switch that is not a boolean",
    { dev: { cache: { enabled: "yes" } } },
    "dev",
    "cache.enabled",
    "true or false",
  ],
  ["an unknown region", { dev: { region: "eu-west-9" } }, "dev", "region", "an AWS region name"],
  ["a short account id", { dev: { accountId: "1234" } }, "dev", "accountId", "a 12-digit AWS account id"],
];

test.each(CASES)("rejects %s", (_, override, scope, field, allowed) => {
  expect(problemsOf(overrideFile(override))).toEqual(expectedProblems(scope, field, allowed));
});
