import type { IAspect } from "cdktf";
import { TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";
import { resourceClass } from "../constructs/model/resource-classes";

/** The keys outlive what they encrypt (final snapshots, retained backups): break glass never lifts their protection. */
const ALWAYS_PROTECTED = new Set(["aws_kms_key"]);

/**
 * `prevent_destroy` on every stateful resource of a stack (destroyProtection): `terraform destroy`
 * and any plan that would replace one of them fail at plan time, before anything is deleted. With
 * break glass, only the keys keep it.
 */
export class DestroyProtection implements IAspect {
  constructor(private readonly breakGlass: boolean) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const type = node.terraformResourceType;
    if (resourceClass(type) !== "stateful") return;
    if (this.breakGlass && !ALWAYS_PROTECTED.has(type)) return;
    node.lifecycle = { ...node.lifecycle, preventDestroy: true };
  }
}
