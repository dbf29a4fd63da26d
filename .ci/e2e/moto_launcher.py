"""moto_server for npm run e2e, with corrections where moto 5.2.5 answers differently from AWS.

Usage: python moto_launcher.py <port>   (0 picks a free port)
Prints "LISTENING <port>" once the server accepts connections. Exits 3 when the port is taken.

Each correction below says what moto does (the code it replaces), what AWS does, and why the run
needs it. None of them makes the emulator more lenient than AWS; two make it stricter (deletion
protection, DNS validation). The stacks are never bent to fit the emulator.
"""

import collections
import errno
import json
import random
import string
import sys
import threading
import time

import moto
from moto.acm.models import CertBundle
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.core.utils import utcnow
from moto.ec2.exceptions import InvalidRouteError
from moto.ec2.models import EC2Backend
from moto.ec2.models.security_groups import SecurityGroupRule
from moto.ec2.models.subnets import Subnet
from moto.ecs.models import EC2ContainerServiceBackend
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.elbv2.exceptions import ELBClientError
from moto.elbv2.models import ELBv2Backend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.route53.models import Route53Backend, route53_backends
from moto.secretsmanager.models import SecretsManagerBackend
from moto.sqs.models import Queue as SqsQueue
from moto.utilities.tagging_service import TaggingService
from werkzeug.serving import make_server

PINNED_MOTO = "5.2.5"
if moto.__version__ != PINNED_MOTO:
    sys.exit(f"moto_launcher.py corrects moto {PINNED_MOTO}; found {moto.__version__} (see requirements.txt)")

import moto_data_tier  # noqa: E402,F401  (its corrections, D1-D6 with D3b and D5b, apply on import)


# 1. EC2 DescribeSubnets: the IPv6 association state.
#    moto: "ipv6CidrBlockState": {"state": association["ipv6CidrBlockState"]}, i.e. {"state": {"State": ...}}
#    AWS:  "ipv6CidrBlockState": {"state": "associated"}
#    Without it the AWS provider never sees "associated" and times out after 3 minutes on every
#    subnet with an IPv6 block (the public tier when edge.ipv6 is on).
def _subnet_ipv6_associations(self):
    return [
        {
            "ipv6CidrBlock": association["ipv6CidrBlock"],
            "associationId": association["associationId"],
            "ipv6CidrBlockState": {"state": association["ipv6CidrBlockState"]["State"]},
        }
        for association in self.ipv6_cidr_block_associations.values()
        if association["ipv6CidrBlockState"]["State"] == "associated"
    ]


Subnet.ipv6_cidr_block_association_set = property(_subnet_ipv6_associations)


# 2. Application Auto Scaling tags.
#    moto: no TagResource/UntagResource/ListTagsForResource (HTTP 500), and RegisterScalableTarget
#    drops its Tags. AWS supports all three. The provider tags every scalable target (default
#    tags) and retries the 500 for minutes.
_scalable_target_tags = TaggingService(tag_name="Tags", key_name="Key", value_name="Value")
_register_scalable_target = ApplicationAutoScalingResponse.register_scalable_target


def _tag_list(tags):
    return [{"Key": key, "Value": value} for key, value in (tags or {}).items()]


def _register_with_tags(self):
    body = _register_scalable_target(self)
    arn = json.loads(body)["ScalableTargetARN"]
    _scalable_target_tags.tag_resource(arn, _tag_list(self._get_param("Tags")))
    return body


def _list_tags_for_resource(self):
    arn = self._get_param("ResourceARN")
    return json.dumps({"Tags": _scalable_target_tags.get_tag_dict_for_resource(arn)})


def _tag_resource(self):
    _scalable_target_tags.tag_resource(self._get_param("ResourceARN"), _tag_list(self._get_param("Tags")))
    return "{}"


def _untag_resource(self):
    _scalable_target_tags.untag_resource_using_names(
        self._get_param("ResourceARN"), self._get_param("TagKeys") or []
    )
    return "{}"


ApplicationAutoScalingResponse.register_scalable_target = _register_with_tags
ApplicationAutoScalingResponse.list_tags_for_resource = _list_tags_for_resource
ApplicationAutoScalingResponse.tag_resource = _tag_resource
ApplicationAutoScalingResponse.untag_resource = _untag_resource


