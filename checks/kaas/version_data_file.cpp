#include "checks/kaas/version_data_file.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"

namespace scs::checks::kaas {

using nlohmann::json;

namespace {

const std::string& need_string(const json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string())
    throw ConfigError(fmt::format("{}: '{}' missing or not a string", where, key));
  return it->get_ref<const std::string&>();
}

std::string optional_string(const json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) throw ConfigError(fmt::format("{}: '{}' is not a string", where, key));
  return it->get<std::string>();
}

Date need_date(const json& object, const char* key, const std::string& where) {
  const auto& text = need_string(object, key, where);
  const auto date = parse_date(text);
  if (!date) throw ConfigError(fmt::format("{}: '{}' is not a date (YYYY-MM-DD): '{}'", where, key, text));
  return *date;
}

// A date that may be unknown: the key must be there (so an unknown is a decision, not an
// omission), holding a date or null.
std::optional<Date> date_or_null(const json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) throw ConfigError(fmt::format("{}: '{}' missing (null when unknown)", where, key));
  if (it->is_null()) return std::nullopt;
  return need_date(object, key, where);
}

// A release version X.Y.Z ("v" tolerated): a suffix ("-rc.1", "+k3s1") names no upstream
// release, would compare equal to X.Y.Z in the rules and is not written back.
KubeVersion need_version(const json& object, const char* key, const std::string& where) {
  const auto& text = need_string(object, key, where);
  const auto version = parse_kube_version(text);
  if (!version || !version->suffix.empty())
    throw ConfigError(fmt::format("{}: '{}' is not a version X.Y.Z: '{}'", where, key, text));
  return *version;
}

bool is_url(const std::string& text) {
  return (text.starts_with("https://") || text.starts_with("http://")) && text.size() > 8 &&
         text.find_first_of(" \t\n") == std::string::npos;
}

// Every entry says where it comes from and when that was read: a verdict can name both.
Provenance need_provenance(const json& item, const std::string& where, Date file_retrieved) {
  Provenance provenance{need_string(item, "source", where), need_date(item, "retrieved", where)};
  if (!is_url(provenance.source))
    throw ConfigError(fmt::format("{}: 'source' is not an http(s) URL: '{}'", where, provenance.source));
  if (provenance.retrieved > file_retrieved)
    throw ConfigError(fmt::format("{}: 'retrieved' {} is after the file's 'retrieved' {}", where,
                                  format_date(provenance.retrieved), format_date(file_retrieved)));
  return provenance;
}

// What an entry is called in messages: its key's string, "?" when it has none (nlohmann's
// value() would throw its own type_error for an item that is no object or a key of another type).
std::string label(const json& item, const char* key) {
  if (!item.is_object()) return "?";
  const auto it = item.find(key);
  return it != item.end() && it->is_string() ? it->get<std::string>() : "?";
}

json date_json(const std::optional<Date>& date) { return date ? json(format_date(*date)) : json(nullptr); }

}  // namespace

