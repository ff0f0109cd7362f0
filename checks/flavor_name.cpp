#include "checks/flavor_name.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <set>
#include <span>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

namespace scs::checks {

std::string_view plural(long long count, std::string_view one, std::string_view many) {
  return count == 1 ? one : many;
}

namespace {

// Thrown inside the parser only; parse_flavor_name() turns it into ParseResult::error.
class ParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// v1 and v3 differ only in their delimiters (scs-0100 v3, "Previous standard versions").
struct Delimiters {
  char part;       // between CPU and RAM, before the disk, inside the GPU extension
  char extension;  // before each extension
};
constexpr Delimiters kV3{'-', '_'};
constexpr Delimiters kV1{':', '-'};

constexpr std::string_view kPrefix = "SCS-";

// Every number in a name must fit an int; anything longer is an absurd name, not an overflow.
constexpr long long kMaxNumber = std::numeric_limits<int>::max();

struct Generation {
  std::string_view code;
  std::string_view name;
};

// scs-0100 v3, "GPU support", as far as the standard gives values.
constexpr std::array kNvidiaGenerations = {
    Generation{"f", "Fermi"},     Generation{"k", "Kepler"},          Generation{"m", "Maxwell"},
    Generation{"p", "Pascal"},    Generation{"v", "Volta"},           Generation{"t", "Turing"},
    Generation{"a", "Ampere"},    Generation{"l", "Ada Lovelace"},    Generation{"g", "Grace Hopper"},
    Generation{"b", "Blackwell"}, Generation{"u", "Blackwell Ultra"},
};
constexpr std::array kAmdGenerations = {
    Generation{"0.4", "GCN-4"},  Generation{"0.5", "GCN-5"},  Generation{"1", "CDNA-1"},
    Generation{"1.1", "RDNA-1"}, Generation{"2", "CDNA-2"},   Generation{"2.1", "RDNA-2"},
    Generation{"3", "CDNA-3"},   Generation{"3.1", "RDNA-3"}, Generation{"3.5", "RDNA-3.5"},
    Generation{"4", "CDNA-4"},   Generation{"4.1", "RDNA-4"}, Generation{"5.1", "RDNA-5"},
};
constexpr std::array kIntelGpuGenerations = {
    Generation{"0.9", "Gen9"},    Generation{"0.95", "Gen9.5"},       Generation{"1", "Xe (12.1, DG1)"},
    Generation{"2", "Xe (12.2)"}, Generation{"3", "Arc (12.7, DG2)"}, Generation{"4", "Battlemage (20.0)"},
};

std::span<const Generation> gpu_generations(GpuBrand brand) {
  switch (brand) {
    case GpuBrand::nvidia:
      return kNvidiaGenerations;
    case GpuBrand::amd:
      return kAmdGenerations;
    case GpuBrand::intel:
      return kIntelGpuGenerations;
  }
  return {};
}

// scs-0100 v3, "Generation and Vendor"; index = generation number.
constexpr std::array<std::string_view, 7> kIntelCpuGenerations = {"pre-Skylake",
                                                                  "Skylake",
                                                                  "Cascade Lake",
                                                                  "Ice Lake",
                                                                  "Sapphire Rapids",
                                                                  "Sierra Forest (E-cores)",
                                                                  "Granite Rapids (P-cores)"};
constexpr std::array<std::string_view, 7> kAmdCpuGenerations = {
    "pre-Zen",       "Zen-1 (Naples)", "Zen-2 (Rome)",  "Zen-3 (Milan)",
    "Zen-4 (Genoa)", "Zen-5 (Turin)",  "Zen-6 (Venice)"};
constexpr std::array<std::string_view, 6> kArmCpuGenerations = {
    "pre-Cortex-A76",      "A76/NeoN1 class",
    "A78/X1/NeoV1 class",  "A71x/NeoN2/V2 class (ARMv9)",
    "AmpereOne (ARMv8.6)", "A72x/NeoN3/V3 class (ARMv9.2)"};
// RISC-V generations are "TBD" in the standard: only 0 (unspecified) exists.
constexpr std::array<std::string_view, 1> kRiscvCpuGenerations = {"unspecified generation"};

std::span<const std::string_view> cpu_generations(CpuVendor vendor) {
  switch (vendor) {
    case CpuVendor::intel:
      return kIntelCpuGenerations;
    case CpuVendor::amd:
      return kAmdCpuGenerations;
    case CpuVendor::arm:
      return kArmCpuGenerations;
    case CpuVendor::riscv:
      return kRiscvCpuGenerations;
  }
  return {};
}

constexpr std::array kHypervisors = {Hypervisor::kvm, Hypervisor::xen, Hypervisor::vmw,
                                     Hypervisor::hyv, Hypervisor::bms, Hypervisor::chy};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A character for an error message; bytes that would garble a terminal are escaped.
std::string show(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", byte);
}

// A number for an error message: a 400-digit number is shown by its length.
std::string show_number(std::string_view digits) {
  if (digits.size() <= 20) return std::string(digits);
  return fmt::format("{}... ({} digits)", digits.substr(0, 12), digits.size());
}

int to_int(std::string_view digits, std::string_view what) {
  long long value = 0;
  for (const char c : digits) {
    value = value * 10 + (c - '0');
    if (value > kMaxNumber) throw ParseError(fmt::format("{} {} is too large", what, show_number(digits)));
  }
  return static_cast<int>(value);
}

int to_positive_int(std::string_view digits, std::string_view what) {
  const int value = to_int(digits, what);
  if (value == 0) throw ParseError(fmt::format("{} must be more than 0", what));
  return value;
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  [[nodiscard]] std::string_view rest() const { return text_.substr(std::min(pos_, text_.size())); }

  bool take(char c) {
    if (at_end() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  template <typename Predicate>
  std::string_view take_while(Predicate predicate) {
    const std::size_t start = pos_;
    while (!at_end() && predicate(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  std::string_view take_digits() { return take_while(is_digit); }
  std::size_t count(char c) {
    return take_while([c](char x) { return x == c; }).size();
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

[[noreturn]] void extra_characters(std::string_view rest, std::string_view hint = {}) {
  if (hint.empty()) throw ParseError(fmt::format("Extra characters: {}", rest));
  throw ParseError(fmt::format("Extra characters: {} ({})", rest, hint));
}

std::optional<CpuType> cpu_type_from_letter(char c) {
  switch (c) {
    case 'L':
      return CpuType::crowded_core;
    case 'V':
      return CpuType::shared_core;
    case 'T':
      return CpuType::dedicated_thread;
    case 'C':
      return CpuType::dedicated_core;
    default:
      return std::nullopt;
  }
}

std::optional<DiskType> disk_type_from_letter(char c) {
  switch (c) {
    case 'n':
      return DiskType::network;
    case 'h':
      return DiskType::hdd;
    case 's':
      return DiskType::ssd;
    case 'p':
      return DiskType::nvme;
    default:
      return std::nullopt;
  }
}

// RAM in half GiB: "4" → 8, "3.5" → 7; "4.0", "4." and ".5" are numbers too.
long long parse_ram(std::string_view text) {
  const auto dot = text.find('.');
  if (text == "." || (dot != std::string_view::npos && text.find('.', dot + 1) != std::string_view::npos)) {
    throw ParseError(fmt::format("RAM {} is not a number", show_number(text)));
  }
  const auto whole = text.substr(0, dot);
  auto fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  if (!fraction.empty() && fraction != "5") {
    throw ParseError(fmt::format("RAM must be a multiple of 0.5 GiB, not {}", show_number(text)));
  }
  const long long half_gib = 2LL * to_int(whole, "RAM") + (fraction.empty() ? 0 : 1);
  if (half_gib == 0) throw ParseError("RAM must be more than 0");
  return half_gib;
}

void parse_cpu_ram(Cursor& in, const Delimiters& delimiters, FlavorName& out) {
  const auto cpus = in.take_digits();
  if (cpus.empty()) {
    throw ParseError(in.at_end()
                         ? "Failed to parse main part: the number of vCPUs is missing"
                         : fmt::format("Failed to parse main part: expected the number of vCPUs, found {}",
                                       show(in.peek())));
  }
  out.cpus = to_positive_int(cpus, "the number of vCPUs");

  const auto type = cpu_type_from_letter(in.peek());
  if (!type) {
    if (in.peek() == 'i' && cpu_type_from_letter(in.peek(1))) {
      throw ParseError(
          fmt::format("the insecure flag i must follow the CPU type: write {}{}i", cpus, in.peek(1)));
    }
    throw ParseError(in.at_end() ? fmt::format("the CPU type (L, V, T or C) is missing after {}", cpus)
                                 : fmt::format("the CPU type must be L, V, T or C, not {}", show(in.peek())));
  }
  in.take(in.peek());
  out.cpu_type = *type;
  out.insecure = in.take('i');

  if (!in.take(delimiters.part)) {
    if (in.at_end()) throw ParseError("the RAM part is missing");
    throw ParseError(fmt::format("expected '{}' before the RAM, found {}", delimiters.part, show(in.peek())));
  }
  const auto ram = in.take_while([](char c) { return is_digit(c) || c == '.'; });
  if (ram.empty()) {
    throw ParseError(in.at_end() ? "the RAM size is missing"
                                 : fmt::format("expected the RAM size in GiB, found {}", show(in.peek())));
  }
  out.ram_half_gib = parse_ram(ram);
  out.ram_no_ecc = in.take('u');
  out.ram_oversubscribed = in.take('o');
  if (out.ram_oversubscribed && in.peek() == 'u')
    extra_characters(in.rest(), "the RAM flag u must come before o");
}

void parse_disk(Cursor& in, FlavorName& out) {
  Disk disk;
  auto size = in.take_digits();
  if (in.take('x')) {
    if (size.empty()) throw ParseError("the disk count is missing before 'x'");
    disk.count = to_positive_int(size, "the disk count");
    size = in.take_digits();
    // "[Mx]N": the count multiplies a size; the cloud cannot pick the size of several disks.
    if (size.empty())
      throw ParseError(fmt::format("the disk count {}x needs a disk size after it", disk.count));
  }
  if (!size.empty()) {
    if (in.peek() == '.' && is_digit(in.peek(1))) {
      throw ParseError(
          fmt::format("the disk size must be a whole number of GB, not {}.{}", size, in.peek(1)));
    }
    disk.size_gb = to_positive_int(size, "the disk size");
  }
  if (const auto type = disk_type_from_letter(in.peek())) {
    in.take(in.peek());
    disk.type = *type;
  }
  out.disk = disk;
}

enum class ExtensionKind { hypervisor, hwvirt, cpu, gpu, ib };

std::string_view kind_name(ExtensionKind kind) {
  switch (kind) {
    case ExtensionKind::hypervisor:
      return "the hypervisor";
    case ExtensionKind::hwvirt:
      return "hwv";
    case ExtensionKind::cpu:
      return "the CPU";
    case ExtensionKind::gpu:
      return "the GPU";
    case ExtensionKind::ib:
      return "ib";
  }
  return "?";
}

std::optional<Hypervisor> hypervisor_from_code(std::string_view token) {
  for (const auto hypervisor : kHypervisors) {
    if (code(hypervisor) == token) return hypervisor;
  }
  return std::nullopt;
}

std::optional<CpuVendor> cpu_vendor_from_letter(char c) {
  switch (c) {
    case 'i':
      return CpuVendor::intel;
    case 'z':
      return CpuVendor::amd;
    case 'a':
      return CpuVendor::arm;
    case 'r':
      return CpuVendor::riscv;
    default:
      return std::nullopt;
  }
}

std::optional<ExtensionKind> classify(std::string_view token) {
  if (hypervisor_from_code(token)) return ExtensionKind::hypervisor;
  if (token == "hwv") return ExtensionKind::hwvirt;
  if (token == "ib") return ExtensionKind::ib;
  if (!token.empty() && cpu_vendor_from_letter(token.front())) return ExtensionKind::cpu;
  if (!token.empty() && (token.front() == 'g' || token.front() == 'G')) return ExtensionKind::gpu;
  return std::nullopt;
}

CpuBrand parse_cpu(std::string_view token, std::string_view rest) {
  Cursor in(token);
  CpuBrand brand;
  brand.vendor = *cpu_vendor_from_letter(in.peek());
  in.take(in.peek());
  if (const auto digits = in.take_digits(); !digits.empty()) {
    const int generation = to_int(digits, "the CPU generation");
    const auto known = cpu_generations(brand.vendor);
    if (static_cast<std::size_t>(generation) >= known.size()) {
      throw ParseError(fmt::format("CPU generation {}{} is not defined (generations of {}: 0 to {})",
                                   letter(brand.vendor), show_number(digits), letter(brand.vendor),
                                   known.size() - 1));
    }
    brand.generation = generation;
  }
  const auto performance = in.count('h');
  if (performance > 3) throw ParseError("the CPU frequency flag is h, hh or hhh, not more");
  brand.performance = static_cast<int>(performance);
  if (!in.at_end()) extra_characters(rest, "malformed CPU extension");
  return brand;
}

Gpu parse_gpu(std::string_view token, std::string_view rest, const Delimiters& delimiters) {
  Cursor in(token);
  Gpu gpu;
  // classify() guarantees the first character is 'g' or 'G'.
  gpu.type = in.take('G') ? GpuType::passthrough : GpuType::virtual_gpu;
  in.take('g');
  if (in.take('N')) {
    gpu.brand = GpuBrand::nvidia;
  } else if (in.take('A')) {
    gpu.brand = GpuBrand::amd;
  } else if (in.take('I')) {
    gpu.brand = GpuBrand::intel;
  } else {
    throw ParseError(in.at_end() ? "the GPU vendor (N, A or I) is missing"
                                 : fmt::format("the GPU vendor must be N, A or I, not {}", show(in.peek())));
  }
  gpu.generation = in.take_while([&](char c) { return c != delimiters.part && c != 'h'; });
  if (!gpu.generation.empty()) {
    const auto known = gpu_generations(gpu.brand);
    if (std::none_of(known.begin(), known.end(),
                     [&](const Generation& g) { return g.code == gpu.generation; })) {
      std::string codes;
      for (const auto& g : known) codes += fmt::format("{}{}", codes.empty() ? "" : ", ", g.code);
      throw ParseError(fmt::format("GPU generation {} is not defined for {} (known: {})",
                                   show_number(gpu.generation), letter(gpu.brand), codes));
    }
  }
  if (in.peek() == 'h') {
    throw ParseError(
        fmt::format("the GPU flag h needs the number of compute units before it ({}64h)", delimiters.part));
  }
  if (in.take(delimiters.part)) {
    // "[N[-M[h][-V[h]]]]": units are only comparable within one generation, so they need one.
    if (gpu.generation.empty()) throw ParseError("the GPU compute units need a GPU generation before them");
    const auto units = in.take_digits();
    if (units.empty()) throw ParseError("the number of GPU compute units is missing");
    gpu.units = to_positive_int(units, "the number of GPU compute units");
    const auto performance = in.count('h');
    if (performance > 2) throw ParseError("the GPU frequency flag is h or hh, not more");
    gpu.units_performance = static_cast<int>(performance);
    if (in.take(delimiters.part)) {
      const auto vram = in.take_digits();
      if (vram.empty()) throw ParseError("the GPU VRAM size is missing");
      gpu.vram_gib = to_positive_int(vram, "the GPU VRAM size");
      const auto bandwidth = in.count('h');
      if (bandwidth > 1) throw ParseError("the high-bandwidth VRAM flag is a single h");
      gpu.high_bandwidth_vram = bandwidth == 1;
    }
  }
  if (!in.at_end()) extra_characters(rest, "malformed GPU extension");
  return gpu;
}

void parse_extensions(Cursor& in, const Delimiters& delimiters, FlavorName& out) {
  std::optional<ExtensionKind> previous;
  std::string previous_token;
  while (!in.at_end()) {
    const auto rest = in.rest();
    if (!in.take(delimiters.extension)) {
      const char other = delimiters.extension == '_' ? '-' : '_';
      extra_characters(rest, rest.front() == other
                                 ? fmt::format("extensions start with '{}'", delimiters.extension)
                                 : std::string{});
    }
    const auto token = in.take_while([&](char c) { return c != delimiters.extension; });
    const auto kind = classify(token);
    if (!kind) {
      if (token.empty()) extra_characters(rest, "empty extension");
      if (is_digit(token.front())) {
        extra_characters(rest, "a CPU generation needs the vendor letter i, z, a or r before it");
      }
      extra_characters(rest, "not an extension of scs-0100");
    }
    if (previous && *kind == *previous) {
      extra_characters(rest, fmt::format("{} extension appears twice", kind_name(*kind)));
    }
    if (previous && *kind < *previous) {
      extra_characters(rest, fmt::format("{} extension must come before {}{}", kind_name(*kind),
                                         delimiters.extension, previous_token));
    }
    switch (*kind) {
      case ExtensionKind::hypervisor:
        out.hypervisor = hypervisor_from_code(token);
        break;
      case ExtensionKind::hwvirt:
        out.hwvirt = true;
        break;
      case ExtensionKind::cpu:
        out.cpu_brand = parse_cpu(token, rest);
        break;
      case ExtensionKind::gpu:
        out.gpu = parse_gpu(token, rest, delimiters);
        break;
      case ExtensionKind::ib:
        out.ib = true;
        break;
    }
    previous = kind;
    previous_token = token;
  }
}

FlavorName parse_with(std::string_view text, const Delimiters& delimiters) {
  Cursor in(text.substr(kPrefix.size()));
  FlavorName name;
  parse_cpu_ram(in, delimiters, name);
  if (in.take(delimiters.part)) parse_disk(in, name);
  parse_extensions(in, delimiters, name);
  return name;
}

std::string format_ram(long long half_gib) {
  return half_gib % 2 == 0 ? fmt::format("{}", half_gib / 2) : fmt::format("{}.5", half_gib / 2);
}

std::string_view disk_words(DiskType type) {
  switch (type) {
    case DiskType::network:
      return "network";
    case DiskType::hdd:
      return "local HDD";
    case DiskType::ssd:
      return "local SSD";
    case DiskType::nvme:
      return "local NVMe";
    case DiskType::unspecified:
      break;
  }
  return "";
}

std::string describe_cpus(const FlavorName& name) {
  std::string text =
      fmt::format("{} {} {}", name.cpus, extra_spec_value(name.cpu_type), plural(name.cpus, "vCPU", "vCPUs"));
  if (name.cpu_type == CpuType::crowded_core) text += " (heavily oversubscribed)";
  if (name.insecure) text += " (insecure: CPU vulnerabilities not fully mitigated)";
  return text;
}

std::string describe_ram(const FlavorName& name) {
  std::string text = fmt::format("{} GiB RAM", format_ram(name.ram_half_gib));
  if (name.ram_no_ecc && name.ram_oversubscribed) return text + " (no ECC, oversubscribed)";
  if (name.ram_no_ecc) return text + " (no ECC)";
  if (name.ram_oversubscribed) return text + " (oversubscribed)";
  return text;
}

std::string describe_disk(const std::optional<Disk>& disk) {
  if (!disk) return "no disk (boot from a volume)";
  const auto type = disk_words(disk->type);
  if (!disk->size_gb) {
    if (type.empty()) return "a disk of a size and type the cloud chooses";
    return fmt::format("a {} disk of a size the cloud chooses", type);
  }
  const auto size = disk->count == 1 ? fmt::format("{} GB", *disk->size_gb)
                                     : fmt::format("{}x {} GB", disk->count, *disk->size_gb);
  const auto noun = plural(disk->count, "disk", "disks");
  if (type.empty()) return fmt::format("{} {} of a type the cloud chooses", size, noun);
  return fmt::format("{} {} {}", size, type, noun);
}

std::string_view describe_hypervisor(Hypervisor hypervisor) {
  switch (hypervisor) {
    case Hypervisor::kvm:
      return "KVM hypervisor";
    case Hypervisor::xen:
      return "Xen hypervisor";
    case Hypervisor::vmw:
      return "VMware hypervisor";
    case Hypervisor::hyv:
      return "Hyper-V hypervisor";
    case Hypervisor::bms:
      return "bare metal (no hypervisor)";
    case Hypervisor::chy:
      return "Cloud Hypervisor";
  }
  return "";
}

std::string describe_cpu_brand(const CpuBrand& brand) {
  static constexpr std::array<std::string_view, 4> kVendors = {"Intel x86-64", "AMD x86-64", "ARM AArch64",
                                                               "RISC-V"};
  static constexpr std::array<std::string_view, 4> kFrequencies = {"", ">2.75 GHz", ">3.25 GHz", ">3.75 GHz"};
  std::string text(kVendors.at(static_cast<std::size_t>(brand.vendor)));
  if (brand.generation) {
    text += fmt::format(" {}", cpu_generations(brand.vendor)[static_cast<std::size_t>(*brand.generation)]);
    if (*brand.generation == 0 && brand.vendor != CpuVendor::riscv) text += " or unspecified generation";
  }
  text += " CPU";
  if (brand.performance > 0) {
    text += fmt::format(" at {} all-core", kFrequencies.at(static_cast<std::size_t>(brand.performance)));
  }
  return text;
}

std::string describe_gpu(const Gpu& gpu) {
  static constexpr std::array<std::string_view, 3> kBrands = {"nVidia", "AMD", "Intel"};
  static constexpr std::array<std::string_view, 3> kUnits = {"SMs", "CUs", "EUs"};
  const auto brand = static_cast<std::size_t>(gpu.brand);
  std::string text =
      fmt::format("{} {}", gpu.type == GpuType::passthrough ? "pass-through" : "virtual", kBrands.at(brand));
  for (const auto& generation : gpu_generations(gpu.brand)) {
    if (generation.code == gpu.generation) text += fmt::format(" {}", generation.name);
  }
  text += " GPU";
  if (gpu.units) {
    const std::string_view frequency = gpu.units_performance == 0   ? ""
                                       : gpu.units_performance == 1 ? "high-frequency "
                                                                    : "very high-frequency ";
    text += fmt::format(" with {} {}{}", *gpu.units, frequency, kUnits.at(brand));
  }
  if (gpu.vram_gib) {
    text +=
        fmt::format(" and {} GiB {}VRAM", *gpu.vram_gib, gpu.high_bandwidth_vram ? "high-bandwidth " : "");
  }
  return text;
}

std::string replace_all(std::string text, char from, char to) {
  std::replace(text.begin(), text.end(), from, to);
  return text;
}

}  // namespace

bool is_scs_name(std::string_view text) { return text.starts_with(kPrefix); }

ParseResult parse_flavor_name(std::string_view text) {
  if (!is_scs_name(text))
    return {NameStatus::invalid, std::nullopt, "not an SCS flavor name (no SCS- prefix)"};
  std::string v3_error;
  try {
    return {NameStatus::valid, parse_with(text, kV3), {}};
  } catch (const ParseError& error) {
    v3_error = error.what();
  }
  try {
    return {NameStatus::tolerated_v1, parse_with(text, kV1), {}};
  } catch (const ParseError& error) {
    // A name whose first delimiter is ':' was meant as v1: its v1 reading explains the problem
    // better than the v3 one ("expected '-' before the RAM").
    const auto delimiter = text.find_first_of("-:", kPrefix.size());
    if (delimiter != std::string_view::npos && text[delimiter] == ':') {
      return {NameStatus::invalid, std::nullopt, fmt::format("{} (read as a v1 name)", error.what())};
    }
  }
  return {NameStatus::invalid, std::nullopt, v3_error};
}

std::string canonical_name(const FlavorName& name) {
  std::string text = fmt::format("{}{}{}{}-{}{}{}", kPrefix, name.cpus, letter(name.cpu_type),
                                 name.insecure ? "i" : "", format_ram(name.ram_half_gib),
                                 name.ram_no_ecc ? "u" : "", name.ram_oversubscribed ? "o" : "");
  if (name.disk) {
    text += '-';
    if (name.disk->count != 1) text += fmt::format("{}x", name.disk->count);
    if (name.disk->size_gb) text += fmt::format("{}", *name.disk->size_gb);
    if (name.disk->type != DiskType::unspecified) text += letter(name.disk->type);
  }
  if (name.hypervisor) text += fmt::format("_{}", code(*name.hypervisor));
  if (name.hwvirt) text += "_hwv";
  if (name.cpu_brand) {
    const auto& brand = *name.cpu_brand;
    text += fmt::format("_{}", letter(brand.vendor));
    // The standard: 0 means "old or unspecified", and the tooling leaves it out.
    if (brand.generation.value_or(0) != 0) text += fmt::format("{}", *brand.generation);
    text += std::string(static_cast<std::size_t>(brand.performance), 'h');
  }
  if (name.gpu) {
    const auto& gpu = *name.gpu;
    text += fmt::format("_{}{}{}", letter(gpu.type), letter(gpu.brand), gpu.generation);
    if (gpu.units) {
      text +=
          fmt::format("-{}{}", *gpu.units, std::string(static_cast<std::size_t>(gpu.units_performance), 'h'));
    }
    if (gpu.vram_gib) text += fmt::format("-{}{}", *gpu.vram_gib, gpu.high_bandwidth_vram ? "h" : "");
  }
  if (name.ib) text += "_ib";
  return text;
}

std::string v3_to_v1_spelling(std::string_view v3) {
  auto text = replace_all(replace_all(std::string(v3), '-', ':'), '_', '-');
  if (text.starts_with("SCS:")) text[3] = '-';
  return text;
}

std::string v1_to_v3_spelling(std::string_view v1) {
  auto text = replace_all(replace_all(std::string(v1), '-', '_'), ':', '-');
  if (text.starts_with("SCS_")) text[3] = '-';
  return text;
}

std::string v1_name(const FlavorName& name) { return v3_to_v1_spelling(canonical_name(name)); }

FlavorName shorten(const FlavorName& name) {
  FlavorName short_form = name;
  short_form.hypervisor.reset();
  short_form.hwvirt = false;
  // The vendor of an ARM or RISC-V CPU stays: it is the architecture, which images depend on.
  if (name.cpu_brand &&
      (name.cpu_brand->vendor == CpuVendor::intel || name.cpu_brand->vendor == CpuVendor::amd)) {
    short_form.cpu_brand.reset();
  } else if (name.cpu_brand) {
    short_form.cpu_brand = CpuBrand{name.cpu_brand->vendor, std::nullopt, 0};
  }
  if (short_form.gpu) {
    short_form.gpu->units_performance = 0;
    short_form.gpu->high_bandwidth_vram = false;
  }
  return short_form;
}

std::string short_name(const FlavorName& name) { return canonical_name(shorten(name)); }

std::vector<std::string> name_variants(const FlavorName& name) {
  const auto full = canonical_name(name);
  const auto brief = short_name(name);
  // (length, syntax version, name): sorting by -length, then v1 before v2.
  std::set<std::tuple<long long, int, std::string>> ordered;
  for (const auto& v2 : {full, brief}) {
    ordered.emplace(-static_cast<long long>(v2.size()), 1, v3_to_v1_spelling(v2));
    ordered.emplace(-static_cast<long long>(v2.size()), 2, v2);
  }
  std::vector<std::string> variants;
  for (const auto& entry : ordered) variants.push_back(std::get<2>(entry));
  return variants;
}

std::string describe(const FlavorName& name) {
  std::vector<std::string> parts = {describe_cpus(name), describe_ram(name), describe_disk(name.disk)};
  if (name.hypervisor) parts.emplace_back(describe_hypervisor(*name.hypervisor));
  if (name.hwvirt) parts.emplace_back("hardware-assisted (nested) virtualization");
  if (name.cpu_brand) parts.push_back(describe_cpu_brand(*name.cpu_brand));
  if (name.gpu) parts.push_back(describe_gpu(*name.gpu));
  if (name.ib) parts.emplace_back("InfiniBand");
  std::string text;
  for (const auto& part : parts) text += fmt::format("{}{}", text.empty() ? "" : ", ", part);
  return text;
}

char letter(CpuType type) {
  static constexpr std::array kLetters = {'L', 'V', 'T', 'C'};
  return kLetters.at(static_cast<std::size_t>(type));
}

char letter(DiskType type) {
  static constexpr std::array kLetters = {'\0', 'n', 'h', 's', 'p'};
  return kLetters.at(static_cast<std::size_t>(type));
}

char letter(CpuVendor vendor) {
  static constexpr std::array kLetters = {'i', 'z', 'a', 'r'};
  return kLetters.at(static_cast<std::size_t>(vendor));
}

char letter(GpuType type) { return type == GpuType::passthrough ? 'G' : 'g'; }

char letter(GpuBrand brand) {
  static constexpr std::array kLetters = {'N', 'A', 'I'};
  return kLetters.at(static_cast<std::size_t>(brand));
}

std::string_view code(Hypervisor hypervisor) {
  static constexpr std::array<std::string_view, 6> kCodes = {"kvm", "xen", "vmw", "hyv", "bms", "chy"};
  return kCodes.at(static_cast<std::size_t>(hypervisor));
}

std::string_view extra_spec_value(CpuType type) {
  static constexpr std::array<std::string_view, 4> kValues = {"crowded-core", "shared-core",
                                                              "dedicated-thread", "dedicated-core"};
  return kValues.at(static_cast<std::size_t>(type));
}

std::string_view extra_spec_value(DiskType type) {
  static constexpr std::array<std::string_view, 5> kValues = {"", "network", "hdd", "ssd", "nvme"};
  return kValues.at(static_cast<std::size_t>(type));
}

std::optional<CpuType> cpu_type_from_extra_spec(std::string_view value) {
  for (const auto type :
       {CpuType::crowded_core, CpuType::shared_core, CpuType::dedicated_thread, CpuType::dedicated_core}) {
    if (extra_spec_value(type) == value) return type;
  }
  return std::nullopt;
}

std::optional<DiskType> disk_type_from_extra_spec(std::string_view value) {
  for (const auto type : {DiskType::network, DiskType::hdd, DiskType::ssd, DiskType::nvme}) {
    if (extra_spec_value(type) == value) return type;
  }
  return std::nullopt;
}

bool keeps_promise(CpuType actual, CpuType promised) {
  // The enumerators are ordered from the weakest to the strongest guarantee.
  return static_cast<int>(actual) >= static_cast<int>(promised);
}

bool keeps_promise(DiskType actual, DiskType promised) {
  if (promised == DiskType::unspecified || actual == promised) return true;
  if (actual == DiskType::network || promised == DiskType::network || actual == DiskType::unspecified)
    return false;
  // Local disks, ordered hdd < ssd < nvme.
  return static_cast<int>(actual) >= static_cast<int>(promised);
}

}  // namespace scs::checks
