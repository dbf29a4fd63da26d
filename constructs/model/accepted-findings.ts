/**
 * Findings of the security scanners that the design accepts, each with the condition in words and
 * the reason. The construct (or tier) that makes the decision attaches the finding to the resource
 * it creates (`acceptFindings` in constructs/support), so the synthesized JSON says which findings
 * are accepted where; the policy checker and the scan compare what they find with exactly that,
 * and help/security-catalog.md is generated from this list.
 */

export interface AcceptedFinding {
  /** Scanner rule IDs (checkov CKV_*, trivy AWS-*, cdk-nag AwsSolutions-*, the project's PROJECT-*). */
  readonly rules: readonly string[];
  /** When it is accepted, in the words of the settings: "edge.waf is off". */
  readonly condition: string;
  /** Why the finding is accepted; literally true of the output. */
  readonly why: string;
}

export const ACCEPTED_FINDINGS = {
  httpRedirectPort: {
    rules: ["CKV_AWS_260"],
    condition: "edge.httpRedirect is on",
    why: "Port 80 stays open only to answer with a 301 to HTTPS (CKV_AWS_2 and CKV2_AWS_20 pass). edge.httpRedirect=false closes it.",
  },
  publicLoadBalancerIngress: {
    rules: ["AwsSolutions-EC23"],
    condition: "always (the HTTP and IPv6 rules while edge.httpRedirect and edge.ipv6 are on)",
    why: "A public API: the load balancer accepts the internet on 443, and on 80 only to redirect. No other group is reachable from outside.",
  },
  internetFacingLoadBalancer: {
    rules: ["AWS-0053"],
    condition: "always",
    why: "The load balancer is internet-facing by design; the tasks behind it are private and have no public IP.",
  },
  anyHttpsEgress: {
    rules: ["AWS-0104"],
    condition: 'network.appInternetEgress includes "0.0.0.0/0" (any HTTPS)',
    why: "An explicit choice in the configuration: tasks reach ECR, CloudWatch Logs and Secrets Manager through NAT on tcp/443 only, and AWS publishes no fixed addresses for them. List CIDRs or prefix lists in network.appInternetEgress instead (with the interface endpoints the tasks then need, about $7-8 per endpoint per AZ per month) to remove this rule.",
  },
  noWaf: {
    rules: ["CKV2_AWS_28"],
    condition: "edge.waf is off (a prod invariant keeps it on in prod)",
    why: "No WAF in front of this load balancer (about $5 per web ACL, $1 per rule group and $0.60 per million requests each month). edge.waf=true attaches AWS managed rule groups, KnownBadInputs included.",
  },
  keyPolicy: {
    rules: ["CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356"],
    condition: "always",
    why: 'KMS key policies, not IAM identity policies: Resource "*" means the key itself. The account-root statement (kms:*) is AWS\'s default key policy: it hands access control to IAM, so any principal of the account whose IAM policy allows a kms action on the key may use it, directly or through a service; without it the key can become unmanageable. The ViaService statements name the intended path (ECR, Secrets Manager and SSM, RDS and ElastiCache) and narrow nothing beyond that.',
  },
  loadBalancerDeletable: {
    rules: ["CKV_AWS_150"],
    condition:
      "edge.deletionProtection is off (a prod invariant keeps it on in prod), or destroyBreakGlass lifts it for a deliberate destroy",
    why: "Throw-away environments: deletion protection would block terraform destroy. prod has it, enforced by a prod invariant.",
  },
  noAccessLogs: {
    rules: ["CKV_AWS_91", "AwsSolutions-ELB2"],
    condition: "edge.accessLogs is off (a prod invariant keeps it on in prod)",
    why: "No access logs for this load balancer, so no log bucket to pay for; edge.accessLogs=true turns them on. prod keeps them, enforced by a prod invariant.",
  },
  shortLogRetention: {
    rules: ["CKV_AWS_338"],
    condition:
      "a log group keeps its logs less than a year (network.flowLogRetentionDays, service.logRetentionDays, which the database's log groups keep too)",
    why: "Shorter retention outside prod to save cost; prod keeps a year, enforced by a prod invariant.",
  },
  accessLogBucket: {
    rules: ["CKV_AWS_145", "CKV_AWS_18", "AWS-0089", "CKV_AWS_144", "CKV2_AWS_62"],
    condition: "edge.accessLogs is on",
    why: "The ALB access-log bucket: ELB log delivery supports SSE-S3 only (no KMS key), and access-logging, replicating or sending notifications for the log bucket itself would need more buckets for no gain. It blocks public access, denies plain HTTP and is versioned: logs expire after edge.accessLogRetentionDays, and overwritten or deleted versions after edge.accessLogNoncurrentVersionDays (a year in prod). Only with edge.accessLogObjectLockDays above 0 is each log version also write-once (Object Lock, governance mode) for that long; otherwise a principal allowed s3:DeleteObjectVersion on the bucket can remove logs before they expire.",
  },
  accessLogBucketEncryption: {
    rules: ["AWS-0132"],
    condition: "edge.accessLogs is on",
    why: "ELB log delivery writes only to buckets encrypted with SSE-S3 (AES256), so the access-log bucket cannot name a customer-managed key.",
  },
  logStreamWildcard: {
    rules: ["AWS-0057"],
    condition:
      "always for the log-stream patterns (and the ECS Exec policy while service.enableExecuteCommand is on); for the application's policy while service.taskRoleStatements use a wildcard",
    why: 'The project\'s only wildcards are the log streams of one log group (flow logs, container logs, ECS Exec sessions: `<log group ARN>:*`; the RDSOSMetrics group of RDS enhanced monitoring: `:log-stream:*`): stream names carry the task or instance ID, unknown until it starts. Actions are listed one by one; `Resource: "*"` appears only for actions IAM cannot scope (ecr:GetAuthorizationToken, the Session Manager channels). The application\'s policy holds what its team wrote in service.taskRoleStatements; service-wide actions and Resource "*" there are refused at synth unless service.taskRoleBroadAccessAcknowledged is on (and then the broad-access checks report them). S3 object patterns (arn:aws:s3:::bucket/*) do not count.',
  },
  execWritableRoot: {
    rules: ["CKV_AWS_336", "ECS.5"],
    condition: "service.enableExecuteCommand is on (prod only with service.executeCommandBreakGlass)",
    why: "ECS Exec does not work with a read-only root filesystem (its agent writes inside the container), so the container's root filesystem is writable while ECS Exec is on, and read-only again when it is turned off.",
  },
  awsManagedTaskPolicy: {
    rules: ["AwsSolutions-IAM4"],
    condition: "service.taskRoleManagedPolicyArns lists AWS-managed policies",
    why: "The team chose an AWS-managed policy for its application's task role; AWS may widen it without notice. Only the task role gets it; the project's own roles use inline policies.",
  },
  noAlarms: {
    rules: ["PROJECT-SERVICE-ALARMS"],
    condition: "alarms.enabled is off (a prod invariant keeps it on in prod)",
    why: "A throw-away environment nobody is paged for (the dev preset): no alarms and no topic, only the dashboard. alarms.enabled=true turns them on.",
  },
  plainEnvironment: {
    rules: ["AwsSolutions-ECS2"],
    condition: "always",
    why: "Plain, non-secret settings (such as LOG_LEVEL) go in environment; with none, the key stays as an empty list because ECS returns one and leaving it out would show a change on every plan. Secret-looking names and values are refused at synth and secrets come from Secrets Manager or SSM (AWS-0036 passes).",
  },
  noProtectedTags: {
    rules: ["PROJECT-ECR-RELEASE-TAGS"],
    condition: "registry.protectedTagPatterns is []",
    why: "With no protected tag patterns, every tagged image counts towards registry.taggedImagesToKeep, so an image a running environment still uses can expire once that many newer ones are pushed.",
  },
  shortHsts: {
    rules: ["PROJECT-ALB-HSTS"],
    condition: "edge.hstsMaxAgeSeconds is below a year (0 sends no header)",
    why: "A shorter Strict-Transport-Security max-age (or none) lets a browser fall back to plain HTTP sooner, for example while a domain moves; the default is a year.",
  },
  noHostNames: {
    rules: ["PROJECT-ALB-HOST-404"],
    condition: "edge.domainName is unset (an existing certificate without a name to match)",
    why: "Without edge.domainName the stack does not know which Host names the certificate serves, so the listener forwards every request to the service.",
  },
  tlsEndsAtLoadBalancer: {
    rules: ["CKV_AWS_378"],
    condition: "edge.domainName is set (the target group hangs off the HTTPS listener's Host rules)",
    why: "TLS ends at the load balancer: the tasks, in private subnets and reachable only from the ALB's security group, speak HTTP. checkov accepts that only when a non-HTTP listener forwards to the target group as its default action; here the HTTPS listener's default is the fixed 404 and its Host rules forward.",
  },
  singleAzDatabase: {
    rules: ["CKV_AWS_157", "AwsSolutions-RDS3"],
    condition: "database.multiAz is off (a prod invariant keeps it on in prod)",
    why: "A single-AZ database outside prod halves its cost; an AZ failure then takes it down until RDS recovers it, and an instance-class change restarts it.",
  },
  databaseDeletable: {
    rules: ["CKV_AWS_293", "AWS-0177", "AwsSolutions-RDS10"],
    condition:
      "database.deletionProtection is off (a prod invariant keeps it on in prod), or destroyBreakGlass lifts it for a deliberate destroy",
    why: "Environments that are torn down and rebuilt (dev, review) must be destroyable by terraform destroy; prod's database refuses deletion until the documented break-glass step turns protection off.",
  },
  noFinalSnapshot: {
    rules: ["PROJECT-RDS-FINAL-SNAPSHOT"],
    condition: "database.finalSnapshot is off (the dev preset; a prod invariant keeps it on in prod)",
    why: "A destroyed dev database holds nothing worth keeping, and a fixed final-snapshot name would make the next destroy of a rebuilt environment fail while the old snapshot exists.",
  },
  noEnhancedMonitoring: {
    rules: ["CKV_AWS_118"],
    condition: "database.enhancedMonitoringSeconds is 0 (the dev preset)",
    why: "Enhanced monitoring's OS metrics cost CloudWatch Logs ingestion; outside prod the standard CloudWatch metrics (CPU, memory, storage, connections, which the alarms watch) are enough.",
  },
  noPerformanceInsights: {
    rules: ["CKV_AWS_353", "AWS-0133"],
    condition: "database.performanceInsights is off (the dev preset)",
    why: "The dev preset's smallest instance classes are where Performance Insights is least useful (and, for some classes, not offered); turn it on with database.performanceInsights.",
  },
  standardDatabasePort: {
    rules: ["AwsSolutions-RDS11"],
    condition: "always while the database exists",
    why: "PostgreSQL listens on its standard port 5432. Another port hides nothing from anyone inside the VPC: the database is in subnets with no route out and its security group admits 5432 from the service's group only.",
  },
  singleCacheNode: {
    rules: ["CKV2_AWS_50"],
    condition: "cache.nodeCount is 1 (a prod invariant requires 2 or more in prod)",
    why: "A single cache node outside prod halves its cost; when it fails, ElastiCache replaces it and the cache starts empty.",
  },
  scheduleWithoutPayload: {
    rules: ["CKV_AWS_297"],
    condition: "a job (workloads.<name>.kind is job)",
    why: "The schedule carries no payload: it starts an ECS task with fixed parameters and no TargetInput, the only part of a schedule EventBridge Scheduler encrypts with a customer managed key (names, expressions and targets never are). A key would protect nothing and add a key-policy dependency to every run.",
  },
  scheduledTaskGroup: {
    rules: ["CKV2_AWS_5"],
    condition: "a job (workloads.<name>.kind is job)",
    why: "The job's security group is attached to the tasks the schedule starts (its ecs_parameters.network_configuration), which the scanner does not follow; a job has no long-running resource to attach it to.",
  },
} as const satisfies Record<string, AcceptedFinding>;

export type AcceptedFindingId = keyof typeof ACCEPTED_FINDINGS;

/** The key of the synthesized JSON's `//` comment that lists a resource's accepted findings. */
export const ACCEPTED_FINDINGS_KEY = "accepted_findings";
