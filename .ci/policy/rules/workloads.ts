/** Policy rules: the workers' queues, the jobs' schedules and the internal workloads' reach. */
import type { PolicyRule } from "../stack-view";
import { asList, paths } from "../stack-view";
import type { Block } from "../terraform-json";

/** An ECS service's security groups (references), and whether it is a Service Connect client or server. */
function serviceConnect(block: Block) {
  const connect = asList<Block>(block.service_connect_configuration)[0];
  return {
    groups: asList<string>(asList<Block>(block.network_configuration)[0]?.security_groups),
    client: connect?.enabled === true,
    server: connect?.enabled === true && asList(connect.service).length > 0,
  };
}

export const WORKLOAD_RULES: readonly PolicyRule[] = [
  {
    ids: ["PROJECT-INTERNAL-REACH"],
    title:
      "an internal workload (a Service Connect server) has no load balancer, and its security group lets in only the groups of Service Connect clients of the environment: no address range, no prefix list",
    violations: (s) => {
      const services = s.resources("aws_ecs_service").map((e) => ({ entry: e, ...serviceConnect(e.block) }));
      const clientGroups = new Set(services.filter((v) => v.client).flatMap((v) => v.groups));
      return paths(
        services
          .filter((v) => v.server)
          .filter(
            (v) =>
              v.entry.block.load_balancer !== undefined ||
              s
                .resources("aws_vpc_security_group_ingress_rule")
                .filter((r) => v.groups.includes(String(r.block.security_group_id)))
                .some((r) => !clientGroups.has(String(r.block.referenced_security_group_id))),
          )
          .map((v) => v.entry),
      );
    },
  },
  {
    ids: ["CKV_AWS_27", "AWS-0096"],
    title: "queues are encrypted with a customer managed key",
    violations: (s) =>
      paths(s.resources("aws_sqs_queue").filter((q) => typeof q.block.kms_master_key_id !== "string")),
  },
  {
    ids: ["PROJECT-QUEUE-DEAD-LETTERS"],
    title:
      "every queue ends in a dead-letter queue: a worker's redrives to one, a job's schedule sends failed runs to one, and nothing is lost silently",
    violations: (s) => {
      const text = (entries: Array<{ block: Block }>) =>
        entries.map((e) => JSON.stringify(e.block)).join("\n");
      const redriven = text(s.resources("aws_sqs_queue").filter((q) => q.block.redrive_policy !== undefined));
      const schedules = s.resources("aws_scheduler_schedule");
      const deadLetterTargets = `${redriven}\n${text(schedules)}`;
      const isDeadLetterQueue = (name: string) => deadLetterTargets.includes(`aws_sqs_queue.${name}.arn`);
      return paths([
        ...s
          .resources("aws_sqs_queue")
          .filter((q) => q.block.redrive_policy === undefined && !isDeadLetterQueue(q.name)),
        ...schedules.filter((sch) => asList<Block>(sch.block.target)[0]?.dead_letter_config === undefined),
      ]);
    },
  },
  {
    ids: ["CKV_AWS_297"],
    title: "schedules are encrypted with a customer managed key",
    violations: (s) =>
      paths(s.resources("aws_scheduler_schedule").filter((sch) => typeof sch.block.kms_key_arn !== "string")),
  },
  {
    ids: ["PROJECT-SCHEDULER-ROLE-SCOPE"],
    title:
      "a schedule's role starts exactly the task definition its schedule names, and passes only that task's roles to ECS",
    violations: (s) =>
      paths(
        s.resources("aws_scheduler_schedule").filter((sch) => {
          const target = asList<Block>(sch.block.target)[0] ?? {};
          const role = String(target.role_arn).replace(/\.arn\}$/, ".name}");
          const definition = String(asList<Block>(target.ecs_parameters)[0]?.task_definition_arn);
          const policies = s
            .resources("aws_iam_role_policy")
            .filter((p) => `\${aws_iam_role.${String(p.block.role).split(".")[1]}.name}` === role);
          const statements = policies.flatMap((p) => s.statements(p.block.policy));
          return (
            policies.length === 0 ||
            statements.some((st) => {
              const actions = asList<string>(st.actions);
              const resources = asList<string>(st.resources);
              if (actions.includes("ecs:RunTask")) return resources.some((r) => r !== definition);
              if (actions.includes("iam:PassRole")) {
                const passedToEcs = asList<Block>(st.condition).some(
                  (c) =>
                    c.variable === "iam:PassedToService" &&
                    asList(c.values).includes("ecs-tasks.amazonaws.com"),
                );
                return !passedToEcs || resources.some((r) => r.includes("*"));
              }
              return actions.some((a) => a.includes("*")) || resources.includes("*");
            })
          );
        }),
      ),
  },
];