# 3. ECS CreateService/UpdateService: settings moto does not keep.
#    moto: ignores capacityProviderStrategy, enableECSManagedTags, enableExecuteCommand,
#    healthCheckGracePeriodSeconds and deploymentConfiguration, and reports launchType "EC2"
#    (launch_type = launch_type if launch_type is not None else "EC2").
#    AWS: returns what was set, and no launchType when a capacity provider strategy is used.
#    Without it every plan shows a diff and the launch type forces a replacement.
_SERVICE_SETTINGS = {
    "capacityProviderStrategy": "capacity_provider_strategy",
    "enableECSManagedTags": "enable_ecs_managed_tags",
    "enableExecuteCommand": "enable_execute_command",
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "deploymentConfiguration": "deployment_configuration",
    "availabilityZoneRebalancing": "availability_zone_rebalancing",
}
_create_service = EC2ContainerServiceResponse.create_service
_update_service = EC2ContainerServiceResponse.update_service


def _keep_service_settings(response, service):
    for parameter, attribute in _SERVICE_SETTINGS.items():
        value = response._get_param(parameter)
        if value is not None:
            setattr(service, attribute, value)


def _create_service_keeping_settings(self):
    result = _create_service(self)
    service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
    _keep_service_settings(self, service)
    if self._get_param("capacityProviderStrategy") and not self._get_param("launchType"):
        service.launch_type = None
        for deployment in service.deployments:
            deployment["launchType"] = None
            deployment["capacityProviderStrategy"] = self._get_param("capacityProviderStrategy")
    return result


def _update_service_keeping_settings(self):
    result = _update_service(self)
    name = self._get_param("service").split("/")[-1]
    _keep_service_settings(self, self.ecs_backend._get_service(self._get_param("cluster", "default"), name))
    return result


EC2ContainerServiceResponse.create_service = _create_service_keeping_settings
EC2ContainerServiceResponse.update_service = _update_service_keeping_settings


# 4. EC2 security-group rules: descriptions of rules that reference a group or a prefix list.
#    moto: SecurityGroupRule.description returns self.ip_range.get("Description") only, so a rule
#    with a referenced group or prefix list loses its description.
#    AWS: every rule keeps its description. Without it every plan wants to set them again.
_rule_init = SecurityGroupRule.__init__


def _rule_init_keeping_prefix_list_description(self, *args, **kwargs):
    _rule_init(self, *args, **kwargs)
    prefix_list = kwargs.get("prefix_list_id", args[7] if len(args) > 7 else None)
    self._prefix_list_description = (prefix_list or {}).get("Description")


SecurityGroupRule.__init__ = _rule_init_keeping_prefix_list_description
SecurityGroupRule.description = property(
    lambda self: self.ip_range.get("Description")
    or self.source_group.get("Description")
    or self._prefix_list_description
)


# 5. ELBv2 DeleteLoadBalancer: deletion protection.
#    moto: delete_load_balancer pops the balancer whatever deletion_protection.enabled says.
#    AWS: refuses with OperationNotPermitted. Stricter than moto, so the run shows that prod's
#    protection holds and that tearing prod down takes the documented break-glass step.
_delete_load_balancer = ELBv2Backend.delete_load_balancer


def _delete_unless_protected(self, arn):
    balancer = self.load_balancers.get(arn)
    if balancer is not None and balancer.attrs.get("deletion_protection.enabled") == "true":
        raise ELBClientError(
            "OperationNotPermitted",
            f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled",
        )
    return _delete_load_balancer(self, arn)


ELBv2Backend.delete_load_balancer = _delete_unless_protected


# 6. ACM DNS validation.
#    moto: a DNS-validated certificate becomes ISSUED once MOTO_ACM_VALIDATION_WAIT seconds have
#    passed, whether or not a validation record exists.
#    AWS: issues it only once every name's validation CNAME resolves. Here: once a hosted zone of
#    the account holds each CNAME with the value moto asked for, so the run proves that the stacks
#    write the validation records into the right zone.
def _validation_record_exists(account_id, name, value):
    for zone in route53_backends[account_id]["aws"].zones.values():
        for record in zone.rrsets:
            if (
                record.type == "CNAME"
                and record.name.rstrip(".") == name.rstrip(".")
                and any(str(v).rstrip(".") == value.rstrip(".") for v in record.records)
            ):
                return True
    return False


