"""Corrections to moto 5.2.5's RDS and ElastiCache, imported by moto_launcher.py.

Same rules as there: each correction says what moto does, what AWS does, and why the run needs it;
none makes the emulator more lenient than AWS.
"""

import random
import re
import string

from moto.elasticache.exceptions import ElastiCacheException, UserNotFound
from moto.elasticache.models import CacheSubnetGroup, ElastiCacheBackend, ReplicationGroup
from moto.elasticache.responses import ElastiCacheResponse
from moto.rds.models import DBInstance, DBParameterGroup, RDSBackend
from moto.core.responses import ActionResult, EmptyResult


# Errors the corrections answer with, in moto's form.
class UserGroupNotFound(ElastiCacheException):
    __module__ = "moto.elasticache.exceptions"  # moto finds the error's service by its module
    code = "UserGroupNotFound"

    def __init__(self, user_group_id):
        super().__init__(f"User group {user_group_id} not found.")


class ElastiCacheRefused(ElastiCacheException):
    __module__ = "moto.elasticache.exceptions"

    def __init__(self, code, message):
        self.code = code
        super().__init__(message)


# D1. RDS Performance Insights.
#     moto: CreateDBInstance/ModifyDBInstance ignore EnablePerformanceInsights and the insights'
#     KMS key and retention, and DescribeDBInstances never returns PerformanceInsightsEnabled.
#     AWS: returns what was set (retention 7 days by default). Without it every plan wants to
#     turn Performance Insights on again.
_db_instance_init = DBInstance.__init__
_db_instance_update = DBInstance.update


def _keep_insights(instance, settings):
    if settings.get("enable_performance_insights") is not None:
        instance.performance_insights_enabled = bool(settings["enable_performance_insights"])
    for setting in ("performance_insights_kms_key_id", "performance_insights_retention_period"):
        if settings.get(setting) is not None:
            setattr(instance, setting, settings[setting])
    if instance.performance_insights_enabled and not instance.performance_insights_retention_period:
        instance.performance_insights_retention_period = 7


def _db_instance_init_keeping_insights(self, *args, **kwargs):
    _db_instance_init(self, *args, **kwargs)
    self.dbi_resource_id = _unique_resource_id()  # D2
    self.performance_insights_enabled = False
    self.performance_insights_kms_key_id = None
    self.performance_insights_retention_period = None
    _keep_insights(self, kwargs)


def _db_instance_update_keeping_insights(self, *args, **kwargs):
    _db_instance_update(self, *args, **kwargs)
    _keep_insights(self, kwargs)


DBInstance.__init__ = _db_instance_init_keeping_insights
DBInstance.update = _db_instance_update_keeping_insights


# D2. RDS DbiResourceId.
#     moto: every instance gets the same DbiResourceId ("db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U").
#     AWS: unique per instance. The provider finds an instance by that id (its Terraform id), so
#     with two instances in one account (dev and prod in one emulator) it finds two and gives up.
def _unique_resource_id():
    return "db-" + "".join(random.choices(string.ascii_uppercase + string.digits, k=26))


# D3. RDS DescribeDBParameters: where a parameter's value comes from.
#     moto: stores exactly the fields ModifyDBParameterGroup sent, so no parameter has a Source.
#     AWS: a parameter set by the user has "Source": "user". The provider keeps only those, so
#     without it every plan wants to set the group's parameters again.
_update_parameters = DBParameterGroup.update_parameters


def _update_parameters_as_user(self, new_parameters):
    _update_parameters(self, [{**parameter, "Source": "user"} for parameter in new_parameters])


DBParameterGroup.update_parameters = _update_parameters_as_user


# D3b. RDS ModifyDBSubnetGroup.
#      moto: pops the group out of the backend, updates it and never puts it back, so it is gone.
#      AWS: the group keeps its name with the new subnets (a new AZ of the environment joins the
#      data tier). Without it the provider finds no group after the update ("Root object was
#      present, but now absent").
_modify_db_subnet_group = RDSBackend.modify_db_subnet_group


def _modify_db_subnet_group_kept(self, subnet_name, description, subnets):
    group = _modify_db_subnet_group(self, subnet_name, description, subnets)
    self.subnet_groups[subnet_name] = group
    return group


RDSBackend.modify_db_subnet_group = _modify_db_subnet_group_kept


# D4. ElastiCache replication groups and their member clusters.
#     moto: without ReplicasPerNodeGroup a group has one member whatever NumCacheClusters says;
#     no member is a cache cluster (DescribeCacheClusters finds none); member clusters report no
#     security groups or at-rest encryption; DeleteReplicationGroup leaves the group "deleting" for ever.
#     AWS: NumCacheClusters members, each a cache cluster with the group's subnet group, security
#     groups and encryption; a deleted group and its members disappear; a new node type
#     (ModifyReplicationGroup) reaches every member. The provider reads the first member after
#     every create and refresh (node_type included), and waits for a deleted group to disappear.
_set_members = ReplicationGroup._set_node_members_clusters_disabled


