import { decodeJsonencode, parseHclExpression } from "../.ci/policy/hcl-expression";

describe("HCL expression decoder (test support)", () => {
  test("decodes objects, lists, numbers, booleans and null", () => {
    expect(parseHclExpression('[{"a" = 1, "b" = [true, false, null], "c" = {"d" = -2.5}}]')).toEqual([
      { a: 1, b: [true, false, null], c: { d: -2.5 } },
    ]);
  });

  test("keeps interpolations in strings and turns bare references into interpolations", () => {
    expect(
      parseHclExpression(
        '{"image" = "${aws_ecr_repository.r.repository_url}:${var.tag}", "group" = aws_x.y.name}',
      ),
    ).toEqual({
      image: "${aws_ecr_repository.r.repository_url}:${var.tag}",
      group: "${aws_x.y.name}",
    });
  });

  test("unescapes quotes, backslashes, control characters and literal template markers", () => {
    expect(parseHclExpression('"a \\"q\\" \\\\ b\\n$${x} %%{y}"')).toBe('a "q" \\ b\n${x} %{y}');
  });

  test("reads a whole jsonencode attribute and rejects anything else", () => {
    expect(decodeJsonencode('${jsonencode({"k" = "v"})}')).toEqual({ k: "v" });
    expect(() => decodeJsonencode('{"k": "v"}')).toThrow(/not a jsonencode expression/);
    expect(() => parseHclExpression('{"k" = "v"')).toThrow();
  });
});
