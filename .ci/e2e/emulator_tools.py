"""What npm run e2e does to the emulator besides running Terraform against it.

  prepare --zone NAME ... --bucket NAME ... --region R   hosted zones and state buckets, as an
                                                          account would already have them
  inventory --region R ...                                every resource the emulator holds (JSON)
  list-objects --region R --bucket B                      keys in a bucket (JSON), e.g. state locks
  ecs-images --region R --cluster C                       the image and secrets of each service and
                                                          the image of each task RunTask started,
                                                          with its exit code
  push-images --region R --repository N --tag T ...       a stand-in image per tag, as docker push
                                                          would leave one
  delete-images --region R --repository N                 every image, before the registry's destroy
  create-secret --region R --name N                       a secret with a stand-in value (prints its ARN)
  rotate-secret --region R --secret-id ARN                rotates a secret RDS manages, as RDS does
                                                          (JSON: versions before and after)
Reads AWS_ENDPOINT_URL and the test credentials from the environment.
"""

import argparse
import hashlib
import json
import os

import boto3


def client(service, region):
    return boto3.client(service, endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=region)


def prepare(args):
    route53 = client("route53", args.region)
    for zone in args.zone:
        route53.create_hosted_zone(Name=zone, CallerReference=f"e2e-{zone}")
    s3 = client("s3", args.region)
    for bucket in args.bucket:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": args.region})
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        print(f"S3 conditional writes (If-None-Match, what use_lockfile relies on): {_conditional_writes(s3, bucket)}")


def _conditional_writes(s3, bucket):
    key = "e2e-probe/conditional-write"
    s3.put_object(Bucket=bucket, Key=key, Body=b"first")
    try:
        s3.put_object(Bucket=bucket, Key=key, Body=b"second", IfNoneMatch="*")
        verdict = "NOT honoured: a second write of an existing key succeeded, so state locks would not exclude"
    except s3.exceptions.ClientError as error:
        code = error.response["Error"]["Code"]
        verdict = f"honoured (an existing key is refused with {code})" if code == "PreconditionFailed" else f"unexpected answer {code}"
    for version in s3.list_object_versions(Bucket=bucket, Prefix=key).get("Versions", []):
        s3.delete_object(Bucket=bucket, Key=key, VersionId=version["VersionId"])
    return verdict


def _tags(items):
    return {t["Key"]: t["Value"] for t in items or []}