def _check_dns_validation(self):
    if self._not_valid_after(self._cert) <= utcnow():
        self.status = "EXPIRED"
        return
    if self.type != "AMAZON_ISSUED" or self.status != "PENDING_VALIDATION":
        return
    account_id = self.arn.split(":")[4]
    options = self.describe()["Certificate"].get("DomainValidationOptions", [])
    if options and all(
        _validation_record_exists(account_id, o["ResourceRecord"]["Name"], o["ResourceRecord"]["Value"])
        for o in options
    ):
        self.status = "ISSUED"


CertBundle.check = _check_dns_validation


# 7. ECS deployments.
#    moto: a service's tasks never start: runningCount stays 0 and its deployment IN_PROGRESS
#    (unless MOTO_ECS_SERVICE_RUNNING fixes one count for every service).
#    AWS: starts the tasks; the deployment completes with runningCount == desiredCount.
#    Without it an apply that waits for steady state (service.waitForDeployment) never ends.
#    The run's own fault: a task definition whose image tag is E2E_ROLLED_BACK_TAG fails, and the
#    service goes back to the task definition it ran before, as the deployment circuit breaker
#    does. npm run e2e deploys that tag once to show that the apply then fails.
E2E_ROLLED_BACK_TAG = "e2e-rolled-back"


def _settle(service, task_definition_arn):
    service.task_definition = task_definition_arn
    service.running_count = service.desired_count
    service.pending_count = 0
    for deployment in service.deployments:
        deployment.update(
            taskDefinition=task_definition_arn,
            runningCount=service.desired_count,
            pendingCount=0,
            desiredCount=service.desired_count,
            rolloutState="COMPLETED",
        )
    service.deployments = service.deployments[:1]


def _image_tag(backend, task_definition_arn):
    definition = backend.describe_task_definition(task_definition_arn)
    images = [c.get("image", "") for c in definition.container_definitions]
    return images[0].rsplit(":", 1)[-1] if images else ""


def _create_service_settled(self):
    result = _create_service_keeping_settings(self)
    service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
    _settle(service, service.task_definition)
    return result


def _update_service_settled(self):
    name = self._get_param("service").split("/")[-1]
    service = self.ecs_backend._get_service(self._get_param("cluster", "default"), name)
    before = service.task_definition
    result = _update_service_keeping_settings(self)
    rolled_back = _image_tag(self.ecs_backend, service.task_definition) == E2E_ROLLED_BACK_TAG
    _settle(service, before if rolled_back else service.task_definition)
    return result


EC2ContainerServiceResponse.create_service = _create_service_settled
EC2ContainerServiceResponse.update_service = _update_service_settled


# 8. ECS RunTask: one-off tasks (migrations) run to completion.
#    moto: a task started by RunTask stays RUNNING for ever, so `aws ecs wait tasks-stopped` never
#    returns. AWS: the task runs its command and stops; its container reports the exit code.
#    moto runs no containers, so the correction stops each such task at once with exit code 0,
#    the outcome of a command that succeeded. The run's own fault: a task whose image tag is
#    E2E_FAILED_MIGRATION_TAG exits 1, so npm run e2e shows a failed migration stopping a release.
#    Tasks that services start are not touched (see 7).
#    Also: moto's RunTask adds up the containers' memory and fails (HTTP 500) when a container sets
#    none; AWS accepts that on Fargate, where the task-level memory is the limit.
E2E_FAILED_MIGRATION_TAG = "e2e-failed-migration"
_run_task = EC2ContainerServiceBackend.run_task
_task_requirements = EC2ContainerServiceBackend._calculate_task_resource_requirements


def _task_requirements_with_task_memory(task_definition):
    definitions = task_definition.container_definitions
    task_definition.container_definitions = [
        {"memory": 0, **d} if d.get("memory") is None and d.get("memoryReservation") is None else d
        for d in definitions
    ]
    try:
        return _task_requirements(task_definition)
    finally:
        task_definition.container_definitions = definitions


EC2ContainerServiceBackend._calculate_task_resource_requirements = staticmethod(_task_requirements_with_task_memory)


def _run_task_to_completion(self, *args, **kwargs):
    tasks = _run_task(self, *args, **kwargs)
    for task in tasks:
        exit_code = 1 if _image_tag(self, task.task_definition_arn) == E2E_FAILED_MIGRATION_TAG else 0
        task.status = "STOPPED"
        task.desired_status = "STOPPED"
        task.stop_code = "EssentialContainerExited"
        task.stopped_reason = "Essential container in task exited"
        for container in task.containers:
            container.last_status = "STOPPED"
            container.exitCode = container.exit_code = exit_code
    return tasks


