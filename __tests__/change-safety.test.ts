/**
 * The change-safety run's own logic: how plan actions are classified, what the day-two invariants
 * refuse, and that the catalogue holds at least 20 edits that are valid configurations one on top
 * of the other in dev and prod (npm run e2e applies them to deployed environments).
 */
import { CHANGE_CATALOGUE } from "../.ci/e2e/change-catalogue";
import { FINAL_ROW } from "../.ci/e2e/change-safety";
import {
  classify,
  invariantViolations,
  missingChanges,
  summary,
  unexpectedChanges,
} from "../.ci/e2e/plan-classes";
import type { ChangeClass, ResourceChange } from "../.ci/e2e/plan-classes";
import { deepMerge } from "../constructs/model/merge";
import { EXAMPLE_PROJECT } from "../stacks/config/example-project";
import { loadSettings } from "../stacks/config/load";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { overrideFile } from "./support/settings";

const change = (
  type: string,
  actions: string[],
  before: Record<string, unknown> = {},
  after: Record<string, unknown> = {},
): ResourceChange => ({ address: `${type}.x`, type, mode: "managed", change: { actions, before, after } });

describe("plan classes", () => {
  it.each<[string[], ChangeClass]>([
    [["no-op"], "no-op"],
    [["read"], "no-op"],
    [["create"], "create"],
    [["update"], "in-place"],
    [["create", "delete"], "replace-cbd"],
    [["delete", "create"], "replace-dtc"],
    [["delete"], "delete"],
  ])("%j is %s", (actions, expected) => {
    expect(classify(change("aws_lb_target_group", actions))).toBe(expected);
  });

  it("an ECS service update is rolling when it changes the task definition or the network, in place otherwise", () => {
    expect(
      classify(change("aws_ecs_service", ["update"], { task_definition: "a:1" }, { task_definition: "a:2" })),
    ).toBe("rolling");
    expect(
      classify(
        change(
          "aws_ecs_service",
          ["update"],
          { health_check_grace_period_seconds: 60 },
          { health_check_grace_period_seconds: 90 },
        ),
      ),
    ).toBe("in-place");
  });

  it("refuses a stateful replacement or deletion, and a serving resource destroyed first", () => {
    const classes = new Map<string, ChangeClass>([
      ["aws_db_instance.db", "replace-cbd"],
      ["aws_cloudwatch_log_group.logs", "delete"],
      ["aws_lb_target_group.tg", "replace-cbd"],
      ["aws_ecs_service.svc", "replace-dtc"],
      ["aws_iam_role.task", "replace-dtc"],
      ['aws_route53_record.certificate_validation_record_617D7E70["api.example.com"]', "replace-dtc"],
      ["aws_route53_record.alias_records_ipv4_1A2B3C4D", "replace-dtc"],
    ]);
    expect(invariantViolations(classes)).toEqual([
      "aws_db_instance.db (stateful): replace-cbd",
      "aws_cloudwatch_log_group.logs (stateful): delete",
      "aws_ecs_service.svc (serving): replace-dtc",
      "aws_route53_record.alias_records_ipv4_1A2B3C4D (serving): replace-dtc",
    ]);
  });

  it("compares a plan with an entry: other classes, missing changes and unexpected resources", () => {
    const classes = new Map<string, ChangeClass>([
      ["aws_ecs_service.svc", "rolling"],
      ["aws_lb_target_group.tg", "in-place"],
      ["aws_vpc.vpc", "no-op"],
    ]);
    expect(
      unexpectedChanges(classes, { aws_ecs_service: "rolling", aws_lb_target_group: "in-place" }),
    ).toEqual([]);
    expect(unexpectedChanges(classes, { aws_ecs_service: "rolling", aws_db_instance: "in-place" })).toEqual([
      "aws_lb_target_group.tg: in-place, expected no-op",
      "aws_db_instance: no change, expected in-place",
    ]);
    expect(summary(classes)).toBe("1 rolling, 1 in-place");
  });
});