def inventory(args):
    """Every resource outside moto's own defaults, as {kind, id, name, tags} records."""
    found = []

    def add(kind, identifier, name="", tags=None):
        found.append({"kind": kind, "id": identifier, "name": name or "", "tags": tags or {}})

    for region in args.region:
        ec2 = client("ec2", region)
        default_vpcs = {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault")}
        for v in ec2.describe_vpcs()["Vpcs"]:
            if v["VpcId"] not in default_vpcs:
                add("ec2:vpc", v["VpcId"], tags=_tags(v.get("Tags")))
        for s in ec2.describe_subnets()["Subnets"]:
            if s["VpcId"] not in default_vpcs:
                add("ec2:subnet", s["SubnetId"], tags=_tags(s.get("Tags")))
        for g in ec2.describe_security_groups()["SecurityGroups"]:
            if g["VpcId"] not in default_vpcs and g["GroupName"] != "default":
                add("ec2:security-group", g["GroupId"], g["GroupName"], _tags(g.get("Tags")))
        for r in ec2.describe_security_group_rules()["SecurityGroupRules"]:
            if r.get("Tags"):
                add("ec2:security-group-rule", r["SecurityGroupRuleId"], tags=_tags(r.get("Tags")))
        for t in ec2.describe_route_tables()["RouteTables"]:
            main = any(a.get("Main") for a in t.get("Associations", []))
            if t["VpcId"] not in default_vpcs and not main:
                add("ec2:route-table", t["RouteTableId"], tags=_tags(t.get("Tags")))
        for g in ec2.describe_internet_gateways()["InternetGateways"]:
            if not any(a["VpcId"] in default_vpcs for a in g.get("Attachments", [])):
                add("ec2:internet-gateway", g["InternetGatewayId"], tags=_tags(g.get("Tags")))
        for n in ec2.describe_nat_gateways()["NatGateways"]:
            if n["State"] not in ("deleted", "deleting"):
                add("ec2:nat-gateway", n["NatGatewayId"], tags=_tags(n.get("Tags")))
        for a in ec2.describe_addresses()["Addresses"]:
            add("ec2:eip", a["AllocationId"], tags=_tags(a.get("Tags")))
        for e in ec2.describe_vpc_endpoints()["VpcEndpoints"]:
            if e["State"].lower() not in ("deleted", "deleting"):  # AWS lists deleted endpoints for a while
                add("ec2:vpc-endpoint", e["VpcEndpointId"], e["ServiceName"], _tags(e.get("Tags")))
        for f in ec2.describe_flow_logs()["FlowLogs"]:
            add("ec2:flow-log", f["FlowLogId"], tags=_tags(f.get("Tags")))

        elbv2 = client("elbv2", region)
        for lb in elbv2.describe_load_balancers()["LoadBalancers"]:
            add("elbv2:load-balancer", lb["LoadBalancerArn"], lb["LoadBalancerName"])
        for tg in elbv2.describe_target_groups()["TargetGroups"]:
            add("elbv2:target-group", tg["TargetGroupArn"], tg["TargetGroupName"])

        ecs = client("ecs", region)
        for arn in ecs.list_clusters()["clusterArns"]:
            cluster = ecs.describe_clusters(clusters=[arn])["clusters"][0]
            if cluster["status"] == "ACTIVE":
                add("ecs:cluster", arn, cluster["clusterName"])
            service_arns = ecs.list_services(cluster=arn)["serviceArns"]
            for service in ecs.describe_services(cluster=arn, services=service_arns)["services"] if service_arns else []:
                if service["status"] != "INACTIVE":  # deleted services stay visible as INACTIVE, as in AWS
                    add("ecs:service", service["serviceArn"], service["serviceName"])
        for arn in ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"]:
            add("ecs:task-definition", arn)
        for n in client("servicediscovery", region).list_namespaces()["Namespaces"]:
            add("servicediscovery:namespace", n["Arn"], n["Name"])

        autoscaling = client("application-autoscaling", region)
        for t in autoscaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]:
            add("application-autoscaling:scalable-target", t["ResourceId"])
        for p in autoscaling.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]:
            add("application-autoscaling:policy", p["PolicyARN"], p["PolicyName"])

        acm = client("acm", region)
        for c in acm.list_certificates()["CertificateSummaryList"]:
            add("acm:certificate", c["CertificateArn"], c["DomainName"])

        kms = client("kms", region)
        for k in kms.list_keys()["Keys"]:
            meta = kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]
            if meta["KeyManager"] == "CUSTOMER" and meta["KeyState"] != "PendingDeletion":
                # The registry key's description names the repository, not the stack: its tags do.
                tags = kms.list_resource_tags(KeyId=k["KeyId"]).get("Tags", [])
                add(
                    "kms:key",
                    meta["Arn"],
                    meta.get("Description", ""),
                    {t["TagKey"]: t["TagValue"] for t in tags},
                )
        for a in kms.list_aliases()["Aliases"]:
            if not a["AliasName"].startswith("alias/aws/"):
                add("kms:alias", a["AliasName"], a["AliasName"])

        logs = client("logs", region)
        for g in logs.describe_log_groups()["logGroups"]:
            add("logs:log-group", g["arn"], g["logGroupName"])

        ecr = client("ecr", region)
        for r in ecr.describe_repositories()["repositories"]:
            add("ecr:repository", r["repositoryArn"], r["repositoryName"])

        rds = client("rds", region)
        for db in rds.describe_db_instances()["DBInstances"]:
            add("rds:db-instance", db["DBInstanceArn"], db["DBInstanceIdentifier"], _tags(db.get("TagList")))
        for snapshot in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]:
            add("rds:db-snapshot", snapshot["DBSnapshotArn"], snapshot["DBSnapshotIdentifier"])
        for group in rds.describe_db_subnet_groups()["DBSubnetGroups"]:
            add("rds:db-subnet-group", group["DBSubnetGroupArn"], group["DBSubnetGroupName"])
        for group in rds.describe_db_parameter_groups()["DBParameterGroups"]:
            if not group["DBParameterGroupName"].startswith("default."):
                add("rds:db-parameter-group", group["DBParameterGroupArn"], group["DBParameterGroupName"])

        elasticache = client("elasticache", region)
        for group in elasticache.describe_replication_groups()["ReplicationGroups"]:
            add("elasticache:replication-group", group["ARN"], group["ReplicationGroupId"])
        for cluster in elasticache.describe_cache_clusters()["CacheClusters"]:
            if not cluster.get("ReplicationGroupId"):  # a group's members come and go with it
                add("elasticache:cache-cluster", cluster["ARN"], cluster["CacheClusterId"])
        for group in elasticache.describe_cache_subnet_groups()["CacheSubnetGroups"]:
            add("elasticache:subnet-group", group["ARN"], group["CacheSubnetGroupName"])
        for user in elasticache.describe_users()["Users"]:
            if user["UserId"] != "default":  # every account has it
                add("elasticache:user", user["ARN"], user["UserId"])
        for group in elasticache.describe_user_groups()["UserGroups"]:
            add("elasticache:user-group", group["ARN"], group["UserGroupId"])

        secretsmanager = client("secretsmanager", region)
        for secret in secretsmanager.list_secrets()["SecretList"]:
            add("secretsmanager:secret", secret["ARN"], secret["Name"], _tags(secret.get("Tags")))

        sqs = client("sqs", region)
        for url in sqs.list_queues().get("QueueUrls", []):
            add("sqs:queue", url, url.rsplit("/", 1)[1])

        scheduler = client("scheduler", region)
        for schedule in scheduler.list_schedules()["Schedules"]:
            add("scheduler:schedule", schedule["Arn"], schedule["Name"])

        wafv2 = client("wafv2", region)
        for acl in wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"]:
            add("wafv2:web-acl", acl["ARN"], acl["Name"])

    iam = client("iam", args.region[0])
    for role in iam.list_roles()["Roles"]:
        if not role["Path"].startswith("/aws-service-role/"):
            add("iam:role", role["Arn"], role["RoleName"])
    route53 = client("route53", args.region[0])
    for zone in route53.list_hosted_zones()["HostedZones"]:
        records = route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
        for record in records:
            if record["Type"] not in ("SOA", "NS"):
                add("route53:record", f'{zone["Name"]} {record["Type"]} {record["Name"]}', record["Name"])
    s3 = client("s3", args.region[0])
    for bucket in s3.list_buckets()["Buckets"]:
        add("s3:bucket", bucket["Name"], bucket["Name"])

    print(json.dumps(found))