EC2ContainerServiceBackend.run_task = _run_task_to_completion


# 10. Secrets Manager RotateSecret of a secret RDS manages (named "rds!db-...").
#     moto: without a rotation Lambda it moves AWSPENDING onto a version with no value and leaves
#     the secret with no AWSCURRENT, so GetSecretValue fails afterwards.
#     AWS: RDS rotates its managed master secrets itself (no Lambda): a new password becomes
#     AWSCURRENT, the old one AWSPREVIOUS, and the instance takes the new password.
#     npm run e2e rotates prod's master secret to show that nothing deployed holds the old one.
_rotate_secret = SecretsManagerBackend.rotate_secret


def _rotate_rds_managed(self, secret_id, *args, **kwargs):
    secret = self.secrets[secret_id] if self._is_valid_identifier(secret_id) else None
    if secret is None or not secret.name.startswith("rds!"):
        return _rotate_secret(self, secret_id, *args, **kwargs)
    current = json.loads(self.get_secret_value(secret_id, None, "AWSCURRENT")["SecretString"])
    rotated = {**current, "password": "".join(random.choices(string.ascii_letters + string.digits, k=32))}
    self.put_secret_value(secret_id, json.dumps(rotated), None, None, ["AWSCURRENT"])
    secret.rotation_enabled = True
    return secret.to_short_dict()


SecretsManagerBackend.rotate_secret = _rotate_rds_managed


# 11. EC2 gateway endpoints and route tables added later.
#     moto: ModifyVpcEndpoint with AddRouteTableIds records the table but adds no prefix-list route
#     to it, and DeleteVpcEndpoints then fails with InvalidRoute.NotFound on that table.
#     AWS: the route is added with the table and removed with the endpoint. The change-safety run
#     adds an AZ (a route table joins the S3 gateway endpoint) before the environment is destroyed.
_delete_vpc_endpoints = EC2Backend.delete_vpc_endpoints


def _delete_vpc_endpoints_with_added_tables(self, vpce_ids=None):
    for vpce_id in vpce_ids or []:
        endpoint = self.vpc_end_points.get(vpce_id)
        if endpoint is None or endpoint.vpc_endpoint_type.lower() == "interface":
            _delete_vpc_endpoints(self, [vpce_id])
            continue
        for table_id in endpoint.route_table_ids:
            try:
                self.delete_route(table_id, endpoint.destination_prefix_list_id)
            except InvalidRouteError:
                pass  # a table added by ModifyVpcEndpoint, whose route moto never created
        endpoint.state = "deleted"


EC2Backend.delete_vpc_endpoints = _delete_vpc_endpoints_with_added_tables


# 12. SQS GetQueueAttributes: the RedrivePolicy document.
#     moto: json.dumps(redrive_policy), i.e. {"deadLetterTargetArn": "...", "maxReceiveCount": 5}
#     AWS:  compact JSON, {"deadLetterTargetArn":"...","maxReceiveCount":5}
#     The AWS provider compares the text: with moto's spaces every plan after the first would
#     show a worker's queue as changed ("whitespace changes"), and the second plan is never empty.
_queue_attributes = SqsQueue.attributes.fget


def _queue_attributes_compact(self):
    result = _queue_attributes(self)
    if self.redrive_policy:
        result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
    return result


SqsQueue.attributes = property(_queue_attributes_compact)


# 13. Route 53 ChangeResourceRecordSets: CREATE of a record that was deleted before.
#     moto: a CREATE identical to one in the zone's change journal fails with "already exists"
#     whenever any record of the zone sorts at or after it, although the record itself was
#     deleted since (it lists from the name instead of looking it up).
#     AWS: a record that does not exist can be created, whatever was created and deleted before.
#     npm run e2e deploys dev a second time, into an existing VPC, after destroying it: its alias
#     records are the same as the first time.
_change_record_sets = Route53Backend.change_resource_record_sets


def _change_record_sets_recreating(self, zoneid, change_list):
    zone = self.get_hosted_zone(zoneid)
    for change in change_list:
        record = change["ResourceRecordSet"]
        if change["Action"] != "CREATE":
            continue
        name = record["Name"].rstrip(".") + "."
        if not any(r.name == name and r.type == record["Type"] for r in zone.rrsets):
            while change in zone.rr_changes:
                zone.rr_changes.remove(change)
    return _change_record_sets(self, zoneid, change_list)


