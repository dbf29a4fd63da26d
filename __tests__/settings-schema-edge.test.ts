/** Edge, state, tag and registry settings and the file itself, case by case: each bad value fails with exactly one problem naming its scope, the setting and what is allowed. */
import { CERT, expectedProblems, overrideFile, problemsOf } from "./support/settings";
import type { SchemaCase } from "./support/settings";

const CASES: SchemaCase[] = [
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
  [
    "a WAF rate limit below what WAF accepts",
    { dev: { edge: { waf: true, wafRateLimitPerIp: 99 } } },
    "dev",
    "edge.wafRateLimitPerIp",
    "an integer from 100 to 2000000000",
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
    "an environment in another account than the registry's, not listed in registry.pullAccountIds",
    // prod is pinned to 123456789012 in the example, so only dev differs.
    { registry: { accountId: "123456789012" }, dev: { accountId: "222222222222" } },
    "dev",
    "accountId",
    "the registry's account 123456789012, or an account listed in registry.pullAccountIds (none yet)",
  ],
  [
    "no NAT while the registry is in another region",
    {
      registry: { region: "us-east-1" },
      dev: {
        network: {
          natStrategy: "none",
          appInternetEgress: [],
          interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs"],
        },
      },
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
    'did you mean "natStrategy"? A known setting; settings here: vpcCidr',
  ],
  [
    "a misspelt group",
    { dev: { servce: {} } },
    "dev",
    "servce",
    'did you mean "service"? A known setting; settings here: region, accountId, keyAdministratorArns, foreignKeyAdministratorsAcknowledged, destroyProtection, destroyBreakGlass, tags, workloads, network, service, edge, database, cache, alarms, state',
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

test.each(CASES)("rejects %s", (_, override, scope, field, allowed) => {
  expect(problemsOf(overrideFile(override))).toEqual(expectedProblems(scope, field, allowed));
});
