"""A Cinder volume driver that keeps each volume as a sparse file.

Debian's packages give no block backend that works without LVM/iSCSI on a loopback-only
machine. This driver gives the operations the SCS tests and the smoke test need: create,
delete, snapshot, clone, extend, create from image, backup and restore (through os-brick's
`local` connector, which hands the file path to the backup service and to Nova).
"""
import os
import shutil

from oslo_config import cfg
from oslo_log import log as logging

from cinder.volume import driver

LOG = logging.getLogger(__name__)

file_opts = [
    cfg.StrOpt("file_volume_dir", default="/var/lib/cinder/file-volumes",
               help="Directory holding one sparse file per volume."),
]
cfg.CONF.register_opts(file_opts, group="backend_defaults")

GIB = 1024 ** 3


class FileVolumeDriver(driver.VolumeDriver):
    VERSION = "1.0.0"
    CI_WIKI_NAME = "scs-testcloud"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.configuration.append_config_values(file_opts)
        self.directory = self.configuration.file_volume_dir
        self.backend_name = self.configuration.safe_get("volume_backend_name") or "file"

    @staticmethod
    def get_driver_options():
        return file_opts

    # --- setup and stats -------------------------------------------------------------
    def do_setup(self, context):
        os.makedirs(self.directory, exist_ok=True)

    def check_for_setup_error(self):
        if not os.access(self.directory, os.W_OK):
            raise RuntimeError("volume directory %s is not writable" % self.directory)

    def _update_volume_stats(self):
        usage = shutil.disk_usage(self.directory)
        self._stats = {
            "volume_backend_name": self.backend_name,
            "vendor_name": "SCS test cloud",
            "driver_version": self.VERSION,
            "storage_protocol": "local",
            "total_capacity_gb": usage.total // GIB,
            "free_capacity_gb": usage.free // GIB,
            "reserved_percentage": 0,
            "thin_provisioning_support": True,
            "thick_provisioning_support": False,
            "max_over_subscription_ratio": 20.0,
            "multiattach": False,
        }

    def get_volume_stats(self, refresh=False):
        if refresh or not self._stats:
            self._update_volume_stats()
        return self._stats

    # --- volumes ---------------------------------------------------------------------
    def _path(self, name):
        return os.path.join(self.directory, name)

    def _allocate(self, path, size_gb):
        with open(path, "ab") as handle:
            handle.truncate(size_gb * GIB)

    def create_volume(self, volume):
        self._allocate(self._path(volume.name), volume.size)
        return {"provider_location": self._path(volume.name)}

    def delete_volume(self, volume):
        try:
            os.remove(self._path(volume.name))
        except FileNotFoundError:
            pass

    def extend_volume(self, volume, new_size):
        self._allocate(self._path(volume.name), new_size)

    def create_cloned_volume(self, volume, src_vref):
        shutil.copyfile(self._path(src_vref.name), self._path(volume.name))
        self._allocate(self._path(volume.name), volume.size)
        return {"provider_location": self._path(volume.name)}

    def create_snapshot(self, snapshot):
        shutil.copyfile(self._path(snapshot.volume_name), self._path(snapshot.name))

    def delete_snapshot(self, snapshot):
        try:
            os.remove(self._path(snapshot.name))
        except FileNotFoundError:
            pass

    def create_volume_from_snapshot(self, volume, snapshot):
        shutil.copyfile(self._path(snapshot.name), self._path(volume.name))
        self._allocate(self._path(volume.name), volume.size)
        return {"provider_location": self._path(volume.name)}

    def copy_image_to_volume(self, context, volume, image_service, image_id):
        super().copy_image_to_volume(context, volume, image_service, image_id)
        # qemu-img writes only the image's virtual size; give the volume its full size back.
        self._allocate(self._path(volume.name), volume.size)

    # --- exports and connections: a local file needs neither target nor initiator -----
    def create_export(self, context, volume, connector):
        pass

    def ensure_export(self, context, volume):
        pass

    def remove_export(self, context, volume):
        pass

    def initialize_connection(self, volume, connector):
        # "gpfs" is the connection type of a volume that is a plain file on the host: Nova's
        # libvirt driver gives it to QEMU as a file (for "local" it expects a block device), and
        # os-brick attaches it as a local path, as for "local".
        return {
            "driver_volume_type": "gpfs",
            "data": {"device_path": self._path(volume.name)},
        }

    def terminate_connection(self, volume, connector, **kwargs):
        pass

    def get_pool(self, volume):
        return self.backend_name

    def backup_use_temp_snapshot(self):
        return False