def list_objects(args):
    s3 = client("s3", args.region)
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=args.bucket)
    print(json.dumps([o["Key"] for page in pages for o in page.get("Contents", [])]))


def push_images(args):
    """A stand-in image per tag (a manifest with no layers), as docker push would leave one."""
    ecr = client("ecr", args.region)
    for tag in args.tag:
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 2,
                "digest": "sha256:" + hashlib.sha256(tag.encode()).hexdigest(),
            },
            "layers": [],
        }
        ecr.put_image(repositoryName=args.repository, imageTag=tag, imageManifest=json.dumps(manifest))


def delete_images(args):
    ecr = client("ecr", args.region)
    ids = [i for page in ecr.get_paginator("list_images").paginate(repositoryName=args.repository) for i in page["imageIds"]]
    for start in range(0, len(ids), 100):
        ecr.batch_delete_image(repositoryName=args.repository, imageIds=ids[start : start + 100])
    print(json.dumps(len(ids)))


def create_secret(args):
    sm = client("secretsmanager", args.region)
    print(sm.create_secret(Name=args.name, SecretString="e2e-stand-in")["ARN"])


def schedule_key_deletion(args):
    client("kms", args.region).schedule_key_deletion(KeyId=args.key_id, PendingWindowInDays=7)


def delete_secret(args):
    sm = client("secretsmanager", args.region)
    sm.delete_secret(SecretId=args.secret_id, ForceDeleteWithoutRecovery=True)