def _set_members_from_count(self, *args, **kwargs):
    count = kwargs.get("num_cache_clusters") or 1
    if not kwargs.get("replicas_per_node_group"):
        kwargs["replicas_per_node_group"] = count - 1
    _set_members(self, *args, **kwargs)


ReplicationGroup._set_node_members_clusters_disabled = _set_members_from_count
_create_replication_group = ElastiCacheBackend.create_replication_group
_delete_replication_group = ElastiCacheBackend.delete_replication_group
_modify_replication_group = ElastiCacheBackend.modify_replication_group


_MEMBER_SETTINGS_FROM_GROUP = (
    "cache_node_type",
    "engine",
    "engine_version",
    "cache_parameter_group_name",
    "cache_subnet_group_name",
    "security_group_ids",
    "transit_encryption_enabled",
    "network_type",
    "ip_discovery",
    "port",
    "preferred_maintenance_window",
    "notification_topic_arn",
    "auto_minor_version_upgrade",
    "snapshot_retention_limit",
    "snapshot_window",
)
_MEMBER_SETTINGS_UNSET = (
    "az_mode",
    "preferred_availability_zone",
    "preferred_availability_zones",
    "snapshot_name",
    "snapshot_arns",
    "auth_token",
    "outpost_mode",
    "preferred_outpost_arn",
    "preferred_outpost_arns",
    "cache_security_group_names",
    "tags",
    "cache_node_ids_to_remove",
    "cache_node_ids_to_reboot",
)


def _create_replication_group_with_members(self, **kwargs):
    group = _create_replication_group(self, **kwargs)
    for cluster_id in group.member_clusters:
        cluster = self.create_cache_cluster(
            cache_cluster_id=cluster_id,
            replication_group_id=group.replication_group_id,
            num_cache_nodes=1,
            log_delivery_configurations=[],
            **{setting: getattr(group, setting) for setting in _MEMBER_SETTINGS_FROM_GROUP},
            **dict.fromkeys(_MEMBER_SETTINGS_UNSET),
        )
        cluster.at_rest_encryption_enabled = group.at_rest_encryption_enabled
        cluster.security_groups = [{"SecurityGroupId": i, "Status": "active"} for i in group.security_group_ids or []]
    for user_group_id in group.user_group_ids:
        _user_groups(self)[user_group_id].replication_groups.append(group.replication_group_id)
    return group


def _modify_replication_group_with_members(self, replication_group_id, *args, **kwargs):
    group = _modify_replication_group(self, replication_group_id, *args, **kwargs)
    for cluster_id in group.member_clusters:
        if cluster_id in self.cache_clusters:
            self.cache_clusters[cluster_id].cache_node_type = group.cache_node_type
    return group


def _delete_replication_group_with_members(self, replication_group_id, retain_primary_cluster):
    members = list(getattr(self.replication_groups.get(replication_group_id), "member_clusters", []))
    group = _delete_replication_group(self, replication_group_id, retain_primary_cluster)
    for cluster_id in members:
        self.cache_clusters.pop(cluster_id, None)
    for user_group in _user_groups(self).values():
        if replication_group_id in user_group.replication_groups:
            user_group.replication_groups.remove(replication_group_id)
    del self.replication_groups[replication_group_id]
    return group


ElastiCacheBackend.create_replication_group = _create_replication_group_with_members
ElastiCacheBackend.delete_replication_group = _delete_replication_group_with_members
ElastiCacheBackend.modify_replication_group = _modify_replication_group_with_members


# D5. ElastiCache DeleteCacheSubnetGroup.
#     moto: not implemented (HTTP 500, which the provider retries for 10 minutes).
#     AWS: deletes the group, or refuses with CacheSubnetGroupInUse while a cluster uses it.
def _delete_cache_subnet_group(self):
    backend = self.elasticache_backend
    name = self._get_param("CacheSubnetGroupName")
    if name not in backend.cache_subnet_groups:
        raise ElastiCacheRefused("CacheSubnetGroupNotFoundFault", f"Cache subnet group {name} not found.")
    if any(c.cache_subnet_group_name == name for c in backend.cache_clusters.values()):
        raise ElastiCacheRefused("CacheSubnetGroupInUse", f"Cache subnet group {name} is in use.")
    del backend.cache_subnet_groups[name]
    return EmptyResult()


ElastiCacheResponse.delete_cache_subnet_group = _delete_cache_subnet_group