Route53Backend.change_resource_record_sets = _change_record_sets_recreating


# 14. ECS CreateService/UpdateService: Service Connect.
#     moto: ignores serviceConnectConfiguration; the service's deployments never carry it.
#     AWS: the PRIMARY deployment returns the configuration it runs (namespace, services, client
#     aliases, log configuration), which the AWS provider reads back into the state.
#     Without it the state of every internal workload and caller loses its Service Connect block
#     and the second plan is never empty. The correction keeps what was sent, as AWS reports it;
#     the e2e's check of an internal workload reads it back the same way (DescribeServices).
_create_service_before_connect = EC2ContainerServiceResponse.create_service
_update_service_before_connect = EC2ContainerServiceResponse.update_service


def _keep_service_connect(response, service_name):
    service = response.ecs_backend._get_service(response._get_param("cluster", "default"), service_name)
    configuration = response._get_param("serviceConnectConfiguration")
    if configuration is not None:
        service.e2e_service_connect = configuration if configuration.get("enabled") else None
    kept = getattr(service, "e2e_service_connect", None)
    for deployment in service.deployments:
        if kept is None:
            deployment.pop("serviceConnectConfiguration", None)
        else:
            deployment["serviceConnectConfiguration"] = kept


def _create_service_with_connect(self):
    result = _create_service_before_connect(self)
    _keep_service_connect(self, self._get_param("serviceName"))
    return result


def _update_service_with_connect(self):
    result = _update_service_before_connect(self)
    _keep_service_connect(self, self._get_param("service").split("/")[-1])
    return result


EC2ContainerServiceResponse.create_service = _create_service_with_connect
EC2ContainerServiceResponse.update_service = _update_service_with_connect


# The run's own control: a safe instant to interrupt Terraform.
# Terraform cancels the provider's calls in flight when it stops, and a create that AWS completed
# just as it was cancelled never reaches the state (Terraform's hazard, documented in the README).
# To show what the stacks do after an interruption, not that hazard, npm run e2e asks the emulator
# to hold new calls (POST /e2e/hold returns once none has been processed for QUIET_SECONDS, so the
# last answers have been read too), sends SIGTERM, and
# releases the emulator once Terraform and its provider have exited (POST /e2e/release; a provider
# still alive would retry the 503s). Calls that arrived while held are answered 503
# ServiceUnavailable, unexecuted, as AWS throttling would answer them. S3 passes through:
# Terraform saves the state and releases its lock there while it stops.
# One call at a time inside moto. Its backends are dicts and lists shared by every request thread,
# with no locking, while `cdktf deploy dev prod` sends two Terraform processes' parallel calls at
# once. In two of five runs, prod's listener rule then failed with PriorityInUse on a listener that
# held no other rule. Calls are milliseconds, so serializing them costs little.
EMULATOR_LOCK = threading.Lock()


def _serialized(app, environ, start_response):
    queued = time.monotonic()
    with EMULATOR_LOCK:
        waited = time.monotonic() - queued
        return _answered(app, environ, start_response, waited)


# 9. Retried calls that were already answered.
#    Seen: on a loaded machine the AWS SDK sometimes retries a call (same amz-sdk-invocation-id,
#    amz-sdk-request attempt=2) a fraction of a second after the emulator answered it 200 with a
#    complete body (Content-Length matching). The SDK retries a 200 only when it could not take the
#    answer off the connection (its retryable connection errors; werkzeug closes every connection
#    after one answer), which the emulator's side cannot see. A create that succeeded then ran a
#    second time and failed with AlreadyExists (one e2e run in three under load:
#    "DBInstanceAlreadyExists"); the E2E-RETRY log of two loaded runs showed 1-12 such retries each.
#    AWS: answers in milliseconds over keep-alive connections, so the client reads the answer.
#    Correction: a retry of a call this emulator already answered 2xx gets that same answer again,
#    unexecuted (what an idempotency token gives on AWS). Anything else is executed as sent. Each
#    replay is logged as E2E-REPLAY in emulator-<path>.log; no check of the stacks changes.
_ANSWERED = collections.OrderedDict()
_ANSWERED_KEPT = 4000


