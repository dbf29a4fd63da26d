import { Testing, TerraformStack, TerraformVariable } from "cdktf";
import { TerraformOutput } from "cdktf";
import { escapeHclString, jsonencode } from "../constructs/model/json-encode";
import { decodeJsonencode } from "../.ci/policy/hcl-expression";

describe("jsonencode", () => {
  test("round-trips literal strings with quotes, backslashes, newlines and template markers", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const tricky = 'say "hi" \\ to ${user} and %{if} now\n\ttab';
    new TerraformOutput(stack, "out", { value: jsonencode({ value: tricky, list: ["a", 1, true] }) });
    const json = JSON.parse(Testing.synth(stack));
    expect(decodeJsonencode(json.output.out.value)).toEqual({ value: tricky, list: ["a", 1, true] });
  });

  test("leaves references alone", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const tag = new TerraformVariable(stack, "tag", { type: "string" });
    new TerraformOutput(stack, "out", { value: jsonencode({ image: `repo:${tag.stringValue}` }) });
    const json = JSON.parse(Testing.synth(stack));
    expect(decodeJsonencode(json.output.out.value)).toEqual({ image: "repo:${var.tag}" });
  });

  test("escapes what an HCL quoted template needs and cdktf leaves alone", () => {
    expect(escapeHclString('a"b\\c%{e}\n')).toBe('a\\"b\\\\c%%{e}\\n');
    expect(escapeHclString("plain-value_1.2")).toBe("plain-value_1.2");
  });
});
