/**
 * The jest runtime that shares compiled code between test files (support/shared-code-runtime.js)
 * wraps each module on the module's own first line: stack traces still point at the TypeScript
 * source's lines and columns.
 */
describe("the shared-code runtime", () => {
  test("reports an error at its line and column in the TypeScript source", () => {
    const error = new Error("here"); // line 8, column 19
    expect(error.stack).toMatch(/shared-code-runtime\.test\.ts:8:19\)/);
  });
});
