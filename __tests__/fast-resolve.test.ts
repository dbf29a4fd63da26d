/**
 * The faster resolve gives what cdktf's own gives: the example's output, JSON and HCL, byte for
 * byte, and for any value (tokens, escapes, number-like strings, map-token values, depth) the
 * same result or the same error.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import cdktfPackage from "cdktf/package.json";
import { COPIED_FROM_CDKTF } from "../stacks/app/fast-resolve";
import { cliEnv, shared, snapshotTree } from "./support/shared-synth";
import type { SharedCommand } from "./support/shared-synth";

import type * as Cdktf from "cdktf";
import type * as ResolveModule from "cdktf/lib/tokens/private/resolve";
import type * as FastResolveModule from "../stacks/app/fast-resolve";

type Resolve = typeof ResolveModule.resolve;

/** Runs fn with a fresh set of modules, where cdktf's resolve is still its own. */
function withFreshCdktf<T>(fn: (load: <M>(id: string) => M) => T): T {
  let result: T | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    result = fn(<M>(id: string) => require(id) as M);
  });
  return result as T;
}

/** npm run <script> on the example with cdktf's own resolve (SYNTH_FAST_RESOLVE=false). */
function synthesizedWithCdktfResolve(script: SharedCommand): string {
  const outdir = join(mkdtempSync(join(tmpdir(), "cdktf-resolve-")), "cdktf.out");
  const result = spawnSync("npm", ["run", "--silent", script, "--", "--output", outdir], {
    encoding: "utf8",
    env: cliEnv({ SYNTH_FAST_RESOLVE: "false" }),
  });
  expect([result.status, result.stderr]).toEqual([0, expect.any(String)]);
  return outdir;
}

describe("useFastResolve", () => {
  test("was copied from the installed cdktf, and installs unless SYNTH_FAST_RESOLVE=false", () => {
    // A new cdktf fails here first: copy its resolve() again before moving the pin.
    expect(cdktfPackage.version).toBe(COPIED_FROM_CDKTF);
    withFreshCdktf((load) => {
      const fresh = load<typeof FastResolveModule>("../stacks/app/fast-resolve");
      const module = load<typeof ResolveModule>("cdktf/lib/tokens/private/resolve");
      const cdktfOwn = module.resolve;
      expect(fresh.useFastResolve({ SYNTH_FAST_RESOLVE: "false" })).toBe(false);
      expect(module.resolve).toBe(cdktfOwn);
      expect(fresh.useFastResolve({})).toBe(true);
      expect(module.resolve).toBe(fresh.resolve);
    });
  });

  test.each<SharedCommand>(["synth", "synth:hcl"])(
    "npm run %s writes the same bytes with cdktf's own resolve (SYNTH_FAST_RESOLVE=false)",
    (script) => {
      const run = shared(script);
      expect(run.status).toBe(0);
      const fast = snapshotTree(run.outdir);
      expect(Object.keys(fast).length).toBeGreaterThanOrEqual(5);
      expect(snapshotTree(synthesizedWithCdktfResolve(script))).toEqual(fast);
    },
  );

  test("any value resolves to what cdktf's resolve gives, or fails with the same error", () => {
    withFreshCdktf((load) => {
      const cdktf = load<typeof Cdktf>("cdktf");
      const cdktfOwn: Resolve = load<typeof ResolveModule>("cdktf/lib/tokens/private/resolve").resolve;
      const fast: Resolve = load<typeof FastResolveModule>("../stacks/app/fast-resolve").resolve;
      const stack = new cdktf.TerraformStack(cdktf.Testing.app(), "values");
      const keyToken = cdktf.Lazy.stringValue({ produce: () => "key" });
      const tokens = [
        cdktf.Lazy.stringValue({ produce: () => "lazy" }),
        cdktf.Lazy.numberValue({ produce: () => 7 }),
        cdktf.Lazy.anyValue({ produce: () => ({ a: ["b", 1] }) }),
        cdktf.Lazy.listValue({ produce: () => ["x", "y"] }),
        cdktf.Token.asString(cdktf.Lazy.anyValue({ produce: () => ({ n: 1 }) })),
        cdktf.Token.asNumber("${var.count}"),
        cdktf.Token.asList("${var.list}"),
        cdktf.Token.asStringMap("${var.map}"),
        cdktf.Fn.join("-", ["a", cdktf.Lazy.stringValue({ produce: () => "b" })]),
        `prefix-${cdktf.Lazy.stringValue({ produce: () => "mid" })}-suffix`,
        // Number tokens written into strings: only the number pattern finds them.
        `count-${cdktf.Token.asNumber("${var.count}")}`,
        `${cdktf.Lazy.numberValue({ produce: () => 3 })}`,
      ];
      const awkward = fc.constantFrom<unknown>(
        "${aws_s3_bucket.b.arn}",
        "$${literal}",
        "a}b{c",
        "1e5",
        "-1.8881545897087626e+289",
        "service-e2e",
        "TfToken[",
        cdktf.Token.STRING_MAP_TOKEN_VALUE,
        cdktf.Token.ANY_MAP_TOKEN_VALUE,
        cdktf.Token.NUMBER_MAP_TOKEN_VALUE,
        -0,
        Number.NaN,
        new Date(0),
        () => 1,
        stack,
      );
      const leaf = fc.oneof(
        fc.constantFrom<unknown>(...tokens),
        awkward,
        fc.jsonValue({ maxDepth: 0 }),
        fc.string(),
      );
      const value = fc.letrec<{ value: unknown }>((tie) => ({
        value: fc.oneof(
          { depthSize: "small", withCrossShrink: true },
          leaf,
          fc.array(tie("value"), { maxLength: 4 }),
          fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), fc.constant(keyToken)), tie("value"), {
            maxKeys: 4,
          }),
        ),
      })).value;
      const deep = fc.nat({ max: 205 }).map((depth) => {
        let nested: unknown = "leaf";
        for (let i = 0; i < depth; i++) nested = i % 2 ? [nested] : { k: nested };
        return nested;
      });
      const outcome = (resolve: Resolve, input: unknown, preparing: boolean) => {
        const resolver = new cdktf.DefaultTokenResolver(new cdktf.StringConcat());
        try {
          return { value: resolve(input, { scope: stack, preparing, resolver }) as unknown };
        } catch (error) {
          return { error: String(error) };
        }
      };
      fc.assert(
        fc.property(fc.oneof(value, deep), fc.boolean(), (input, preparing) => {
          expect(outcome(fast, input, preparing)).toEqual(outcome(cdktfOwn, input, preparing));
        }),
        { seed: 20261123, numRuns: 500 },
      );
    });
  });
});
