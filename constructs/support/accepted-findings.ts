import { TerraformDataSource, TerraformStack } from "cdktf";
import type { TerraformResource } from "cdktf";
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ACCEPTED_FINDINGS, ACCEPTED_FINDINGS_KEY } from "../model/accepted-findings";
import type { AcceptedFindingId } from "../model/accepted-findings";

/**
 * Records on a resource or data source, in the synthesized JSON's `//` comment (which Terraform
 * ignores), the scanner findings the design accepts for it, by the decision that made it so.
 * Through the stack's override: cdktf rewrites a data source's own `//` comment.
 */
export function acceptFindings(
  element: TerraformResource | TerraformDataSource,
  ...ids: AcceptedFindingId[]
): void {
  const section = element instanceof TerraformDataSource ? "data" : "resource";
  const address = `${section}.${element.terraformResourceType}.${element.friendlyUniqueId}`;
  for (const id of ids) {
    TerraformStack.of(element).addOverride(`${address}.//.${ACCEPTED_FINDINGS_KEY}.${id}`, [
      ...ACCEPTED_FINDINGS[id].rules,
    ]);
  }
}

/** Retention CKV_AWS_338 asks of a log group; shorter is a setting's choice (outside prod). */
const LOG_RETENTION_EXPECTED_DAYS = 365;

/** A log group that keeps its logs less than a year, by its own retention (unset or 0: forever). */
export function acceptLogRetention(logGroup: CloudwatchLogGroup): CloudwatchLogGroup {
  const days = logGroup.retentionInDaysInput ?? 0;
  if (days > 0 && days < LOG_RETENTION_EXPECTED_DAYS) acceptFindings(logGroup, "shortLogRetention");
  return logGroup;
}
