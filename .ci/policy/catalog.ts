/**
 * The security catalog: every policy rule, one module per service, in the order of the document
 * generated from it (help/security-catalog.md by npm run docs). The tests and npm run scan use it.
 */
import { NETWORK_POLICIES } from "./rules/network";
import { SECURITY_GROUP_RULES } from "./rules/security-groups";
import { LOAD_BALANCER_POLICIES } from "./rules/load-balancer";
import { ACM_RULES } from "./rules/acm";
import { IAM_RULES } from "./rules/iam";
import { KMS_AND_LOG_RULES } from "./rules/kms-logs";
import { ECR_RULES } from "./rules/ecr";
import { ECS_RULES } from "./rules/ecs";
import { S3_RULES } from "./rules/s3";
import { OPERATIONS_RULES } from "./rules/operations";
import { DATA_TIER_RULES } from "./rules/data-tier";
import { WORKLOAD_RULES } from "./rules/workloads";
import type { PolicyRule } from "./stack-view";

export interface CatalogSection {
  readonly title: string;
  readonly rules: readonly PolicyRule[];
}

export const CATALOG_SECTIONS: readonly CatalogSection[] = [
  { title: "Network", rules: NETWORK_POLICIES },
  { title: "Security groups", rules: SECURITY_GROUP_RULES },
  { title: "Load balancer", rules: LOAD_BALANCER_POLICIES },
  { title: "Certificates", rules: ACM_RULES },
  { title: "IAM", rules: IAM_RULES },
  { title: "KMS and CloudWatch Logs", rules: KMS_AND_LOG_RULES },
  { title: "ECR", rules: ECR_RULES },
  { title: "ECS", rules: ECS_RULES },
  { title: "Workloads: SQS, EventBridge Scheduler, Service Connect", rules: WORKLOAD_RULES },
  { title: "S3", rules: S3_RULES },
  { title: "Data tier: PostgreSQL and Redis", rules: DATA_TIER_RULES },
  { title: "Alarms and notifications", rules: OPERATIONS_RULES },
];

export const POLICY_RULES: readonly PolicyRule[] = CATALOG_SECTIONS.flatMap((section) => section.rules);

/** The rule that checks a scanner ID, or undefined. */
export function ruleFor(id: string): PolicyRule | undefined {
  return POLICY_RULES.find((rule) => rule.ids.includes(id));
}
