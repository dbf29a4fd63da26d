import { Lazy, TerraformOutput, Testing, Tokenization } from "cdktf";

describe("skipTokenCreationTraces", () => {
  test("cdktf's capture records nothing until SYNTH_TOKEN_TRACES=true asks to keep it", async () => {
    // Fresh modules: jest's setup file has already skipped the traces in this test file's own.
    await jest.isolateModulesAsync(async () => {
      const cdktfTraces = await import("cdktf/lib/tokens/private/stack-trace");
      const { skipTokenCreationTraces } = await import("../stacks/app/token-traces");
      expect(cdktfTraces.captureStackTrace().length).toBeGreaterThan(0);
      skipTokenCreationTraces({ SYNTH_TOKEN_TRACES: "true" });
      expect(cdktfTraces.captureStackTrace().length).toBeGreaterThan(0);
      skipTokenCreationTraces({});
      expect(cdktfTraces.captureStackTrace()).toEqual([]);
    });
  });

  test("tokens then carry an empty creation trace and still resolve", () => {
    const token = Lazy.stringValue({ produce: () => "value" });
    expect(
      (Tokenization.reverseString(token).tokens[0] as unknown as { creationStack: string[] }).creationStack,
    ).toEqual([]);
    const json = Testing.synthScope((scope) => new TerraformOutput(scope, "out", { value: token }));
    expect((JSON.parse(json) as { output: { out: { value: string } } }).output.out.value).toBe("value");
  });
});
