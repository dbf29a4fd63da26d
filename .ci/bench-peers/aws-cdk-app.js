// The AWS CDK peer of npm run bench: the same shape of project as ours (a registry stack with the
// image repository, then dev, staging and prod, each a three-tier VPC and an HTTPS load-balanced
// Fargate service), synthesized to CloudFormation in CDKTF_OUTDIR. Ours synthesizes more per
// environment (data tier, WAF, alarms, endpoints), so the comparison is in AWS CDK's favour.
"use strict";
const { App, Stack } = require("aws-cdk-lib");
const { Certificate } = require("aws-cdk-lib/aws-certificatemanager");
const { SubnetType, Vpc } = require("aws-cdk-lib/aws-ec2");
const { Repository } = require("aws-cdk-lib/aws-ecr");
const { Cluster, ContainerImage } = require("aws-cdk-lib/aws-ecs");
const { ApplicationLoadBalancedFargateService } = require("aws-cdk-lib/aws-ecs-patterns");
const { ApplicationProtocol } = require("aws-cdk-lib/aws-elasticloadbalancingv2");

const app = new App({ outdir: process.env.CDKTF_OUTDIR });
const registry = new Stack(app, "registry");
const repository = new Repository(registry, "Repository", { repositoryName: "orders-api" });

for (const name of ["dev", "staging", "prod"]) {
  const stack = new Stack(app, name);
  const vpc = new Vpc(stack, "Vpc", {
    maxAzs: 2,
    natGateways: name === "prod" ? 2 : 1,
    subnetConfiguration: [
      { name: "public", subnetType: SubnetType.PUBLIC, cidrMask: 24 },
      { name: "private", subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      { name: "isolated", subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  new ApplicationLoadBalancedFargateService(stack, "Api", {
    cluster: new Cluster(stack, "Cluster", { vpc }),
    desiredCount: name === "prod" ? 2 : 1,
    protocol: ApplicationProtocol.HTTPS,
    redirectHTTP: true,
    certificate: Certificate.fromCertificateArn(
      stack,
      "Certificate",
      "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000",
    ),
    taskImageOptions: { image: ContainerImage.fromEcrRepository(repository, "latest"), containerPort: 8080 },
  });
}
app.synth();
