#include "cli/flavor_name_command.hpp"

#include <iostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "checks/flavor_name.hpp"
#include "core/errors.hpp"
#include "core/exit_codes.hpp"

namespace scs {

namespace {

using checks::FlavorName;
using Json = nlohmann::ordered_json;

// A code letter as a JSON string, or null when the name leaves it out.
Json letter_or_null(char code) { return code == '\0' ? Json(nullptr) : Json(std::string(1, code)); }

Json h_flags_or_null(int count) {
  return count == 0 ? Json(nullptr) : Json(std::string(static_cast<std::size_t>(count), 'h'));
}

template <typename T>
Json optional_json(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

void add_parsed_fields(const FlavorName& name, Json& json) {
  json["cpus"] = name.cpus;
  json["cpu_type"] = std::string(1, checks::letter(name.cpu_type));
  json["insecure"] = name.insecure;
  // Whole GiB as an integer, so "4" does not come out as 4.0.
  json["ram_gib"] = name.ram_half_gib % 2 == 0 ? Json(name.ram_half_gib / 2) : Json(name.ram_gib());
  json["ram_no_ecc"] = name.ram_no_ecc;
  json["ram_oversubscribed"] = name.ram_oversubscribed;
  json["disk"] = nullptr;
  if (name.disk) {
    json["disk"] = Json{{"count", name.disk->count},
                        {"size_gb", optional_json(name.disk->size_gb)},
                        {"type", letter_or_null(checks::letter(name.disk->type))}};
  }
  json["hypervisor"] = name.hypervisor ? Json(std::string(checks::code(*name.hypervisor))) : Json(nullptr);
  json["hwvirt"] = name.hwvirt;
  json["cpu_brand"] = nullptr;
  if (name.cpu_brand) {
    json["cpu_brand"] = Json{{"vendor", std::string(1, checks::letter(name.cpu_brand->vendor))},
                             {"gen", optional_json(name.cpu_brand->generation)},
                             {"perf", h_flags_or_null(name.cpu_brand->performance)}};
  }
  json["gpu"] = nullptr;
  if (name.gpu) {
    json["gpu"] = Json{{"type", std::string(1, checks::letter(name.gpu->type))},
                       {"brand", std::string(1, checks::letter(name.gpu->brand))},
                       {"gen", name.gpu->generation.empty() ? Json(nullptr) : Json(name.gpu->generation)},
                       {"units", optional_json(name.gpu->units)},
                       {"vram_gib", optional_json(name.gpu->vram_gib)}};
  }
  json["ib"] = name.ib;
  json["canonical"] = checks::canonical_name(name);
}

void print_text(std::string_view name, std::ostream& out) {
  const auto parsed = checks::parse_flavor_name(name);
  if (!parsed.name) {
    fmt::print(out, "{}: INVALID: {}\n", name, parsed.error);
    return;
  }
  fmt::print(out, "{}: {}\n", name, checks::describe(*parsed.name));
  const auto canonical = checks::canonical_name(*parsed.name);
  if (parsed.tolerated_v1()) {
    fmt::print(out, "  v1 name, merely tolerated by scs-0100 v3; the v3 spelling is {}\n", canonical);
  } else if (canonical != name) {
    fmt::print(out, "  valid, but the canonical spelling is {}\n", canonical);
  }
}

void print_json(std::string_view name, std::ostream& out) {
  // A name read from stdin may hold any bytes; replace invalid UTF-8 instead of throwing.
  fmt::print(out, "{}\n", flavor_name_json(name).dump(-1, ' ', false, Json::error_handler_t::replace));
}

// A line as read by getline, without its line end: the '\n' is gone already, a '\r' before it
// (a CRLF file) goes too. Nothing else is removed: "SCS-2V-4 " is a different name from
// "SCS-2V-4", and an invalid one.
std::string_view without_line_end(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

}  // namespace

Json flavor_name_json(std::string_view name) {
  const auto parsed = checks::parse_flavor_name(name);
  Json json;
  json["name"] = std::string(name);
  json["valid"] = parsed.valid();
  json["tolerated_v1"] = parsed.tolerated_v1();
  json["error"] = parsed.name ? Json(nullptr) : Json(parsed.error);
  if (parsed.name) {
    add_parsed_fields(*parsed.name, json);
  } else {
    for (const auto* key : {"cpus", "cpu_type", "insecure", "ram_gib", "ram_no_ecc", "ram_oversubscribed",
                            "disk", "hypervisor", "hwvirt", "cpu_brand", "gpu", "ib", "canonical"}) {
      json[key] = nullptr;
    }
  }
  return json;
}

int run_flavor_name_command(const std::vector<std::string>& names, bool json, std::ostream& out,
                            std::istream& in) {
  if (names.empty())
    throw UsageError("flavor-name needs at least one flavor name, or - to read names from stdin");
  bool all_accepted = true;
  const auto handle = [&](std::string_view name) {
    all_accepted = checks::parse_flavor_name(name).name.has_value() && all_accepted;
    if (json) {
      print_json(name, out);
    } else {
      print_text(name, out);
    }
  };
  for (const auto& name : names) {
    if (name != "-") {
      handle(name);
      continue;
    }
    for (std::string line; std::getline(in, line);) {
      if (const auto read = without_line_end(line); !read.empty()) handle(read);  // empty lines skipped
    }
  }
  return static_cast<int>(all_accepted ? ExitCode::pass : ExitCode::fail);
}

int run_flavor_name_command(const std::vector<std::string>& names, bool json, std::ostream& out) {
  return run_flavor_name_command(names, json, out, std::cin);
}

}  // namespace scs
