#pragma once

// The spec structs as JSON, every field, for the spec cache (spec_cache.hpp): from_json(to_json(x))
// equals x, SourceLocation and the order of vectors included. from_json is strict about the
// shape (a key missing, a wrong type: std::invalid_argument), so a cache file that is not what
// to_json wrote is rejected instead of becoming a wrong spec.

#include <nlohmann/json.hpp>

#include "spec/spec.hpp"

namespace scs {

void to_json(nlohmann::json& json, const SourceLocation& location);
void from_json(const nlohmann::json& json, SourceLocation& location);

void to_json(nlohmann::json& json, const TestcaseBinding& binding);
void from_json(const nlohmann::json& json, TestcaseBinding& binding);

void to_json(nlohmann::json& json, const Standard& standard);
void from_json(const nlohmann::json& json, Standard& standard);

void to_json(nlohmann::json& json, const ScopeTestcase& testcase);
void from_json(const nlohmann::json& json, ScopeTestcase& testcase);

void to_json(nlohmann::json& json, const ScopeModule& module);
void from_json(const nlohmann::json& json, ScopeModule& module);

void to_json(nlohmann::json& json, const ScopeInclude& include);
void from_json(const nlohmann::json& json, ScopeInclude& include);

void to_json(nlohmann::json& json, const ScopeVersion& version);
void from_json(const nlohmann::json& json, ScopeVersion& version);

void to_json(nlohmann::json& json, const TimelineEntry& entry);
void from_json(const nlohmann::json& json, TimelineEntry& entry);

void to_json(nlohmann::json& json, const Scope& scope);
void from_json(const nlohmann::json& json, Scope& scope);

}  // namespace scs
