#!/usr/bin/python3
"""Creates Octavia's schema on PostgreSQL.

Octavia's alembic migrations only run on MySQL, so the schema is built from its SQLAlchemy
models (as Octavia's own functional tests do), the lookup tables are filled, and
`octavia-db-manage stamp head` then records the schema as current.
Usage: octavia_schema.py DATABASE_URL
"""
import sys

import sqlalchemy
from sqlalchemy import orm

from octavia.common import constants
from octavia.db import base_models, models

LOOKUP_TABLES = [
    (constants.SUPPORTED_PROVISIONING_STATUSES, models.ProvisioningStatus),
    (constants.SUPPORTED_HEALTH_MONITOR_TYPES, models.HealthMonitorType),
    (constants.SUPPORTED_LB_ALGORITHMS, models.Algorithm),
    (constants.SUPPORTED_PROTOCOLS, models.Protocol),
    (constants.SUPPORTED_OPERATING_STATUSES, models.OperatingStatus),
    (constants.SUPPORTED_SP_TYPES, models.SessionPersistenceType),
    (constants.SUPPORTED_AMPHORA_ROLES, models.AmphoraRoles),
    (constants.SUPPORTED_LB_TOPOLOGIES, models.LBTopology),
    (constants.SUPPORTED_VRRP_AUTH, models.VRRPAuthMethod),
    (constants.SUPPORTED_L7RULE_TYPES, models.L7RuleType),
    (constants.SUPPORTED_L7RULE_COMPARE_TYPES, models.L7RuleCompareType),
    (constants.SUPPORTED_L7POLICY_ACTIONS, models.L7PolicyAction),
    (constants.SUPPORTED_CLIENT_AUTH_MODES, models.ClientAuthenticationMode),
]


def main(url):
    engine = sqlalchemy.create_engine(url)
    base_models.BASE.metadata.create_all(engine)
    with orm.Session(engine) as session, session.begin():
        for names, model in LOOKUP_TABLES:
            for name in names:
                session.merge(model(name=name))
        # Placeholders that deleted load balancers point to.
        session.merge(models.FlavorProfile(
            id=constants.NIL_UUID, name="DELETED-PLACEHOLDER",
            provider_name=constants.DELETED, flavor_data="{}"))
        session.flush()
        session.merge(models.Flavor(
            id=constants.NIL_UUID, flavor_profile_id=constants.NIL_UUID,
            name="DELETED-PLACEHOLDER", enabled=False,
            description="Placeholder for DELETED LBs with DELETED flavors"))
        session.merge(models.AvailabilityZoneProfile(
            id=constants.NIL_UUID, name="DELETED-PLACEHOLDER",
            provider_name=constants.DELETED, availability_zone_data="{}"))
        session.flush()
        session.merge(models.AvailabilityZone(
            availability_zone_profile_id=constants.NIL_UUID,
            name=constants.NIL_UUID, enabled=False,
            description="Placeholder for DELETED LBs with DELETED availability zones"))


if __name__ == "__main__":
    main(sys.argv[1])
