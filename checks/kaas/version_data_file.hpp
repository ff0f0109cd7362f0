#pragma once

// Our data file format for scs-0210 (standards/data/k8s-version-data.json), read and written.

#include <string>

#include <nlohmann/json.hpp>

#include "checks/kaas/version_policy.hpp"

namespace scs::checks::kaas {

/// The data set in the file format parse_version_data() reads: keys sorted, unknown dates as
/// null, every entry with its source and retrieval date, remarks when there are any. What
/// `refresh-data` writes; parsing it again gives the same data set.
nlohmann::json version_data_to_json(const VersionData& data);

}  // namespace scs::checks::kaas