describe("what a plan must contain (an edit that needs a window)", () => {
  it("names each type with no resource in the wanted classes", () => {
    const classes = new Map<string, ChangeClass>([
      ["aws_lb_target_group.tg", "replace-cbd"],
      ["aws_ecs_service.svc", "in-place"],
    ]);
    expect(
      missingChanges(classes, {
        aws_lb_target_group: "replace-cbd",
        aws_ecs_service: ["rolling", "replace-dtc"],
      }),
    ).toEqual(["aws_ecs_service: no rolling or replace-dtc in the plan"]);
  });
});

describe("the change catalogue", () => {
  it("has at least 20 edits, each named once", () => {
    const names = CHANGE_CATALOGUE.map((e) => e.name);
    expect(names.length).toBeGreaterThanOrEqual(20);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(["dev", "prod"])(
    "applies in %s as valid settings, each routine edit on top of the ones before; the others as declared",
    (name) => {
      let overrides: Record<string, unknown> = {};
      let applied = 0;
      const settings = (extra: Record<string, unknown> = {}) => {
        const found = loadSettings(
          EXAMPLE_PROJECT,
          overrideFile(deepMerge(overrides, extra)),
        ).environments.find((e) => e.name === name);
        if (found === undefined) throw new Error(`no ${name}`);
        return found;
      };
      for (const edit of CHANGE_CATALOGUE) {
        const before = settings();
        if (edit.when !== undefined && !edit.when(before)) continue;
        const made = edit.change(before, {
          secretArn: `arn:aws:secretsmanager:${before.region}:123456789012:secret:e2e-AbCdEf`,
        });
        const edited = made.overrides === undefined ? {} : { [name]: made.overrides };
        const notRoutine = edit.notRoutine?.(before);
        if (notRoutine?.kind === "refused at synth") {
          expect(() => settings(edited)).toThrow(notRoutine.message);
          continue;
        }
        expect(() => settings(edited)).not.toThrow();
        if (notRoutine !== undefined) continue;
        overrides = deepMerge(overrides, edited);
        applied += 1;
      }
      expect(applied).toBeGreaterThanOrEqual(20);
    },
  );

  it("declares what each edit that is not routine does instead, in prod and in dev", () => {
    const kinds = (name: string) => {
      const env = loadSettings(EXAMPLE_PROJECT, overrideFile({})).environments.find((e) => e.name === name);
      if (env === undefined) throw new Error(`no ${name}`);
      return CHANGE_CATALOGUE.flatMap((edit) => edit.notRoutine?.(env)?.kind ?? []);
    };
    expect(kinds("prod")).toEqual(expect.arrayContaining(["refused at synth", "refused at plan"]));
    expect(kinds("dev")).toContain("needs a window");
  });
});

describe("the change table of help/day-two.md", () => {
  const readme = readFileSync(join(__dirname, "..", "help", "day-two.md"), "utf8");
  const table = readme.slice(
    readme.indexOf("<!-- change-table:start -->"),
    readme.indexOf("<!-- change-table:end -->"),
  );
  const rows = table
    .split("\n")
    .filter((line) => /^\| (dev|prod) +\|/.test(line))
    .map((line) => line.split("|").map((cell) => cell.trim()));

  it("shows a run of the current catalogue: every edit in dev and prod, and nothing else", () => {
    const shown = new Set(rows.map((cells) => cells[2]));
    expect([...shown].sort()).toEqual([...CHANGE_CATALOGUE.map((e) => e.name), FINAL_ROW].sort());
    expect(rows.length).toBe(2 * (CHANGE_CATALOGUE.length + 1));
  });

  it("shows no edit that behaved otherwise than declared", () => {
    const verdicts = rows.map((cells) => cells[5] ?? "");
    expect(verdicts.filter((v) => v !== "as expected" && !v.startsWith("skipped"))).toEqual([]);
  });
});
