#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace scs {

/// `flavor-name NAME...`: validates and explains SCS flavor names (scs-0100 v3), offline.
/// A NAME of "-" reads names from `in`, one per line (empty lines skipped; only the line end,
/// LF or CRLF, is removed: blanks around a name are part of it and make it invalid), so
/// `openstack flavor list -f value -c Name | scs-conformance flavor-name -` works.
/// Text mode prints "NAME: what it promises" or "NAME: INVALID: why", plus indented notes;
/// `json` prints one JSON object per line (see flavor_name_json()).
/// Returns the exit code: 0 if every name is valid or a tolerated v1 name, 1 otherwise.
/// Throws UsageError when `names` is empty.
int run_flavor_name_command(const std::vector<std::string>& names, bool json, std::ostream& out,
                            std::istream& in);

/// The same, reading "-" from standard input.
int run_flavor_name_command(const std::vector<std::string>& names, bool json, std::ostream& out);

/// One name as JSON, keys in this order: name, valid (v3 syntax), tolerated_v1, error (null or
/// why not), cpus, cpu_type, insecure, ram_gib, ram_no_ecc, ram_oversubscribed, disk (null or
/// {count, size_gb, type}), hypervisor, hwvirt, cpu_brand (null or {vendor, gen, perf}), gpu
/// (null or {type, brand, gen, units, vram_gib}), ib, canonical. Codes are letters as they stand
/// in a name; a part the name leaves out is null. Every key is present for every name: the
/// fields after `error` are null when the name does not parse.
nlohmann::ordered_json flavor_name_json(std::string_view name);

}  // namespace scs
