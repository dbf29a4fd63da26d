import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { interfaceEndpointStatements } from "./model/endpoints";
import { forPolicyDocument } from "./model/iam";
import type { InterfaceEndpointService } from "./model/network";

export interface InterfaceEndpointsProps {
  readonly namePrefix: string;
  /** Region of the VPC; names the endpoint services. */
  readonly region: string;
  readonly vpcId: string;
  /** Subnets that get an endpoint network interface, one per AZ (the private tier). */
  readonly subnetIds: readonly string[];
  /** Account (may be a token) whose principals alone may call through the endpoints. */
  readonly accountId: string;
  /** Group of the endpoints; it should accept 443 from the app tier only. */
  readonly securityGroupId: string;
  /** Services to create endpoints for. */
  readonly services: readonly InterfaceEndpointService[];
}

/**
 * Interface VPC endpoints with private DNS, so AWS API calls from the private tier stay in the
 * VPC; each endpoint's policy admits only this account's principals and the calls the tasks make.
 */
export class InterfaceEndpoints extends Construct {
  public readonly endpoints: Partial<Record<InterfaceEndpointService, VpcEndpoint>> = {};

  constructor(scope: Construct, id: string, props: InterfaceEndpointsProps) {
    super(scope, id);
    for (const service of props.services) {
      const id = service.replace(".", "_");
      const policy = new DataAwsIamPolicyDocument(this, `${id}_policy`, {
        statement: forPolicyDocument(interfaceEndpointStatements(service, props.accountId)),
      });
      this.endpoints[service] = new VpcEndpoint(this, id, {
        policy: policy.json,
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: [...props.subnetIds],
        securityGroupIds: [props.securityGroupId],
        tags: { Name: `${props.namePrefix}-${service}` },
      });
    }
  }
}
