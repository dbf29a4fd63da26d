import { join } from "node:path";
import { README_BLOCKS, readDocs, readmeBlock } from "../.ci/e2e/readme-blocks";

const readme = readDocs(join(__dirname, ".."));

describe("readmeBlock", () => {
  test.each(README_BLOCKS)("finds the %s block npm run e2e runs in the docs", (id) => {
    expect(readmeBlock(readme, id).trim()).not.toBe("");
  });

  test("reads the bash block right after the marker", () => {
    const text = "intro\n<!-- e2e:pipeline-synth -->\n\n```bash\necho one\necho two\n```\nafter";
    expect(readmeBlock(text, "pipeline-synth")).toBe("echo one\necho two");
  });

  test("fails on a missing marker, a repeated marker, or a marker without a bash block", () => {
    expect(() => readmeBlock("no marker", "cdktf-registry")).toThrow(
      /no "<!-- e2e:cdktf-registry -->" marker/,
    );
    const twice =
      "<!-- e2e:cdktf-registry -->\n```bash\na\n```\n<!-- e2e:cdktf-registry -->\n```bash\nb\n```";
    expect(() => readmeBlock(twice, "cdktf-registry")).toThrow(/twice/);
    expect(() => readmeBlock("<!-- e2e:cdktf-registry -->\ntext\n```bash\na\n```", "cdktf-registry")).toThrow(
      /not followed by a ```bash block/,
    );
  });

  test("the pipeline blocks deploy what the e2e run checks: a state bucket, and the stack from $STACK", () => {
    expect(readmeBlock(readme, "pipeline-synth")).toMatch(/TF_STATE_BUCKET=\S+ npm run synth/);
    expect(readmeBlock(readme, "pipeline-stack")).toContain("cdktf.out/stacks/$STACK");
    expect(readmeBlock(readme, "cdktf-environments")).toMatch(/npx cdktf deploy dev prod /);
  });
});
