"""An ML2 mechanism driver that binds every port at once.

Without agents (OVS, linuxbridge) Neutron cannot bind ports, so Nova's servers would go to
ERROR with PortBindingFailed. The test cloud has no data plane anyway: binding every port as
an active OVS port lets the Compute, Network and Load-balancer APIs behave as in a real cloud.
"""
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api


class BindAllMechanismDriver(api.MechanismDriver):
    def initialize(self):
        pass

    def bind_port(self, context):
        for segment in context.segments_to_bind:
            context.set_binding(
                segment[api.ID],
                "ovs",
                {"port_filter": True, "ovs_hybrid_plug": False},
                status=constants.PORT_STATUS_ACTIVE,
            )
            return
