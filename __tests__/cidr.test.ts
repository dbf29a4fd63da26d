import {
  cidrContains,
  cidrsOverlap,
  defaultSubnetPrefixLength,
  formatIpv4Cidr,
  hasHostBits,
  ipv4Cidr,
  parseIpv4Cidr,
  planSubnets,
  slotsPerTier,
} from "../constructs/model/cidr";
import type { Ipv4Cidr } from "../constructs/model/cidr";

describe("parseIpv4Cidr", () => {
  test("parses a network CIDR and formats it back", () => {
    const cidr = parseIpv4Cidr("10.20.0.0/16");
    expect(cidr).toEqual({ network: (10 * 256 + 20) * 65536, prefixLength: 16 });
    expect(formatIpv4Cidr(cidr as Ipv4Cidr)).toBe("10.20.0.0/16");
    expect(formatIpv4Cidr(parseIpv4Cidr("255.255.255.255/32") as Ipv4Cidr)).toBe("255.255.255.255/32");
  });

  test.each([
    "10.0.0.0",
    "10.0.0/16",
    "256.0.0.0/16",
    "10.0.0.0/33",
    "010.0.0.0/16",
    "a.b.c.d/8",
    " 10.0.0.0/16",
    42,
  ])("rejects malformed %p", (text) => {
    expect(parseIpv4Cidr(text)).toBeUndefined();
    expect(hasHostBits(text)).toBe(false);
  });

  test("rejects a CIDR with host bits set and says so", () => {
    expect(parseIpv4Cidr("10.0.0.1/16")).toBeUndefined();
    expect(hasHostBits("10.0.0.1/16")).toBe(true);
  });
});

describe("ipv4Cidr check", () => {
  test("accepts only prefixes within the range", () => {
    const rule = ipv4Cidr(16, 24);
    expect(rule.test("10.0.0.0/16")).toBe(true);
    expect(rule.test("10.0.0.0/24")).toBe(true);
    expect(rule.test("10.0.0.0/15")).toBe(false);
    expect(rule.test("10.0.0.0/25")).toBe(false);
    expect(rule.allowed).toContain("/16 to /24");
  });
});

describe("overlap and containment", () => {
  const c = (text: string) => parseIpv4Cidr(text) as Ipv4Cidr;
  test("adjacent blocks do not overlap; nested ones do", () => {
    expect(cidrsOverlap(c("10.0.0.0/24"), c("10.0.1.0/24"))).toBe(false);
    expect(cidrsOverlap(c("10.0.0.0/16"), c("10.0.5.0/24"))).toBe(true);
    expect(cidrContains(c("10.0.0.0/16"), c("10.0.5.0/24"))).toBe(true);
    expect(cidrContains(c("10.0.5.0/24"), c("10.0.0.0/16"))).toBe(false);
    expect(cidrContains(c("10.0.0.0/16"), c("10.1.0.0/24"))).toBe(false);
  });
});

describe("planSubnets", () => {
  test("lays tiers out at fixed offsets: public 0.., private 4.., isolated 8..", () => {
    expect(planSubnets("10.0.0.0/16", 2, 20)).toEqual({
      public: ["10.0.0.0/20", "10.0.16.0/20"],
      private: ["10.0.64.0/20", "10.0.80.0/20"],
      isolated: ["10.0.128.0/20", "10.0.144.0/20"],
    });
  });

  test("adding a third AZ keeps the first two subnets of every tier", () => {
    const two = planSubnets("10.0.0.0/16", 2, 20);
    const three = planSubnets("10.0.0.0/16", 3, 20);
    for (const tier of ["public", "private", "isolated"] as const) {
      expect(three[tier].slice(0, 2)).toEqual(two[tier]);
    }
    expect(three.private[2]).toBe("10.0.96.0/20");
  });

  test("a /24 VPC gets /27 subnets by default, the smallest an ALB accepts", () => {
    expect(defaultSubnetPrefixLength(24)).toBe(27);
    expect(defaultSubnetPrefixLength(22)).toBe(26);
    expect(planSubnets("192.168.1.0/24", 2, 27).isolated).toEqual(["192.168.1.128/27", "192.168.1.160/27"]);
    expect(() => planSubnets("192.168.1.0/24", 3, 27)).toThrow(
      /3 AZs do not fit 192\.168\.1\.0\/24 with \/27 subnets \(at most 2 per tier\)/,
    );
  });

  test("a VPC with fewer than 12 slots splits them in thirds", () => {
    expect(slotsPerTier(22, 24)).toBe(1);
    expect(slotsPerTier(21, 24)).toBe(2);
    expect(planSubnets("10.0.0.0/21", 2, 24)).toEqual({
      public: ["10.0.0.0/24", "10.0.1.0/24"],
      private: ["10.0.2.0/24", "10.0.3.0/24"],
      isolated: ["10.0.4.0/24", "10.0.5.0/24"],
    });
  });

  test("every plan keeps subnets inside the VPC and disjoint", () => {
    for (let vpcPrefix = 16; vpcPrefix <= 24; vpcPrefix++) {
      for (let subnetPrefix = vpcPrefix + 2; subnetPrefix <= 28; subnetPrefix++) {
        const perTier = slotsPerTier(vpcPrefix, subnetPrefix);
        for (let azs = 1; azs <= Math.min(perTier, 3); azs++) {
          const vpcText = `10.${vpcPrefix}.0.0/${vpcPrefix}`;
          const vpc = parseIpv4Cidr(vpcText) as Ipv4Cidr;
          const plan = planSubnets(vpcText, azs, subnetPrefix);
          const all = [...plan.public, ...plan.private, ...plan.isolated].map(
            (t) => parseIpv4Cidr(t) as Ipv4Cidr,
          );
          expect(all).toHaveLength(3 * azs);
          all.forEach((subnet, i) => {
            expect(cidrContains(vpc, subnet)).toBe(true);
            all.slice(i + 1).forEach((other) => expect(cidrsOverlap(subnet, other)).toBe(false));
          });
        }
      }
    }
  });

  test("fails when the AZs do not fit", () => {
    expect(() => planSubnets("10.0.0.0/22", 2, 24)).toThrow(
      /2 AZs do not fit 10.0.0.0\/22 with \/24 subnets/,
    );
    expect(() => planSubnets("10.0.0.1/16", 2, 20)).toThrow(/not an IPv4 network CIDR/);
  });
});
