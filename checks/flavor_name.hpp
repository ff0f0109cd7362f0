#pragma once

// The SCS flavor name (scs-0100 v3, https://docs.scs.community/standards/scs-0100-v3-flavor-naming):
// a typed model, a parser, and the spellings and descriptions derived from a parsed name.
//
// Grammar (v3 delimiters; v1 uses ':' where v3 has '-', and '-' where v3 has '_'):
//
//   name  = "SCS-" cpus cputype ["i"] "-" ram ["u"] ["o"] [disk] {"_" extension}
//   disk  = "-" [[count "x"] size] [disktype]       ; "-" alone: the cloud picks size and type
//   extension, in this order, each at most once:
//           hypervisor ("kvm" | "xen" | "vmw" | "hyv" | "bms" | "chy"), "hwv",
//           cpu (vendor [generation] ["h" | "hh" | "hhh"]),
//           gpu (("g" | "G") brand [gen ["-" units ["h" | "hh"] ["-" vram ["h"]]]]), "ib"
//
// Where the official test suite (SovereignCloudStack/standards, Tests/iaas/scs_0100_flavor_naming)
// accepts or rejects differently, this parser follows the standard text:
//   - "SCS-2V-4_GNa_ib" is valid here: the reference reads the GPU generation greedily up to the
//     next '-' or 'h' and so swallows "_ib".
//   - A disk count needs a size ("[Mx]N" in the standard's table): "-3x", "-3xs" and "-x10" are
//     rejected (the reference accepts them; only the deprecated v1 text showed "3x" examples).
//   - GPU details nest as the standard's format "[N[-M[h][-V[h]]]]" says: compute units need a
//     generation, VRAM needs compute units, an 'h' needs the number before it ("_GNah-8" is
//     rejected), and high-bandwidth VRAM is a single 'h'.
//   - v1 names are read with the v3 vocabulary (e.g. the hypervisor "chy", which v1 lacks): the
//     standard tolerates them because they map 1:1 to v3 names.
// Both agree that numbers may carry leading zeros and RAM may be written "4.0", "4." or ".5":
// such names are valid but not canonical (see canonical_name()). Both accept only "r" and "r0"
// for RISC-V, whose generations the standard leaves "TBD".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scs::checks {

enum class CpuType { crowded_core, shared_core, dedicated_thread, dedicated_core };  // L V T C
enum class DiskType { unspecified, network, hdd, ssd, nvme };                        // - n h s p
enum class Hypervisor { kvm, xen, vmw, hyv, bms, chy };
enum class CpuVendor { intel, amd, arm, riscv };  // i z a r
enum class GpuType { virtual_gpu, passthrough };  // g G
enum class GpuBrand { nvidia, amd, intel };       // N A I

struct Disk {
  int count = 1;               // "3x" → 3
  std::optional<int> size_gb;  // absent: the cloud decides ("-", "-n")
  DiskType type = DiskType::unspecified;
  bool operator==(const Disk&) const = default;
};

struct CpuBrand {
  CpuVendor vendor = CpuVendor::intel;
  std::optional<int> generation;  // absent when the name has none; 0 = "old or unspecified"
  int performance = 0;            // number of 'h': 0..3
  bool operator==(const CpuBrand&) const = default;
};

struct Gpu {
  GpuType type = GpuType::virtual_gpu;
  GpuBrand brand = GpuBrand::nvidia;
  std::string generation;     // as written: "a", "3.1", "" (unspecified)
  std::optional<int> units;   // SMs / CUs / EUs
  int units_performance = 0;  // number of 'h' after the units: 0..2
  std::optional<int> vram_gib;
  bool high_bandwidth_vram = false;
  bool operator==(const Gpu&) const = default;
};

struct FlavorName {
  int cpus = 0;
  CpuType cpu_type = CpuType::shared_core;
  bool insecure = false;            // "i"
  long long ram_half_gib = 0;       // RAM in units of 0.5 GiB, so 3.5 GiB is exact (7)
  bool ram_no_ecc = false;          // "u"
  bool ram_oversubscribed = false;  // "o"
  std::optional<Disk> disk;         // absent: no "-" disk part (boot from volume)
  std::optional<Hypervisor> hypervisor;
  bool hwvirt = false;
  std::optional<CpuBrand> cpu_brand;
  std::optional<Gpu> gpu;
  bool ib = false;

