/**
 * Corrections to cdktf's HCL output (`cdktf synth --hcl`). cdktf renders a value as an HCL block
 * only when the provider bindings describe it as one; untyped values (escape hatches, the WAF rule
 * `statement`) and the `lifecycle` conditions come out as arguments (`postcondition = [...]`),
 * which Terraform rejects, and references in `depends_on`/`ignore_changes` come out quoted, which
 * Terraform deprecates. These helpers describe such values to cdktf's renderer the way its
 * typed bindings do. JSON output is unaffected: only `toHclTerraform()` is changed.
 */
import type { IAspect } from "cdktf";
import { Lazy, TerraformDataSource, TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";

/** A value as cdktf's HCL renderer expects it from typed bindings. */
interface HclValue {
  readonly value: unknown;
  readonly isBlock?: boolean;
  readonly type: "simple" | "list" | "reference";
  readonly storageClassType?: string;
}

type Attributes = Record<string, unknown>;
type HclElement = TerraformResource | TerraformDataSource;

const isObject = (v: unknown): v is Attributes => typeof v === "object" && v !== null && !Array.isArray(v);

/** An HCL expression written as is (references, lists of references). */
function reference(expression: string): HclValue {
  return { value: expression, type: "reference" };
}

/**
 * The attributes of one block, where every object value is a nested block and every list of
 * objects a repeated nested block; strings, numbers, booleans and lists of them are arguments.
 */
export function blockAttributes(attributes: Attributes): Attributes {
  return Object.fromEntries(
    Object.entries(attributes)
      .filter(([, v]) => v !== undefined)
      .map(([name, v]) => [name, hclValue(v)]),
  );
}

function hclValue(v: unknown): unknown {
  if (isObject(v)) return { value: blockAttributes(v), isBlock: true, type: "simple" } satisfies HclValue;
  if (Array.isArray(v) && v.length > 0 && v.every(isObject)) {
    return { value: v.map(blockAttributes), isBlock: true, type: "list" } satisfies HclValue;
  }
  if (typeof v === "string") {
    return { value: v, type: "simple", storageClassType: "string" } satisfies HclValue;
  }
  if (Array.isArray(v) && v.every((item) => typeof item === "string")) {
    return { value: v, type: "list", storageClassType: "stringList" } satisfies HclValue;
  }
  return v;
}

/**
 * Changes how one resource or data source renders as HCL: `rewrite` receives its attributes (the
 * typed metadata cdktf built) and may replace entries. Applied once per element.
 */
export function rewriteHclAttributes(element: HclElement, rewrite: (attributes: Attributes) => void): void {
  const render = element.toHclTerraform.bind(element);
  element.toHclTerraform = () => {
    const fragment = render() as Record<string, Record<string, Record<string, Attributes>> | undefined>;
    for (const section of [fragment.resource, fragment.data]) {
      for (const byName of Object.values(section ?? {})) {
        for (const attributes of Object.values(byName)) rewrite(attributes);
      }
    }
    return fragment;
  };
}

/**
 * Renders an untyped attribute (one the bindings type as "any") as nested blocks, e.g. the WAF
 * rules' `statement`. `path` leads to it through typed block lists, e.g. ["rule", "statement"].
 */
export function renderUntypedAsBlocks(element: HclElement, path: readonly [string, ...string[]]): void {
  rewriteHclAttributes(element, (attributes) => rewriteAt(attributes, path));
}

function rewriteAt(attributes: Attributes, path: readonly string[]): void {
  const [name, ...rest] = path;
  if (name === undefined) return;
  const entry = attributes[name];
  if (entry === undefined) return;
  if (rest.length === 0) {
    const plain = isObject(entry) && "value" in entry ? entry.value : entry;
    if (isObject(plain)) attributes[name] = hclValue(plain);
    return;
  }
  // A typed block (list) whose items hold the next step of the path.
  const items = isObject(entry) && "value" in entry ? entry.value : entry;
  for (const item of Array.isArray(items) ? items : [items]) {
    if (isObject(item)) rewriteAt(item, rest);
  }
}

/**
 * Renders the meta-arguments cdktf writes untyped: `lifecycle` as a block whose `precondition` and
 * `postcondition` are blocks and whose `ignore_changes`/`replace_triggered_by` hold bare
 * references, and `depends_on` as bare references.
 */
function renderMetaArguments(attributes: Attributes): void {
  const dependsOn = attributes.depends_on;
  if (Array.isArray(dependsOn) && dependsOn.length > 0) {
    // The entries are still tokens here; they resolve to addresses such as "aws_lb.x".
    attributes.depends_on = reference(
      Lazy.stringValue({
        produce: (context) =>
          `[${dependsOn.map((d) => String(context.resolve(d)).replace(/^\$\{(.*)\}$/, "$1")).join(", ")}]`,
      }),
    );
  }
  const lifecycle = attributes.lifecycle;
  if (!isObject(lifecycle) || "value" in lifecycle) return;
  const body: Attributes = {};
  for (const [name, v] of Object.entries(lifecycle)) {
    if (v === undefined) continue;
    if ((name === "ignore_changes" || name === "replace_triggered_by") && Array.isArray(v)) {
      body[name] = reference(`[${v.join(", ")}]`);
    } else if ((name === "precondition" || name === "postcondition") && Array.isArray(v)) {
      body[name] = hclValue(v);
    } else {
      body[name] =
        typeof v === "boolean" ? { value: v, type: "simple", storageClassType: "boolean" } : hclValue(v);
    }
  }
  attributes.lifecycle = { value: body, isBlock: true, type: "simple" } satisfies HclValue;
}

/** Aspect for a stack: every resource and data source renders its meta-arguments as Terraform expects. */
export class HclMetaArguments implements IAspect {
  private readonly done = new WeakSet<IConstruct>();

  public visit(node: IConstruct): void {
    if (this.done.has(node)) return;
    if (node instanceof TerraformResource || node instanceof TerraformDataSource) {
      this.done.add(node);
      rewriteHclAttributes(node, renderMetaArguments);
    }
  }
}
