import {
  checkField,
  describeValue,
  integerIn,
  listOf,
  mapOf,
  matches,
  oneOf,
  formatProblem,
  optional,
  problemsOf,
  dottedPath,
} from "../constructs/model/checks";

describe("checks", () => {
  test("integerIn accepts whole numbers in range only", () => {
    const rule = integerIn(1, 3, "tasks");
    expect([0, 1, 3, 4, 1.5, "2"].map((v) => rule.test(v))).toEqual([false, true, true, false, false, false]);
    expect(rule.allowed).toBe("an integer from 1 to 3 tasks");
  });

  test("listOf checks length, distinctness and every item", () => {
    const rule = listOf(oneOf(["a", "b", "c"]), { min: 1, max: 2, unique: true });
    expect(rule.test(["a"])).toBe(true);
    expect(rule.test([])).toBe(false);
    expect(rule.test(["a", "a"])).toBe(false);
    expect(rule.test(["a", "d"])).toBe(false);
    expect(rule.test("a")).toBe(false);
    expect(rule.allowed).toBe("a list of 1 to 2 distinct items, each one of 'a', 'b', 'c'");
  });

  test("mapOf checks keys and values; optional accepts undefined", () => {
    const rule = mapOf(matches(/^[A-Z]+$/, "capitals"), integerIn(0, 9));
    expect(rule.test({ A: 1 })).toBe(true);
    expect(rule.test({ a: 1 })).toBe(false);
    expect(rule.test({ A: 10 })).toBe(false);
    expect(rule.test([1])).toBe(false);
    expect(optional(rule).test(undefined)).toBe(true);
  });

  test("entry paths read back as dotted paths for source lookups", () => {
    expect(dottedPath('tags["aws:team"]')).toBe("tags.aws:team");
    expect(dottedPath('service.secrets["a\\"b"]')).toBe('service.secrets.a"b');
    expect(dottedPath("network.availabilityZones[1]")).toBe("network.availabilityZones");
  });

  test("a list or map that fails in some entries names those entries", () => {
    const map = mapOf(matches(/^[A-Za-z.]+$/, "letters and dots"), integerIn(0, 9));
    expect(problemsOf("tags", { ok: 1, bad: 10, "a.b": 2, "1x": 3 }, map)).toEqual([
      { field: "tags.bad", value: 10, allowed: "an integer from 0 to 9" },
      { field: 'tags["1x"]', value: "1x", allowed: "a key that is letters and dots" },
    ]);
    const list = listOf(mapOf(matches(/^[a-z]+$/, "lowercase"), integerIn(0, 9)), { max: 3 });
    expect(problemsOf("zones", [{ a: 1 }, { b: 12 }], list)).toEqual([
      { field: "zones[1].b", value: 12, allowed: "an integer from 0 to 9" },
    ]);
    // Too many entries, or not a list at all: the whole value is the problem.
    expect(problemsOf("zones", [{}, {}, {}, {}], list)).toEqual([
      { field: "zones", value: [{}, {}, {}, {}], allowed: list.allowed },
    ]);
    expect(problemsOf("tags", "x", optional(map))).toEqual([
      { field: "tags", value: "x", allowed: optional(map).allowed },
    ]);
    expect(problemsOf("tags", JSON.parse('{"__proto__": 1}'), map)).toEqual([
      { field: 'tags["__proto__"]', value: "__proto__", allowed: "a key that is letters and dots" },
    ]);
  });

  test("problem lines name the field, the value and what is allowed, and stay short", () => {
    expect(checkField("port", 0, integerIn(1, 2)).map(formatProblem)).toEqual([
      "port: got 0; allowed: an integer from 1 to 2",
    ]);
    expect(checkField("port", 1, integerIn(1, 2))).toEqual([]);
    expect(formatProblem({ field: "x", value: "y".repeat(500), allowed: "z" }).length).toBeLessThan(250);
    expect(
      formatProblem({ scope: "prod", field: "cpu", value: 3, allowed: "256", source: "overrides.json:4" }),
    ).toBe("[prod] cpu: got 3 (from overrides.json:4); allowed: 256");
    expect(describeValue("${TfToken[TOKEN.1]}")).toBe("an unresolved token");
  });
});
