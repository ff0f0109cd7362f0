#!/usr/bin/env python3
"""scs-0101's probe on a real guest: the user data the checks send, run by a real kernel under
QEMU (TCG), and the console parsed by the checks' own parser.

    real_guest_probe.py PROBE_TOOL [--guest DIR] [--save-consoles DIR]

The guest is the test cloud's (tests/cloud/guest/build-guest.sh: Debian 12's cloud kernel and a
busybox initramfs whose init runs the config drive's user data). Each case boots it with a
config drive made like Nova's (ISO 9660, label config-2, openstack/latest/user_data), waits for
the probe's end line on the serial console, and checks what the parser reads:

  virtio-rng   a virtio RNG, fed into the pool by the kernel (what scs-0101 asks for): the pool is
               full (entropy_avail 256)
  no-rng       no virtio RNG and a CPU model without RDRAND/RDSEED: shortly after boot the pool
               is far from full, which scs-0101-entropy-avail fails

--save-consoles keeps the console logs (tests/checks/fixtures/entropy/ holds such recordings
for the unit tests).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD_GUEST = os.path.join(HERE, "..", "cloud", "guest", "build-guest.sh")
SAMPLE_BYTES = 20 * 2500  # the spec's sample_blocks × one FIPS block
END = "scs-conformance-0101 end"

CASES = {
    "virtio-rng": {"cpu": "max", "rng": True, "append": "",
                   "expect": {"rng_current": "virtio_rng.0", "rng_available_has": "virtio_rng", "quality_fed": True}},
    "no-rng": {"cpu": "qemu64", "rng": False, "append": "",
               "expect": {"rng_current": "none", "rng_available_has": "", "quality_fed": None,
                          "pool_full": False}},
}
CASES["virtio-rng"]["expect"]["pool_full"] = True


def config_drive(directory, user_data):
    tree = os.path.join(directory, "drive")
    os.makedirs(os.path.join(tree, "openstack", "latest"))
    with open(os.path.join(tree, "openstack", "latest", "user_data"), "w") as handle:
        handle.write(user_data)
    with open(os.path.join(tree, "openstack", "latest", "meta_data.json"), "w") as handle:
        json.dump({"uuid": "00000000-0000-0000-0000-000000000101", "name": "scs-0101-probe"}, handle)
    iso = os.path.join(directory, "config.iso")
    subprocess.run(["genisoimage", "-quiet", "-o", iso, "-V", "config-2", "-r", "-J", tree], check=True)
    return iso


def boot(guest, case, iso, console, timeout=180):
    command = ["qemu-system-x86_64", "-machine", "accel=tcg", "-cpu", case["cpu"], "-m", "256",
               "-kernel", os.path.join(guest, "vmlinuz"), "-initrd", os.path.join(guest, "initrd.gz"),
               "-append", "console=ttyS0 quiet panic=-1" + case["append"],
               "-drive", f"file={iso},media=cdrom,if=ide,readonly=on",
               "-serial", f"file:{console}", "-monitor", "none", "-display", "none", "-no-reboot",
               "-nic", "none"]
    if case["rng"]:
        command += ["-device", "virtio-rng-pci"]
    started = time.monotonic()
    qemu = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while time.monotonic() - started < timeout:
            if qemu.poll() is not None:
                raise RuntimeError(f"qemu ended with {qemu.returncode}: {qemu.stderr.read().strip()}")
            if os.path.exists(console):
                with open(console, errors="replace") as handle:
                    if END in handle.read():
                        return time.monotonic() - started
            time.sleep(0.5)
        raise RuntimeError(f"no '{END}' on the console within {timeout} s")
    finally:
        qemu.kill()
        qemu.wait()


def judge(name, probe, expect):
    problems = []
    full = probe["entropy_avail"] == "256"
    if full != expect["pool_full"]:
        problems.append(f"entropy_avail {probe['entropy_avail']}, expected "
                        + ("256" if expect["pool_full"] else "less than 256"))
    if probe["rng_current"] != expect["rng_current"]:
        problems.append(f"rng_current '{probe['rng_current']}', expected '{expect['rng_current']}'")
    if expect["rng_available_has"] not in probe["rng_available"] or \
            (not expect["rng_available_has"] and probe["rng_available"]):
        problems.append(f"rng_available '{probe['rng_available']}'")
    if expect["quality_fed"] is True and probe["rng_quality"] in ("", "0"):
        problems.append(f"rng_quality '{probe['rng_quality']}': the kernel should feed the pool")
    if probe["random_bytes"] != SAMPLE_BYTES:
        problems.append(f"{probe['random_bytes']} bytes of /dev/random, expected {SAMPLE_BYTES}")
    if probe["fips_failed"] > 1:
        problems.append(f"{probe['fips_failed']} of {probe['fips_blocks']} FIPS blocks failed")
    if probe["problems"]:
        problems.append(f"the parser reports {probe['problems']}")
    return [f"{name}: {problem}" for problem in problems]


def main():
    args = sys.argv[1:]
    tool = os.path.abspath(args[0])
    options = dict(zip(args[1::2], args[2::2]))
    guest = options.get("--guest", "/var/cache/scs-conformance/guest")
    subprocess.run(["bash", BUILD_GUEST, guest], check=True)
    user_data = subprocess.run([tool, "user-data", str(SAMPLE_BYTES)], check=True, capture_output=True,
                               text=True).stdout
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        iso = config_drive(scratch, user_data)
        for name, case in CASES.items():
            console = os.path.join(scratch, name + ".console")
            try:
                seconds = boot(guest, case, iso, console)
            except RuntimeError as error:
                problems.append(f"{name}: {error}")
                continue
            parsed = subprocess.run([tool, "parse", console], capture_output=True, text=True)
            if parsed.returncode != 0:
                problems.append(f"{name}: {parsed.stderr.strip()}")
                continue
            probe = json.loads(parsed.stdout)
            print(f"{name}: probe complete {seconds:.1f} s after start; entropy_avail {probe['entropy_avail']}, "
                  f"rng_current {probe['rng_current']}, rng_quality '{probe['rng_quality']}', "
                  f"FIPS {probe['fips_failed']}/{probe['fips_blocks']} blocks failed")
            problems += judge(name, probe, case["expect"])
            if "--save-consoles" in options:
                os.makedirs(options["--save-consoles"], exist_ok=True)
                shutil.copy(console, os.path.join(options["--save-consoles"], f"real-guest-{name}.console"))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