VersionData parse_version_data(const json& document, const std::string& source) {
  if (!document.is_object()) throw ConfigError(fmt::format("{}: not a JSON object", source));
  VersionData data;
  data.origin = source;
  data.retrieved = need_date(document, "retrieved", source);
  data.description = optional_string(document, "description", source);
  data.provenance = optional_string(document, "provenance", source);
  if (const auto it = document.find("sources"); it != document.end()) {
    if (!it->is_array()) throw ConfigError(fmt::format("{}: 'sources' is not a list", source));
    for (const auto& url : *it) {
      if (!url.is_string()) throw ConfigError(fmt::format("{}: 'sources' holds a non-string", source));
      data.sources.push_back(url.get<std::string>());
    }
  }
  const auto list = [&](const char* key) -> const json& {
    const auto it = document.find(key);
    if (it == document.end() || !it->is_array())
      throw ConfigError(fmt::format("{}: '{}' missing or not a list", source, key));
    return *it;
  };
  for (const auto& item : list("branches")) {
    const auto where = fmt::format("{}: branch {}", source, label(item, "branch"));
    const auto numbers = parse_branch_name(need_string(item, "branch", where));
    if (!numbers) throw ConfigError(fmt::format("{}: 'branch' is not MAJOR.MINOR", where));
    Branch branch;
    branch.major = numbers->first;
    branch.minor = numbers->second;
    branch.released = date_or_null(item, "released", where);
    branch.end_of_life = date_or_null(item, "end_of_life", where);
    branch.provenance = need_provenance(item, where, data.retrieved);
    branch.released_source = optional_string(item, "released_source", where);
    if (!branch.released_source.empty() && !is_url(branch.released_source))
      throw ConfigError(fmt::format("{}: 'released_source' is not an http(s) URL", where));
    branch.note = optional_string(item, "note", where);
    data.branches.push_back(std::move(branch));
  }
  for (const auto& item : list("patches")) {
    const auto where = fmt::format("{}: patch {}", source, label(item, "version"));
    data.patches.push_back({need_version(item, "version", where), need_date(item, "released", where),
                            need_provenance(item, where, data.retrieved)});
  }
  for (const auto& item : list("critical_cves")) {
    const auto where = fmt::format("{}: CVE {}", source, label(item, "id"));
    CriticalCve cve;
    cve.id = need_string(item, "id", where);
    if (!item.contains("cvss") || !item["cvss"].is_number())
      throw ConfigError(fmt::format("{}: 'cvss' missing or not a number", where));
    cve.cvss = item["cvss"].get<double>();
    cve.published = need_date(item, "published", where);
    cve.summary = need_string(item, "summary", where);
    cve.url = optional_string(item, "url", where);
    if (!item.contains("affected") || !item["affected"].is_array())
      throw ConfigError(fmt::format("{}: 'affected' missing or not a list", where));
    for (const auto& range : item["affected"]) {
      cve.affected.push_back({need_version(range, "from", where), need_version(range, "fixed", where)});
    }
    cve.provenance = need_provenance(item, where, data.retrieved);
    data.cves.push_back(std::move(cve));
  }
  if (const auto it = document.find("remarks"); it != document.end()) {
    if (!it->is_array()) throw ConfigError(fmt::format("{}: 'remarks' is not a list", source));
    for (const auto& remark : *it) {
      if (!remark.is_string()) throw ConfigError(fmt::format("{}: 'remarks' holds a non-string", source));
      data.remarks.push_back(remark.get<std::string>());
    }
  }
  return data;
}

json version_data_to_json(const VersionData& data) {
  json document;
  document["description"] = data.description;
  document["provenance"] = data.provenance;
  document["retrieved"] = format_date(data.retrieved);
  document["sources"] = data.sources;
  document["branches"] = json::array();
  for (const auto& branch : data.branches) {
    json item{{"branch", branch.name()},
              {"released", date_json(branch.released)},
              {"end_of_life", date_json(branch.end_of_life)},
              {"source", branch.provenance.source},
              {"retrieved", format_date(branch.provenance.retrieved)}};
    if (!branch.released_source.empty()) item["released_source"] = branch.released_source;
    if (!branch.note.empty()) item["note"] = branch.note;
    document["branches"].push_back(std::move(item));
  }
  document["patches"] = json::array();
  for (const auto& patch : data.patches) {
    document["patches"].push_back({{"version", patch.version.text()},
                                   {"released", format_date(patch.released)},
                                   {"source", patch.provenance.source},
                                   {"retrieved", format_date(patch.provenance.retrieved)}});
  }
  document["critical_cves"] = json::array();
  for (const auto& cve : data.cves) {
    json item{{"id", cve.id},
              {"cvss", cve.cvss},
              {"published", format_date(cve.published)},
              {"summary", cve.summary},
              {"affected", json::array()},
              {"source", cve.provenance.source},
              {"retrieved", format_date(cve.provenance.retrieved)}};
    if (!cve.url.empty()) item["url"] = cve.url;
    for (const auto& range : cve.affected)
      item["affected"].push_back({{"from", range.from.text()}, {"fixed", range.fixed.text()}});
    document["critical_cves"].push_back(std::move(item));
  }
  if (!data.remarks.empty()) document["remarks"] = data.remarks;
  return document;
}

}  // namespace scs::checks::kaas