def _replayed(environ, start_response):
    """The answer already given to an earlier attempt of this call, or None (a retry may arrive while held)."""
    invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
    attempt = environ.get("HTTP_AMZ_SDK_REQUEST", "attempt=1").split(";")[0].split("=")[-1]
    earlier = _ANSWERED.get(invocation) if invocation is not None and attempt != "1" else None
    if earlier is None:
        return None
    status, headers, body, answered_at = earlier
    print(
        f"E2E-REPLAY attempt={attempt} {_action(environ)} {time.monotonic() - answered_at:.1f}s after its answer {status}",
        file=sys.stderr,
        flush=True,
    )
    start_response(status, headers)
    return body


def _answered(app, environ, start_response, waited):
    invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
    replay = _replayed(environ, start_response)
    if replay is not None:
        return replay
    answer = {}

    def recording_start_response(status, headers, *rest):
        answer["status"], answer["headers"] = status, list(headers)
        return start_response(status, headers, *rest)

    body = list(app(environ, recording_start_response))
    if invocation is not None and answer.get("status", "").startswith("2"):
        _ANSWERED[invocation] = (answer["status"], answer["headers"], body, time.monotonic())
        while len(_ANSWERED) > _ANSWERED_KEPT:
            _ANSWERED.popitem(last=False)
    if waited > 5:
        print(f"E2E-SLOW a call waited {waited:.1f}s for the emulator lock", file=sys.stderr, flush=True)
    return body


def _action(environ):
    """The API action of a call not yet read: X-Amz-Target (JSON protocols), Action= (query protocols) or the path."""
    if environ.get("HTTP_X_AMZ_TARGET"):
        return environ["HTTP_X_AMZ_TARGET"]
    sent = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    action = next((p[7:] for p in sent.decode("utf8", "replace").split("&") if p.startswith("Action=")), None)
    return action or f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"


QUIET_SECONDS = 2.0


class InterruptionGate:
    def __init__(self, app):
        self.app = app
        self.condition = threading.Condition()
        self.holding = False
        self.in_flight = 0
        self.last_answer = time.monotonic()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/e2e/hold":
            return self._hold(start_response)
        if path == "/e2e/release":
            return self._release(start_response)
        if "/s3/aws4_request" in environ.get("HTTP_AUTHORIZATION", ""):
            return _serialized(self.app, environ, start_response)
        # A retry of a call already answered is not a new call: it gets its answer even while held,
        # or a resource created just before the hold would be lost to the state (correction 9).
        with EMULATOR_LOCK:
            replay = _replayed(environ, start_response)
        if replay is not None:
            return replay
        with self.condition:
            held = self.holding
            while self.holding:
                self.condition.wait()
            if not held:
                self.in_flight += 1
        if held:
            start_response("503 Service Unavailable", [("Content-Type", "text/xml")])
            return [b"<Error><Code>ServiceUnavailable</Code><Message>held by npm run e2e</Message></Error>"]
        try:
            return _serialized(self.app, environ, start_response)
        finally:
            with self.condition:
                self.in_flight -= 1
                self.last_answer = time.monotonic()
                self.condition.notify_all()

    def _hold(self, start_response):
        # Returns once no call is in progress and none was answered for QUIET_SECONDS: an answer
        # written must also have been read (on a loaded machine a fixed short sleep was not enough,
        # and a create whose answer the cancelled provider had not read was lost to the state).
        deadline = time.monotonic() + 30
        with self.condition:
            self.holding = True
            while time.monotonic() < deadline:
                quiet = time.monotonic() - self.last_answer
                if self.in_flight == 0 and quiet >= QUIET_SECONDS:
                    break
                self.condition.wait(timeout=max(0.05, QUIET_SECONDS - quiet))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"held": true}']

    def _release(self, start_response):
        with self.condition:
            self.holding = False
            self.condition.notify_all()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"held": false}']


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    app = InterruptionGate(DomainDispatcherApplication(create_backend_app))
    try:
        server = make_server("127.0.0.1", port, app, threaded=True)
    except (OSError, SystemExit) as error:
        # werkzeug reports a taken port itself and exits 1; say it in a form the runner reads.
        if isinstance(error, SystemExit) or error.errno == errno.EADDRINUSE:
            print(f"PORT_IN_USE {port}", flush=True)
            sys.exit(3)
        raise
    print(f"LISTENING {server.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