  [[nodiscard]] double ram_gib() const { return static_cast<double>(ram_half_gib) / 2.0; }
  [[nodiscard]] long long ram_mib() const { return ram_half_gib * 512; }
  bool operator==(const FlavorName&) const = default;
};

enum class NameStatus {
  valid,         // scs-0100 v3 (= v2) syntax
  tolerated_v1,  // v1 delimiters; scs-0100 v3 tolerates these "with a warning"
  invalid,       // not an SCS name at all, or an SCS name that breaks the syntax
};

struct ParseResult {
  NameStatus status = NameStatus::invalid;
  std::optional<FlavorName> name;  // set unless invalid
  std::string error;               // why invalid, e.g. "RAM must be a multiple of 0.5 (4.25)"

  [[nodiscard]] bool valid() const { return status == NameStatus::valid; }
  [[nodiscard]] bool tolerated_v1() const { return status == NameStatus::tolerated_v1; }
};

/// True when `text` claims to be an SCS flavor name (starts with "SCS-", case-sensitive).
[[nodiscard]] bool is_scs_name(std::string_view text);

/// Parses `text` as a v3 name, then as a tolerated v1 name. Never throws for any input; numbers
/// too large for the model are reported as errors.
[[nodiscard]] ParseResult parse_flavor_name(std::string_view text);

/// The v2/v3 spelling with every optional number written the shortest way: "SCS-2V-4-20s".
/// Leading zeros, "4.0" RAM, "1x" disk counts and CPU generation 0 are dropped.
[[nodiscard]] std::string canonical_name(const FlavorName& name);

/// The v1 spelling of the canonical name: "SCS-2V:4:20s".
[[nodiscard]] std::string v1_name(const FlavorName& name);

/// The v1 spelling of a v2/v3 spelling and back, character by character as the standard's
/// sed lines do; the text is not validated.
[[nodiscard]] std::string v3_to_v1_spelling(std::string_view v3);
[[nodiscard]] std::string v1_to_v3_spelling(std::string_view v1);

/// The short form the standard asks providers to offer as well: keeps CPU/RAM, disk and IB,
/// drops hypervisor, "hwv" and an x86 CPU brand, keeps only the vendor of an ARM/RISC-V CPU
/// and drops the 'h' modifiers of a GPU (as the official tooling derives it).
[[nodiscard]] FlavorName shorten(const FlavorName& name);
[[nodiscard]] std::string short_name(const FlavorName& name);

/// Every spelling the official tooling lists as scs:name-vN for this flavor: v1 and v2 of the
/// full and the short name, distinct, longest first, v1 before v2 at equal length.
[[nodiscard]] std::vector<std::string> name_variants(const FlavorName& name);

/// What the name promises in words: "2 shared-core vCPUs, 4 GiB RAM, 20 GB local SSD disk".
[[nodiscard]] std::string describe(const FlavorName& name);

// The codes as they stand in a name, and the words scs-0103 uses in extra specs.
[[nodiscard]] char letter(CpuType type);
[[nodiscard]] char letter(DiskType type);  // '\0' for unspecified
[[nodiscard]] char letter(CpuVendor vendor);
[[nodiscard]] char letter(GpuType type);
[[nodiscard]] char letter(GpuBrand brand);
[[nodiscard]] std::string_view code(Hypervisor hypervisor);      // "kvm"
[[nodiscard]] std::string_view extra_spec_value(CpuType type);   // "shared-core"
[[nodiscard]] std::string_view extra_spec_value(DiskType type);  // "ssd"; "" for unspecified
[[nodiscard]] std::optional<CpuType> cpu_type_from_extra_spec(std::string_view value);
[[nodiscard]] std::optional<DiskType> disk_type_from_extra_spec(std::string_view value);

/// Whether a flavor whose CPUs are really `actual` keeps the promise `promised`. Names may
/// understate (scs-0100 "Naming policy compliance"): dedicated cores keep a shared-core promise.
[[nodiscard]] bool keeps_promise(CpuType actual, CpuType promised);
/// Same for disks: an unspecified type promises nothing; a local disk keeps the promise of a
/// slower local disk (scs-0100 lets "SCS-2V-4-20s" be implemented with NVMe); a network disk
/// and a local disk never stand in for each other (only network storage survives a node).
[[nodiscard]] bool keeps_promise(DiskType actual, DiskType promised);

/// `one` when `count` is 1, else `many`: for counts in messages.
std::string_view plural(long long count, std::string_view one, std::string_view many);

}  // namespace scs::checks
