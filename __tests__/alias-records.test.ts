import "cdktf/lib/testing/adapters/jest";
import { AliasRecords } from "../constructs/alias-records";
import { resources, synth, testStack } from "./support/synth";

function build(ipv6?: boolean) {
  const stack = testStack();
  new AliasRecords(stack, "dns", {
    zoneId: "Z1",
    domainName: "api.example.com",
    targetDnsName: "lb.aws",
    targetZoneId: "ZLB",
    ipv6,
  });
  return Object.values(resources(synth(stack), "aws_route53_record"));
}

describe("AliasRecords", () => {
  test("publishes A and AAAA alias records to the target, evaluating its health", () => {
    const records = build();
    expect(records.map((r) => r.type)).toEqual(["A", "AAAA"]);
    for (const record of records) {
      expect(record).toMatchObject({
        zone_id: "Z1",
        name: "api.example.com",
        alias: { name: "lb.aws", zone_id: "ZLB", evaluate_target_health: true },
      });
    }
  });

  test("publishes only A when the target is IPv4-only", () => {
    expect(build(false).map((r) => r.type)).toEqual(["A"]);
  });
});
