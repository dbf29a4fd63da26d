import { deepMerge } from "../constructs/model/merge";

describe("deepMerge", () => {
  test("merges objects recursively, later layers winning, lists replaced whole", () => {
    expect(deepMerge<unknown>({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] } }, { d: 2 })).toEqual({
      a: { b: 1, c: [3] },
      d: 2,
    });
  });

  test("null removes a key; undefined changes nothing", () => {
    expect(deepMerge<unknown>({ a: 1, b: { c: 2 } }, { a: null, b: { c: undefined } })).toEqual({
      b: { c: 2 },
    });
  });

  test("does not modify its inputs", () => {
    const base = { a: { b: 1 } };
    deepMerge(base, { a: { b: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
  });

  test("keeps keys JavaScript treats specially as plain data", () => {
    const override = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": 1, "toString": "x"}',
    ) as object;
    const merged = deepMerge<Record<string, unknown>>({ a: 1 }, override);
    expect(Object.keys(merged)).toEqual(["a", "__proto__", "constructor", "toString"]);
    expect(Object.getOwnPropertyDescriptor(merged, "__proto__")?.value).toEqual({ polluted: true });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
