/**
 * Destroy safety: in an environment with destroyProtection (prod's preset), every stateful
 * resource carries prevent_destroy, so `terraform destroy` and any plan that would replace one fail
 * at plan time with nothing deleted. destroyBreakGlass lifts it (and the deletion protection of
 * the database and the load balancer), never on the keys: they outlive the final snapshots and the
 * retained backups they encrypt. npm run e2e shows both sides against a deployed prod.
 */
import { resourceClass } from "../constructs/model/resource-classes";
import { build } from "./support/environment-stack";
import { overrideFile, problemsOf } from "./support/settings";
import { only, resources } from "./support/synth";
import type { Block, TerraformJson } from "./support/synth";

function protectedTypes(json: TerraformJson): Array<[string, string, boolean]> {
  return Object.entries(json.resource).flatMap(([type, byName]) =>
    Object.entries(byName).map(
      ([name, block]) =>
        [type, name, (block.lifecycle as Block | undefined)?.prevent_destroy === true] as [
          string,
          string,
          boolean,
        ],
    ),
  );
}

describe("destroy protection", () => {
  const prod = build("prod").json;

  it("prod: every stateful resource, and only those, carries prevent_destroy", () => {
    const all = protectedTypes(prod);
    expect(all.filter(([type]) => resourceClass(type) === "stateful").length).toBeGreaterThanOrEqual(10);
    for (const [type, name, prevented] of all) {
      expect([type, name, prevented]).toEqual([type, name, resourceClass(type) === "stateful"]);
    }
  });

  it("dev (no destroyProtection): nothing carries prevent_destroy", () => {
    expect(protectedTypes(build("dev").json).filter(([, , prevented]) => prevented)).toEqual([]);
  });

  it("backups and snapshots outlive the database and the cache", () => {
    const db = only(prod, "aws_db_instance");
    expect(db.delete_automated_backups).toBe(false);
    expect(db.skip_final_snapshot).toBe(false);
    const cache = only(prod, "aws_elasticache_replication_group");
    expect(cache.final_snapshot_identifier).toBe(`${String(cache.replication_group_id)}-final`);
    expect(only(build("dev").json, "aws_elasticache_replication_group").final_snapshot_identifier).toBe(
      undefined,
    );
  });

  describe("with destroyBreakGlass", () => {
    const glass = build("prod", {}, { destroyBreakGlass: true }).json;

    it("only the keys keep prevent_destroy", () => {
      const prevented = protectedTypes(glass).filter(([, , p]) => p);
      expect(prevented.length).toBe(Object.keys(resources(glass, "aws_kms_key")).length);
      expect(new Set(prevented.map(([type]) => type))).toEqual(new Set(["aws_kms_key"]));
    });

    it("the database and the load balancer lose their deletion protection", () => {
      expect(only(prod, "aws_db_instance").deletion_protection).toBe(true);
      expect(only(prod, "aws_lb").enable_deletion_protection).toBe(true);
      expect(only(glass, "aws_db_instance").deletion_protection).toBe(false);
      expect(only(glass, "aws_lb").enable_deletion_protection).toBe(false);
    });

    it("keeps the final snapshot and the retained backups", () => {
      expect(only(glass, "aws_db_instance").skip_final_snapshot).toBe(false);
      expect(only(glass, "aws_db_instance").delete_automated_backups).toBe(false);
    });
  });

  it("prod refuses destroyProtection off, naming the break-glass way", () => {
    expect(problemsOf(overrideFile({ prod: { destroyProtection: false } }))).toEqual([
      expect.objectContaining({
        scope: "prod",
        field: "destroyProtection",
        value: false,
        allowed: expect.stringContaining("destroyBreakGlass: true"),
      }),
    ]);
  });

  it("prod refuses a cache without a final snapshot", () => {
    expect(problemsOf(overrideFile({ prod: { cache: { finalSnapshot: false } } }))).toEqual([
      expect.objectContaining({ scope: "prod", field: "cache.finalSnapshot", value: false }),
    ]);
  });
});
