#pragma once

// Field-by-field equality of the spec structs, written out without spec_json.cpp so that a
// round trip through the cache is compared with what the YAML loaders made, not with itself.

#include <catch2/catch.hpp>

#include "spec/spec.hpp"

namespace scs::test {

/// Equal values of equal JSON types: a YAML integer stays signed, a float stays a float.
inline bool same_json(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type() || a != b) return false;
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!same_json(it.value(), b.at(it.key()))) return false;
    }
  } else if (a.is_array()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_json(a[i], b[i])) return false;
    }
  }
  return true;
}

inline void require_same(const SourceLocation& a, const SourceLocation& b) {
  CHECK(a.file == b.file);
  CHECK(a.line == b.line);
}

inline void require_same(const TestcaseBinding& a, const TestcaseBinding& b) {
  INFO("testcase " << a.id);
  CHECK(a.id == b.id);
  CHECK(a.standard == b.standard);
  CHECK(a.title == b.title);
  CHECK(a.description == b.description);
  CHECK(a.url == b.url);
  CHECK(a.check == b.check);
  CHECK(same_json(a.params, b.params));
  CHECK(a.remediation == b.remediation);
  CHECK(a.required_role == b.required_role);
  CHECK(a.creates_resources == b.creates_resources);
  CHECK(a.platform == b.platform);
  require_same(a.source, b.source);
}

inline void require_same(const Standard& a, const Standard& b) {
  INFO("standard " << a.id);
  CHECK(a.id == b.id);
  CHECK(a.name == b.name);
  CHECK(a.url == b.url);
  CHECK(a.platform == b.platform);
  require_same(a.source, b.source);
  REQUIRE(a.testcases.size() == b.testcases.size());
  for (std::size_t i = 0; i < a.testcases.size(); ++i) require_same(a.testcases[i], b.testcases[i]);
}

inline void require_same(const std::vector<Standard>& a, const std::vector<Standard>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) require_same(a[i], b[i]);
}

inline void require_same(const Scope& a, const Scope& b) {
  INFO("scope " << a.file);
  CHECK(a.uuid == b.uuid);
  CHECK(a.name == b.name);
  CHECK(a.url == b.url);
  CHECK(a.variables == b.variables);
  CHECK(a.var_defaults == b.var_defaults);
  CHECK(a.file == b.file);
  REQUIRE(a.testcases.size() == b.testcases.size());
  for (std::size_t i = 0; i < a.testcases.size(); ++i) {
    const auto &x = a.testcases[i], &y = b.testcases[i];
    INFO("scope testcase " << x.id);
    CHECK(x.id == y.id);
    CHECK(x.description == y.description);
    CHECK(x.url == y.url);
    CHECK(x.lifetime == y.lifetime);
    CHECK(x.section == y.section);
    CHECK(x.manual == y.manual);
    require_same(x.source, y.source);
  }
  REQUIRE(a.modules.size() == b.modules.size());
  for (std::size_t i = 0; i < a.modules.size(); ++i) {
    const auto &x = a.modules[i], &y = b.modules[i];
    INFO("module " << x.id);
    CHECK(x.id == y.id);
    CHECK(x.name == y.name);
    CHECK(x.url == y.url);
    CHECK(x.parameters == y.parameters);
    CHECK(x.targets == y.targets);
    require_same(x.source, y.source);
  }
  REQUIRE(a.versions.size() == b.versions.size());
  for (std::size_t i = 0; i < a.versions.size(); ++i) {
    const auto &x = a.versions[i], &y = b.versions[i];
    INFO("version " << x.name);
    CHECK(x.name == y.name);
    REQUIRE(x.includes.size() == y.includes.size());
    for (std::size_t j = 0; j < x.includes.size(); ++j) {
      CHECK(x.includes[j].module == y.includes[j].module);
      CHECK(x.includes[j].parameters == y.includes[j].parameters);
    }
    CHECK(x.stabilized_at == y.stabilized_at);
    CHECK(x.targets == y.targets);
    require_same(x.source, y.source);
  }
  REQUIRE(a.timeline.size() == b.timeline.size());
  for (std::size_t i = 0; i < a.timeline.size(); ++i) {
    CHECK(a.timeline[i].date == b.timeline[i].date);
    CHECK(a.timeline[i].versions == b.timeline[i].versions);
  }
}

}  // namespace scs::test