def rotate_secret(args):
    sm = client("secretsmanager", args.region)
    before = sm.get_secret_value(SecretId=args.secret_id)
    sm.rotate_secret(SecretId=args.secret_id, RotateImmediately=True)
    after = sm.get_secret_value(SecretId=args.secret_id)
    password = lambda value: json.loads(value["SecretString"]).get("password")  # noqa: E731
    print(
        json.dumps(
            {
                "before": before["VersionId"],
                "after": after["VersionId"],
                "passwordChanged": password(before) != password(after),
            }
        )
    )


def minor_upgrade_db(args):
    """What RDS does in a maintenance window with auto minor version upgrade: a newer minor version."""
    rds = client("rds", args.region)
    before = rds.describe_db_instances(DBInstanceIdentifier=args.identifier)["DBInstances"][0]["EngineVersion"]
    major, _, minor = before.partition(".")
    upgraded = f"{major}.{int(minor or '0') + 1}"
    rds.modify_db_instance(DBInstanceIdentifier=args.identifier, EngineVersion=upgraded, ApplyImmediately=True)
    after = rds.describe_db_instances(DBInstanceIdentifier=args.identifier)["DBInstances"][0]["EngineVersion"]
    print(json.dumps({"before": before, "after": after}))


def ecs_images(args):
    ecs = client("ecs", args.region)

    def container(task_definition_arn):
        return ecs.describe_task_definition(taskDefinition=task_definition_arn)["taskDefinition"][
            "containerDefinitions"
        ][0]

    def image(task_definition_arn):
        return container(task_definition_arn)["image"]

    services = ecs.list_services(cluster=args.cluster)["serviceArns"]
    described = ecs.describe_services(cluster=args.cluster, services=services)["services"] if services else []
    task_arns = ecs.list_tasks(cluster=args.cluster, desiredStatus="STOPPED")["taskArns"]
    tasks = ecs.describe_tasks(cluster=args.cluster, tasks=task_arns)["tasks"] if task_arns else []
    print(
        json.dumps(
            {
                "services": {s["serviceName"]: image(s["taskDefinition"]) for s in described},
                "serviceSecrets": {
                    s["serviceName"]: [x["valueFrom"] for x in container(s["taskDefinition"]).get("secrets", [])]
                    for s in described
                },
                "tasks": [
                    {
                        "startedBy": t.get("startedBy", ""),
                        "image": image(t["taskDefinitionArn"]),
                        "exitCode": t["containers"][0].get("exitCode"),
                    }
                    for t in tasks
                ],
            }
        )
    )


def workloads(args):
    """What the emulator can show of each workload (the stack's `workloads` output), as JSON.

    A worker: a message a producer sends is counted by the queue metric its scaling policy
    tracks, and its service runs. A job: the task its schedule names starts, as the scheduler
    would start it (RunTask with the schedule's own target parameters), and exits 0.
    """
    sqs, ecs, scheduler = (client(s, args.region) for s in ("sqs", "ecs", "scheduler"))
    found = {}
    for name, w in json.loads(args.workloads).items():
        if w["kind"] == "web":
            found[name] = _web(ecs, args, w)
        elif w["kind"] == "internal":
            found[name] = _internal(ecs, args, name, w)
        elif w["kind"] == "worker":
            found[name] = _worker(sqs, ecs, args, w)
        else:
            found[name] = _job(ecs, scheduler, name, w)
    print(json.dumps(found))


def _worker(sqs, ecs, args, w):
    queue_url = w["queue_url"]
    queue_name = queue_url.rsplit("/", 1)[1]
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"e2e": "a message for the worker"}))
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"])
    waiting = int(attributes["Attributes"]["ApproximateNumberOfMessages"])
    scaling = client("application-autoscaling", args.region)
    resource = f"service/{args.cluster}/{w['service_name']}"
    policies = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource)["ScalingPolicies"]
    tracked = [
        m["MetricStat"]["Metric"]
        for p in policies
        for m in p.get("TargetTrackingScalingPolicyConfiguration", {})
        .get("CustomizedMetricSpecification", {})
        .get("Metrics", [])
        if "MetricStat" in m
    ]
    service = ecs.describe_services(cluster=args.cluster, services=[w["service_name"]])["services"][0]
    for message in sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1).get("Messages", []):
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return {
        "kind": "worker",
        "messagesWaiting": waiting,
        "scalingTracksQueue": any(
            m["MetricName"] == "ApproximateNumberOfMessagesVisible"
            and {"Name": "QueueName", "Value": queue_name} in m.get("Dimensions", [])
            for m in tracked
        ),
        "serviceStatus": service["status"],
        "runningCount": service["runningCount"],
        "capacityProviders": [c["capacityProvider"] for c in service.get("capacityProviderStrategy", [])],
    }