# D5b. ElastiCache ModifyCacheSubnetGroup.
#      moto: not implemented (an error the provider retries for minutes).
#      AWS: replaces the group's subnets (a new AZ of the environment joins the data tier).
def _modify_cache_subnet_group(self):
    backend = self.elasticache_backend
    name = self._get_param("CacheSubnetGroupName")
    group = backend.cache_subnet_groups.get(name)
    if group is None:
        raise ElastiCacheRefused("CacheSubnetGroupNotFoundFault", f"Cache subnet group {name} not found.")
    updated = CacheSubnetGroup(
        account_id=backend.account_id,
        region_name=backend.region_name,
        cache_subnet_group_name=name,
        cache_subnet_group_description=self._get_param("CacheSubnetGroupDescription")
        or group.cache_subnet_group_description,
        subnet_ids=self._get_param("SubnetIds", []) or group.subnet_ids,
        tags=group.tags,
    )
    backend.cache_subnet_groups[name] = updated
    return ActionResult({"CacheSubnetGroup": updated})


ElastiCacheResponse.modify_cache_subnet_group = _modify_cache_subnet_group


# D6. ElastiCache user groups (RBAC).
#     moto: no CreateUserGroup, DescribeUserGroups, ModifyUserGroup or DeleteUserGroup (the
#     provider retries the error for 10 minutes), and user-group ARNs cannot be tagged.
#     AWS: all four, with its rules: a Redis user group must hold a user named "default", its users
#     must exist, and a group in use by a replication group cannot be deleted. The stacks switch the
#     default user off and let the service in through an IAM-authenticated user of such a group.
class UserGroup:
    def __init__(self, backend, user_group_id, engine, user_ids):
        self.user_group_id = user_group_id
        self.status = "active"
        self.engine = engine
        self.user_ids = list(user_ids)
        self.minimum_engine_version = "6.0"
        self.replication_groups = []
        self.serverless_caches = []
        self.arn = f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:usergroup:{user_group_id}"


def _user_groups(backend):
    if not hasattr(backend, "e2e_user_groups"):
        backend.e2e_user_groups = {}
        backend.arn_regex = re.compile(
            backend.arn_regex.pattern.replace("|user)", "|user|usergroup)")
        )
    return backend.e2e_user_groups


def _check_users(backend, engine, user_ids):
    for user_id in user_ids:
        if user_id not in backend.users:
            raise UserNotFound(user_id)
    if engine == "redis" and not any(backend.users[i].name == "default" for i in user_ids):
        raise ElastiCacheRefused("DefaultUserRequired", "A user with the username default must be included.")


def _create_user_group(self):
    backend = self.elasticache_backend
    groups = _user_groups(backend)
    group_id = self._get_param("UserGroupId")
    if group_id in groups:
        raise ElastiCacheRefused("UserGroupAlreadyExists", f"User group {group_id} already exists.")
    engine = (self._get_param("Engine") or "").lower()
    user_ids = self._get_param("UserIds") or []
    _check_users(backend, engine, user_ids)
    group = groups[group_id] = UserGroup(backend, group_id, engine, user_ids)
    if self._get_param("Tags"):
        backend.tagging_service.tag_resource(group.arn, self._get_param("Tags"))
    return ActionResult(group)


def _describe_user_groups(self):
    groups = _user_groups(self.elasticache_backend)
    group_id = self._get_param("UserGroupId")
    if group_id and group_id not in groups:
        raise UserGroupNotFound(group_id)
    return ActionResult({"UserGroups": [groups[group_id]] if group_id else list(groups.values())})


def _modify_user_group(self):
    backend = self.elasticache_backend
    group = _user_groups(backend).get(self._get_param("UserGroupId"))
    if group is None:
        raise UserGroupNotFound(self._get_param("UserGroupId"))
    removed = set(self._get_param("UserIdsToRemove") or [])
    user_ids = [i for i in group.user_ids if i not in removed]
    user_ids += [i for i in self._get_param("UserIdsToAdd") or [] if i not in user_ids]
    _check_users(backend, group.engine, user_ids)
    group.user_ids = user_ids
    return ActionResult(group)


def _delete_user_group(self):
    groups = _user_groups(self.elasticache_backend)
    group_id = self._get_param("UserGroupId")
    group = groups.get(group_id)
    if group is None:
        raise UserGroupNotFound(group_id)
    if group.replication_groups:
        raise ElastiCacheRefused(
            "InvalidUserGroupState", f"User group {group_id} is associated with {group.replication_groups}."
        )
    del groups[group_id]
    group.status = "deleting"
    return ActionResult(group)


ElastiCacheResponse.create_user_group = _create_user_group
ElastiCacheResponse.describe_user_groups = _describe_user_groups
ElastiCacheResponse.modify_user_group = _modify_user_group
ElastiCacheResponse.delete_user_group = _delete_user_group
