import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

export interface AliasRecordsProps {
  readonly zoneId: string;
  /** Record name, e.g. "api.example.com". */
  readonly domainName: string;
  /** DNS name and hosted zone of the alias target (the load balancer). */
  readonly targetDnsName: string;
  readonly targetZoneId: string;
  /**
   * Also publish an AAAA record (the target must be dualstack).
   *
   * @default true
   */
  readonly ipv6?: boolean;
}

/** Route 53 alias records (A, and AAAA when the target is dualstack) for a domain. */
export class AliasRecords extends Construct {
  public readonly records: Route53Record[];

  constructor(scope: Construct, id: string, props: AliasRecordsProps) {
    super(scope, id);
    const types = (props.ipv6 ?? true) ? ["A", "AAAA"] : ["A"];
    this.records = types.map(
      (type) =>
        new Route53Record(this, type.toLowerCase(), {
          zoneId: props.zoneId,
          name: props.domainName,
          type,
          alias: { name: props.targetDnsName, zoneId: props.targetZoneId, evaluateTargetHealth: true },
        }),
    );
  }
}
