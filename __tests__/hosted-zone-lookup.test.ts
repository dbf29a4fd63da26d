import "cdktf/lib/testing/adapters/jest";
import { HostedZoneLookup } from "../constructs/hosted-zone-lookup";
import type { HostedZoneLookupProps } from "../constructs/hosted-zone-lookup";
import { dataSources, synth, testStack } from "./support/synth";
import { validate } from "./support/validate";
import { HOSTED_ZONE_CROSS_CHECKS, HOSTED_ZONE_RULES } from "../constructs/model/load-balancer";

function build(props: HostedZoneLookupProps) {
  const stack = testStack();
  new HostedZoneLookup(
    stack,
    "zone",
    validate("test/zone", { rules: HOSTED_ZONE_RULES, crossChecks: HOSTED_ZONE_CROSS_CHECKS }, props),
  );
  return Object.values(dataSources(synth(stack), "aws_route53_zone"))[0];
}

describe("HostedZoneLookup", () => {
  test("looks a public zone up by name or by id", () => {
    expect(build({ domainName: "api.example.com", zoneName: "example.com" })).toMatchObject({
      name: "example.com",
      private_zone: false,
    });
    expect(build({ domainName: "api.example.com", zoneId: "Z0123456789ABC" })).toMatchObject({
      zone_id: "Z0123456789ABC",
      private_zone: false,
    });
  });

  test("checks at plan time that the zone contains the domain", () => {
    const zone = build({ domainName: "api.example.com", zoneId: "Z0123456789ABC" });
    expect(zone?.lifecycle.postcondition).toEqual([
      {
        condition:
          '${"api.example.com" == trimsuffix(self.name, ".") || endswith("api.example.com", ".${trimsuffix(self.name, ".")}")}',
        error_message: "The hosted zone does not contain api.example.com.",
      },
    ]);
  });

  test.each<[string, HostedZoneLookupProps, RegExp]>([
    [
      "a zone that does not contain the domain",
      { domainName: "api.example.org", zoneName: "example.com" },
      /domainName: got 'api\.example\.org'; allowed: a name inside the hosted zone example\.com/,
    ],
    [
      "a look-alike zone",
      { domainName: "api.notexample.com", zoneName: "example.com" },
      /a name inside the hosted zone example\.com/,
    ],
    [
      "both id and name",
      { domainName: "a.example.com", zoneName: "example.com", zoneId: "Z1" },
      /exactly one of zoneId and zoneName/,
    ],
    ["neither id nor name", { domainName: "a.example.com" }, /exactly one of zoneId and zoneName/],
    ["a malformed zone id", { domainName: "a.example.com", zoneId: "abc" }, /zoneId: got 'abc'/],
  ])("fails on %s", (_, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