def _web(ecs, args, w):
    elbv2 = client("elbv2", args.region)
    group = w["target_group_arn"]
    balancer = elbv2.describe_target_groups(TargetGroupArns=[group])["TargetGroups"][0]["LoadBalancerArns"][0]
    rules = [
        rule
        for listener in elbv2.describe_listeners(LoadBalancerArn=balancer)["Listeners"]
        for rule in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
    ]
    forwarding = [r for r in rules if any(a.get("TargetGroupArn") == group for a in r["Actions"])]
    others = [int(r["Priority"]) for r in rules if r["Priority"] != "default" and r not in forwarding]
    service = ecs.describe_services(cluster=args.cluster, services=[w["service_name"]])["services"][0]
    return {
        "kind": "web",
        "rulePriorities": [int(r["Priority"]) for r in forwarding],
        "otherRulePriorities": others,
        "serviceStatus": service["status"],
        "runningCount": service["runningCount"],
        "registeredIn": [b["targetGroupArn"] for b in service.get("loadBalancers", [])],
    }


def _internal(ecs, args, name, w):
    """An internal workload: its namespace, what its service publishes, who is let in, and its callers' clients."""
    namespaces = client("servicediscovery", args.region).list_namespaces()["Namespaces"]
    namespace = next((n for n in namespaces if n["Name"] == args.cluster), None)
    names = [w["service_name"], *w["called_by"]]
    services = {s["serviceName"]: s for s in ecs.describe_services(cluster=args.cluster, services=names)["services"]}

    def connect(service_name):
        service = services.get(service_name, {})
        primary = [d for d in service.get("deployments", []) if d.get("status") == "PRIMARY"]
        return primary[0].get("serviceConnectConfiguration") if primary else None

    def group_of(service_name):
        return services.get(service_name, {}).get("networkConfiguration", {}).get("awsvpcConfiguration", {}).get(
            "securityGroups", [None]
        )[0]

    own = connect(w["service_name"]) or {}
    published = own.get("services", [{}])[0]
    port = int(w["endpoint"].rsplit(":", 1)[1])
    ec2 = client("ec2", args.region)
    group = ec2.describe_security_groups(GroupIds=[group_of(w["service_name"])])["SecurityGroups"][0]
    let_in = sorted(
        pair["GroupId"]
        for permission in group["IpPermissions"]
        if permission.get("FromPort") == port
        for pair in permission.get("UserIdGroupPairs", [])
    )
    return {
        "kind": "internal",
        "namespace": namespace["Type"] if namespace else None,
        "published": {
            "namespaceMatches": namespace is not None and own.get("namespace") == namespace["Arn"],
            "discoveryName": published.get("discoveryName"),
            "clientAliases": published.get("clientAliases", []),
        },
        "serviceStatus": services.get(w["service_name"], {}).get("status"),
        "runningCount": services.get(w["service_name"], {}).get("runningCount", 0),
        "letIn": let_in,
        "callerGroups": sorted(group_of(c) for c in w["called_by"]),
        "callersWithoutClient": [
            c for c in w["called_by"] if not (connect(c) or {}).get("enabled") or connect(c).get("namespace") != own.get("namespace")
        ],
        "otherIngress": sorted(
            f"{p.get('FromPort')}:{','.join(r['CidrIp'] for r in p.get('IpRanges', []))}"
            for p in group["IpPermissions"]
            if p.get("FromPort") != port or p.get("IpRanges")
        ),
    }


