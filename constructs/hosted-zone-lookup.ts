import { Construct } from "constructs";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import type { HostedZoneOptions } from "./model/load-balancer";
import { escapeHclString } from "./model/json-encode";

export interface HostedZoneLookupProps extends HostedZoneOptions {
  /** Name that must lie in the zone, e.g. "api.example.com". */
  readonly domainName: string;
  /** Zone id; give this or `zoneName`. */
  readonly zoneId?: string;
  /** Zone name, e.g. "example.com"; give this or `zoneId`. */
  readonly zoneName?: string;
}

/**
 * Finds a public hosted zone by id or by name. A zone given by name is checked against the
 * domain at synth time; a zone given by id is checked at plan time by a postcondition, so a
 * record is never written into a zone that does not contain the domain.
 */
export class HostedZoneLookup extends Construct {
  public readonly zone: DataAwsRoute53Zone;
  public readonly zoneId: string;

  constructor(scope: Construct, id: string, props: HostedZoneLookupProps) {
    super(scope, id);
    const byId = props.zoneId !== undefined;
    const domain = escapeHclString(props.domainName);
    this.zone = new DataAwsRoute53Zone(this, "zone", {
      ...(byId ? { zoneId: props.zoneId } : { name: props.zoneName?.replace(/\.$/, "") }),
      privateZone: false,
      lifecycle: {
        postcondition: [
          {
            condition: `\${"${domain}" == trimsuffix(self.name, ".") || endswith("${domain}", ".\${trimsuffix(self.name, ".")}")}`,
            errorMessage: `The hosted zone does not contain ${props.domainName}.`,
          },
        ],
      },
    });
    this.zoneId = this.zone.zoneId;
  }
}
