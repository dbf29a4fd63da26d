import { dependenciesOf, findCycle, referenceGraph, referencesIn } from "./support/reference-graph";
import type { TerraformJson } from "./support/synth";

const json = (resource: TerraformJson["resource"]): TerraformJson => ({
  terraform: {},
  provider: {},
  resource,
});

describe("reference graph (test support)", () => {
  test("reads references inside interpolations only", () => {
    expect([
      ...referencesIn({ a: "${aws_x.one.id}-${var.v}", b: ["aws_x.two.id"], c: "${data.aws_y.z.json}" }),
    ]).toEqual(["aws_x.one", "var.v", "data.aws_y.z"]);
  });

  test("finds a cycle through references and depends_on", () => {
    const cyclic = json({
      aws_a: { one: { x: "${aws_b.two.id}" } },
      aws_b: { two: { depends_on: ["aws_a.one"] } },
    });
    expect(findCycle(referenceGraph(cyclic))).toEqual(["aws_a.one", "aws_b.two", "aws_a.one"]);
  });

  test("accepts a DAG and lists transitive dependencies", () => {
    const dag = json({
      aws_a: { one: { x: "${aws_b.two.id}" } },
      aws_b: { two: { y: "${aws_c.three.id}" } },
      aws_c: { three: {} },
    });
    const graph = referenceGraph(dag);
    expect(findCycle(graph)).toBeUndefined();
    expect([...dependenciesOf(graph, "aws_a.one")].sort()).toEqual(["aws_b.two", "aws_c.three"]);
  });
});