def _failed_runs_recorded(cluster_arn, task_definition_arn, dead_letter_queue_url):
    """Task state changes as ECS sends them: a run of the job that never started, and one of another family.

    moto matches a pattern's scalar fields, not fields of an array of objects, so the exit-code
    branch of the rule (`containers[].exitCode`) cannot be shown here; the never-started one can.
    """
    region = cluster_arn.split(":")[3]
    family = task_definition_arn.rsplit("/", 1)[1].rsplit(":", 1)[0]
    events, sqs = client("events", region), client("sqs", region)

    def stopped(group):
        detail = {"clusterArn": cluster_arn, "group": group, "lastStatus": "STOPPED", "stopCode": "TaskFailedToStart"}
        entry = {"Source": "aws.ecs", "DetailType": "ECS Task State Change", "Detail": json.dumps(detail)}
        events.put_events(Entries=[entry])

    stopped(f"family:{family}")
    stopped(f"family:{family}-not-this-job")
    received = sqs.receive_message(QueueUrl=dead_letter_queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    groups = []
    for message in received.get("Messages", []):
        groups.append(json.loads(message["Body"]).get("detail", {}).get("group"))
        sqs.delete_message(QueueUrl=dead_letter_queue_url, ReceiptHandle=message["ReceiptHandle"])
    return {"failedRunGroups": groups, "expectedFailedRunGroup": f"family:{family}"}


def _job(ecs, scheduler, name, w):
    schedule = scheduler.get_schedule(Name=w["schedule_name"])
    target = schedule["Target"]
    parameters = target["EcsParameters"]
    network = parameters["NetworkConfiguration"]["awsvpcConfiguration"]
    task = ecs.run_task(
        cluster=target["Arn"],
        taskDefinition=parameters["TaskDefinitionArn"],
        launchType=parameters.get("LaunchType", "FARGATE"),
        count=parameters.get("TaskCount", 1),
        startedBy=f"schedule-{name}"[:36],
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": network["Subnets"],
                "securityGroups": network.get("SecurityGroups", []),
                "assignPublicIp": network.get("AssignPublicIp", "DISABLED"),
            }
        },
    )["tasks"][0]
    stopped = ecs.describe_tasks(cluster=target["Arn"], tasks=[task["taskArn"]])["tasks"][0]
    recorded = _failed_runs_recorded(target["Arn"], parameters["TaskDefinitionArn"], w["dead_letter_queue_url"])
    return {
        "kind": "job",
        **recorded,
        "scheduleState": schedule["State"],
        "taskDefinitionMatches": parameters["TaskDefinitionArn"] == w["task_definition_arn"],
        "hasDeadLetterQueue": bool(target.get("DeadLetterConfig", {}).get("Arn")),
        "lastStatus": stopped["lastStatus"],
        "exitCode": stopped["containers"][0].get("exitCode"),
    }


