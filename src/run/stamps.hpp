#pragma once

#include <chrono>
#include <string>

namespace scs {

/// A random RFC 4122 version 4 uuid: the report's run_uuid.
std::string new_uuid();

/// Six hex digits naming a run's objects ("scs-conformance-RUN-…") and its journal entries.
std::string new_run_id();

/// "2026-11-26 16:22:07.483283", local time, as the official checker writes checked_at.
std::string local_timestamp(std::chrono::system_clock::time_point when);

/// "2026-11-26", local time: the default reference date of a run.
std::string local_date(std::chrono::system_clock::time_point when);

}  // namespace scs
