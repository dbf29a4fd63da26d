import "cdktf/lib/testing/adapters/jest";
import { RedisCache } from "../constructs/redis-cache";
import type { RedisCacheProps } from "../constructs/redis-cache";
import { blockOf, synth, testStack } from "./support/synth";
import { validate } from "./support/validate";
import { CACHE_GROUP } from "../constructs/model/data-tier";

const BASE: RedisCacheProps = {
  namePrefix: "orders-api-prod",
  subnetIds: ["subnet-a", "subnet-b"],
  securityGroupIds: ["sg-cache"],
  kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/data",
};

function build(overrides: Partial<RedisCacheProps> = {}) {
  const stack = testStack();
  const cache = new RedisCache(
    stack,
    "cache",
    validate("test/cache", CACHE_GROUP, { ...BASE, ...overrides }),
  );
  const json = synth(stack);
  return { cache, json, group: blockOf(json, cache.replicationGroup) };
}

describe("RedisCache", () => {
  test("encrypts in transit and at rest with the given key, in the given subnets and group", () => {
    const { group } = build();
    expect(group).toMatchObject({
      transit_encryption_enabled: true,
      at_rest_encryption_enabled: "true",
      kms_key_id: BASE.kmsKeyArn,
      security_group_ids: BASE.securityGroupIds,
      num_cache_clusters: 1,
      automatic_failover_enabled: false,
      snapshot_retention_limit: 1,
    });
  });

  test("has no password anywhere: the application user logs in with IAM, the default user is off", () => {
    const { cache, json } = build();
    expect(blockOf(json, cache.applicationUser)).toMatchObject({
      user_name: "orders-api-prod-app",
      authentication_mode: { type: "iam" },
    });
    expect(blockOf(json, cache.defaultUser)).toMatchObject({
      user_name: "default",
      access_string: "off -@all",
    });
    expect(JSON.stringify(json)).not.toMatch(/auth_token|passwords/);
  });

  test("fails over automatically across AZs from two nodes on, and names its member clusters", () => {
    const { cache, group } = build({ nodeCount: 2 });
    expect(group).toMatchObject({
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      num_cache_clusters: 2,
    });
    expect(cache.memberClusterIds).toEqual(["orders-api-prod-redis-001", "orders-api-prod-redis-002"]);
  });

  test("refuses a node count and a node type ElastiCache does not offer", () => {
    expect(() => build({ nodeCount: 7, nodeType: "m5.large" })).toThrow(
      /nodeType: got 'm5.large'[\s\S]*nodeCount: got 7|nodeCount: got 7[\s\S]*nodeType/,
    );
  });
});