def create_network(args):
    """A VPC another team owns, as the settings name it: {"vpcId", "publicSubnets", ...} as JSON.

    Three tiers over two AZs; the public route table routes to an internet gateway, the private
    subnet of the first AZ has its own route table through a NAT gateway, the second relies on
    the VPC's main route table (also through the NAT gateway), the isolated tier routes nowhere.
    Tagged Owner=network-team, never named after a stack.
    """
    ec2 = client("ec2", args.region)
    tags = [{"Key": "Owner", "Value": "network-team"}, {"Key": "Name", "Value": args.name}]
    spec = lambda kind: [{"ResourceType": kind, "Tags": tags}]  # noqa: E731
    vpc = ec2.create_vpc(CidrBlock=args.cidr, TagSpecifications=spec("vpc"))["Vpc"]["VpcId"]
    # As network teams set it (private DNS of interface endpoints needs it; moto's awsvpc tasks too).
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    base = args.cidr.split(".")
    zones = [f"{args.region}a", f"{args.region}b"]
    subnets = {"publicSubnets": {}, "privateSubnets": {}, "isolatedSubnets": {}}
    for t, tier in enumerate(subnets):
        for z, zone in enumerate(zones):
            cidr = f"{base[0]}.{base[1]}.{t * 16 + z * 4}.0/22"
            subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone, TagSpecifications=spec("subnet"))
            subnets[tier][zone] = subnet["Subnet"]["SubnetId"]
    gateway = ec2.create_internet_gateway(TagSpecifications=spec("internet-gateway"))["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    public = ec2.create_route_table(VpcId=vpc, TagSpecifications=spec("route-table"))["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    for subnet in subnets["publicSubnets"].values():
        ec2.associate_route_table(RouteTableId=public, SubnetId=subnet)
    allocation = ec2.allocate_address(Domain="vpc", TagSpecifications=spec("elastic-ip"))["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnets["publicSubnets"][zones[0]], AllocationId=allocation, TagSpecifications=spec("natgateway"))["NatGateway"]["NatGatewayId"]
    private = ec2.create_route_table(VpcId=vpc, TagSpecifications=spec("route-table"))["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=private, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    ec2.associate_route_table(RouteTableId=private, SubnetId=subnets["privateSubnets"][zones[0]])
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]["RouteTableId"]
    ec2.create_route(RouteTableId=main, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    isolated = ec2.create_route_table(VpcId=vpc, TagSpecifications=spec("route-table"))["RouteTable"]["RouteTableId"]
    for subnet in subnets["isolatedSubnets"].values():
        ec2.associate_route_table(RouteTableId=isolated, SubnetId=subnet)
    print(json.dumps({"vpcId": vpc, **subnets}))


def delete_network(args):
    """Deletes what create-network made (found by its Name tag), once the stacks have left it."""
    ec2 = client("ec2", args.region)
    named = [{"Name": "tag:Name", "Values": [args.name]}]
    vpcs = [v["VpcId"] for v in ec2.describe_vpcs(Filters=named)["Vpcs"]]
    for nat in ec2.describe_nat_gateways(Filters=named)["NatGateways"]:
        ec2.delete_nat_gateway(NatGatewayId=nat["NatGatewayId"])
    for address in ec2.describe_addresses(Filters=named)["Addresses"]:
        ec2.release_address(AllocationId=address["AllocationId"])
    for table in ec2.describe_route_tables(Filters=named)["RouteTables"]:
        for association in table.get("Associations", []):
            if not association.get("Main"):
                ec2.disassociate_route_table(AssociationId=association["RouteTableAssociationId"])
        ec2.delete_route_table(RouteTableId=table["RouteTableId"])
    for gateway in ec2.describe_internet_gateways(Filters=named)["InternetGateways"]:
        for attachment in gateway.get("Attachments", []):
            ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=attachment["VpcId"])
        ec2.delete_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"])
    for subnet in ec2.describe_subnets(Filters=named)["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    for vpc in vpcs:
        ec2.delete_vpc(VpcId=vpc)
    print(json.dumps({"deleted": vpcs}))


# Every command: what it runs and its options beside --region (one region, unless it says otherwise).
ONE = {"required": True}
SEVERAL = {"action": "append", "required": True}
ANY = {"action": "append", "default": []}
COMMANDS = {
    "prepare": (prepare, {"--zone": ANY, "--bucket": ANY}),
    "inventory": (inventory, {"--region": SEVERAL}),
    "list-objects": (list_objects, {"--bucket": ONE}),
    "push-images": (push_images, {"--repository": ONE, "--tag": SEVERAL}),
    "delete-images": (delete_images, {"--repository": ONE}),
    "create-secret": (create_secret, {"--name": ONE}),
    "schedule-key-deletion": (schedule_key_deletion, {"--key-id": ONE}),
    "delete-secret": (delete_secret, {"--secret-id": ONE}),
    "rotate-secret": (rotate_secret, {"--secret-id": ONE}),
    "minor-upgrade-db": (minor_upgrade_db, {"--identifier": ONE}),
    "ecs-images": (ecs_images, {"--cluster": ONE}),
    "workloads": (workloads, {"--cluster": ONE, "--workloads": ONE}),
    "create-network": (create_network, {"--name": ONE, "--cidr": ONE}),
    "delete-network": (delete_network, {"--name": ONE}),
}


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (run, options) in COMMANDS.items():
        p = commands.add_parser(name)
        for flag, spec in {"--region": ONE, **options}.items():
            p.add_argument(flag, **spec)
        p.set_defaults(run=run)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
