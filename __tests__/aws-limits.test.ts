import {
  FARGATE_MEMORY_BY_CPU,
  availabilityZoneOf,
  awsRegion,
  defaultAvailabilityZones,
  domainIsInZone,
  domainName,
  elbName,
  fargateMemoryFor,
  partitionOf,
} from "../constructs/model/aws-limits";

describe("AWS limits", () => {
  test("Fargate sizes follow AWS's table", () => {
    expect(FARGATE_MEMORY_BY_CPU[256]).toEqual([512, 1024, 2048]);
    expect(FARGATE_MEMORY_BY_CPU[4096]).toHaveLength(23);
    expect(FARGATE_MEMORY_BY_CPU[8192]?.[1]).toBe(20480);
    expect(fargateMemoryFor(1024).test(2048)).toBe(true);
    expect(fargateMemoryFor(1024).test(1024)).toBe(false);
    expect(fargateMemoryFor(3).test(512)).toBe(false);
  });

  test("regions, AZ names and partitions", () => {
    expect(awsRegion.test("eu-west-1")).toBe(true);
    expect(awsRegion.test("eu-west-9")).toBe(false);
    expect(defaultAvailabilityZones("us-east-1", 3)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(availabilityZoneOf("us-east-1").test("us-east-1f")).toBe(true);
    expect(availabilityZoneOf("us-east-1").test("us-east-2a")).toBe(false);
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
    expect(partitionOf("eu-west-1")).toBe("aws");
  });

  test("domain names and hosted zones", () => {
    expect(domainName.test("api.example.com")).toBe(true);
    for (const bad of [
      "*.example.com",
      "API.example.com",
      "-a.example.com",
      "a..b.com",
      "localhost",
      `${"a".repeat(64)}.com`,
    ]) {
      expect([bad, domainName.test(bad)]).toEqual([bad, false]);
    }
    expect(domainIsInZone("api.example.com", "example.com.")).toBe(true);
    expect(domainIsInZone("example.com", "example.com")).toBe(true);
    expect(domainIsInZone("api.notexample.com", "example.com")).toBe(false);
  });

  test("load-balancer names", () => {
    expect(elbName.test("a".repeat(32))).toBe(true);
    expect(elbName.test("a".repeat(33))).toBe(false);
    expect(elbName.test("internal-api")).toBe(false);
    expect(elbName.test("api-")).toBe(false);
  });
});
