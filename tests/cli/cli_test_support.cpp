#include "tests/cli/cli_test_support.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"

namespace scs::test {

// --- files and environment ---------------------------------------------------------------

CloudSandbox::CloudSandbox() : old_cwd_(fs::current_path()) {
  env_.unset_prefixed("OS_");
  fs::create_directories(dir() / "home");
  fs::create_directories(dir() / "work");
  env_.set("HOME", (dir() / "home").string());
  env_.set("XDG_CONFIG_HOME", (dir() / "home" / ".config").string());
  env_.set("XDG_CONFIG_DIRS", (dir() / "xdg").string());
  env_.set("XDG_CACHE_HOME", (dir() / "home" / ".cache").string());  // the spec cache
  fs::current_path(dir() / "work");
}

CloudSandbox::~CloudSandbox() {
  std::error_code ignored;
  fs::current_path(old_cwd_, ignored);
}

fs::path CloudSandbox::write_clouds_yaml(const std::string& text) {
  const auto path = dir() / "clouds.yaml";
  write_text(path, text);
  env_.set("OS_CLIENT_CONFIG_FILE", path.string());
  return path;
}

std::map<fs::path, std::string> files_below(const fs::path& dir) {
  std::map<fs::path, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files[entry.path()] = read_text(entry.path());
  }
  return files;
}

// --- clouds and runs -----------------------------------------------------------------------

std::string password_cloud(const std::string& name, const std::string& auth_url, const std::string& password,
                           const std::string& extra) {
  return fmt::format(
      "  {}:\n"
      "    auth:\n"
      "      auth_url: {}\n"
      "      username: scs-member\n"
      "      password: {}\n"
      "      user_domain_name: Default\n"
      "      project_name: scs-project\n"
      "      project_domain_name: Default\n"
      "    {}\n",
      name, auth_url, password, extra);
}

std::string application_credential_cloud(const std::string& name, const std::string& auth_url,
                                         const std::string& secret, const std::string& extra) {
  return fmt::format(
      "  {}:\n"
      "    auth_type: v3applicationcredential\n"
      "    auth:\n"
      "      auth_url: {}\n"
      "      application_credential_id: 3c1a4e5b7d9f\n"
      "      application_credential_secret: {}\n"
      "    {}\n",
      name, auth_url, secret, extra);
}

RunOptions iaas_run(const std::string& cloud) {
  RunOptions options;
  options.scope_file = SCS_SOURCE_DIR "/standards/scopes/scs-compatible-iaas.yaml";
  options.os_cloud = cloud;
  options.quiet = true;
  options.budget = std::chrono::seconds(120);  // a cap, never reached: load cannot end a testcase early
  options.argv = {"run", "--os-cloud", cloud};
  return options;
}

RunOptions wrong_password_run() {
  auto options = iaas_run("ignored");
  options.os_cloud.reset();
  options.replay_dir = SCS_SOURCE_DIR "/tests/cli/fixtures/replay-wrong-password";
  return options;
}

CollectedRun run_like_main(RunOptions options, const fs::path& dir) {
  CollectedRun run;
  fs::create_directories(dir);
  run.yaml = dir / "report.yaml";
  run.json = dir / "report.json";
  run.junit = dir / "report.xml";
  run.markdown = dir / "report.md";
  options.output_yaml = run.yaml.string();
  options.output_json = run.json.string();
  options.output_junit = run.junit.string();
  options.output_markdown = run.markdown.string();
  options.quiet = false;
  const std::atomic<bool> interrupted{false};
  std::string error_line;
  {
    const CaptureStream out(std::cout);
    const CaptureStream err(std::cerr);
    try {
      run.exit_code = run_command(options, interrupted);
    } catch (const Error& error) {
      run.threw = true;
      error_line = fmt::format("scs-conformance: error: {}\n", error.what());
      run.exit_code = static_cast<int>(error.exit_code());
    } catch (const std::exception& error) {
      run.threw = true;
      error_line = fmt::format("scs-conformance: internal error: {}\n", error.what());
      run.exit_code = static_cast<int>(ExitCode::internal_error);
    }
    run.stdout_text = out.text();
    run.stderr_text = err.text() + error_line;
  }
  return run;
}

// --- the fake cloud ------------------------------------------------------------------------

namespace {

using Reply = LocalHttpServer::Reply;

nlohmann::json flavor(const std::string& id, const std::string& name, int vcpus, int ram, int disk) {
  return {{"id", id},
          {"name", name},
          {"vcpus", vcpus},
          {"ram", ram},
          {"disk", disk},
          {"os-flavor-access:is_public", true},
          {"OS-FLV-DISABLED:disabled", false},
          {"extra_specs", {{"scs:cpu-type", "shared-core"}, {"scs:name-v2", name}}}};
}

Reply json_reply(long status, const nlohmann::json& body) {
  return Reply::with(status, body.dump()).header("Content-Type", "application/json");
}

}  // namespace

FakeCloud::FakeCloud() {
  server_.set_handler([this](const LocalHttpServer::Request& request) { return answer(request); });
}

void FakeCloud::on_keystone(Handler handler) {
  const std::lock_guard lock(mutex_);
  keystone_ = std::move(handler);
}

void FakeCloud::on_compute(Handler handler) {
  const std::lock_guard lock(mutex_);
  compute_ = std::move(handler);
}

std::size_t FakeCloud::count(std::string_view prefix) const {
  std::size_t n = 0;
  for (const auto& request : server_.requests()) n += request.target.starts_with(prefix) ? 1 : 0;
  return n;
}

LocalHttpServer::Reply FakeCloud::token_reply() const {
  const auto endpoint = [](const std::string& url) {
    return nlohmann::json{
        {"interface", "public"}, {"region_id", "RegionOne"}, {"region", "RegionOne"}, {"url", url}};
  };
  const nlohmann::json body = {
      {"token",
       {{"methods", {"password"}},
        {"user", {{"id", "u-1"}, {"name", "scs-member"}}},
        {"project", {{"id", "p-1"}, {"name", "scs-project"}}},
        {"roles", {{{"id", "r-1"}, {"name", "member"}}}},
        {"catalog",
         {{{"type", "compute"}, {"name", "nova"}, {"endpoints", {endpoint(compute_url())}}},
          {{"type", "identity"}, {"name", "keystone"}, {"endpoints", {endpoint(auth_url())}}}}}}}};
  return json_reply(201, body).header("X-Subject-Token", token_value());
}

LocalHttpServer::Reply FakeCloud::answer(const LocalHttpServer::Request& request) {
  Handler keystone;
  Handler compute;
  {
    const std::lock_guard lock(mutex_);
    keystone = keystone_;
    compute = compute_;
  }
  if (request.target.starts_with("/v3")) {
    if (keystone) return keystone(request);
    if (request.method == "POST" && request.target == "/v3/auth/tokens") return token_reply();
  }
  if (request.target.starts_with("/compute/")) {
    if (compute) return compute(request);
    if (request.target.starts_with("/compute/v2.1/flavors/detail")) {
      return json_reply(200, {{"flavors",
                               {flavor("f-1", "SCS-2V-4", 2, 4096, 0), flavor("f-2", "SCS-1V-2", 1, 2048, 0),
                                flavor("f-3", "SCS-4V-16-50", 4, 16384, 50)}}});
    }
  }
  return json_reply(404, {{"itemNotFound", {{"code", 404}, {"message", "no such thing in the fake cloud"}}}});
}

// --- stdout and XML ------------------------------------------------------------------------

CaptureStream::CaptureStream(std::ostream& stream) : stream_(stream), old_(stream.rdbuf(out_.rdbuf())) {}

CaptureStream::~CaptureStream() { stream_.rdbuf(old_); }

std::string xml_problem(std::string_view text) {
  std::vector<std::string> open;
  bool root_seen = false;
  std::size_t pos = 0;
  const auto where = [&](std::size_t at) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    return fmt::format("line {}", line);
  };
  const auto is_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' || c == ':';
  };
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '&') {
      const auto semi = text.find(';', pos);
      const auto entity = text.substr(pos + 1, semi == std::string_view::npos ? 0 : semi - pos - 1);
      const bool known = entity == "amp" || entity == "lt" || entity == "gt" || entity == "quot" ||
                         entity == "apos" || (entity.size() > 1 && entity[0] == '#');
      if (semi == std::string_view::npos || !known) return fmt::format("{}: stray '&'", where(pos));
      pos = semi + 1;
      continue;
    }
    if (c != '<') {
      if (open.empty() && std::isspace(static_cast<unsigned char>(c)) == 0)
        return fmt::format("{}: text outside the root element", where(pos));
      ++pos;
      continue;
    }
    const auto rest = text.substr(pos);
    if (rest.starts_with("<?")) {
      const auto end = text.find("?>", pos);
      if (end == std::string_view::npos) return fmt::format("{}: unterminated <?", where(pos));
      pos = end + 2;
    } else if (rest.starts_with("<!--")) {
      const auto end = text.find("-->", pos);
      if (end == std::string_view::npos) return fmt::format("{}: unterminated comment", where(pos));
      pos = end + 3;
    } else if (rest.starts_with("<![CDATA[")) {
      const auto end = text.find("]]>", pos);
      if (end == std::string_view::npos || open.empty()) return fmt::format("{}: bad CDATA", where(pos));
      pos = end + 3;
    } else if (rest.starts_with("</")) {
      auto end = pos + 2;
      while (end < text.size() && is_name_char(text[end])) ++end;
      const std::string name(text.substr(pos + 2, end - pos - 2));
      while (end < text.size() && std::isspace(static_cast<unsigned char>(text[end])) != 0) ++end;
      if (end >= text.size() || text[end] != '>') return fmt::format("{}: bad end tag", where(pos));
      if (open.empty() || open.back() != name)
        return fmt::format("{}: </{}> does not close <{}>", where(pos), name,
                           open.empty() ? "" : open.back());
      open.pop_back();
      pos = end + 1;
    } else {
      auto end = pos + 1;
      while (end < text.size() && is_name_char(text[end])) ++end;
      const std::string name(text.substr(pos + 1, end - pos - 1));
      if (name.empty()) return fmt::format("{}: '<' without a tag name", where(pos));
      if (open.empty() && root_seen) return fmt::format("{}: a second root element <{}>", where(pos), name);
      bool self_closing = false;
      for (;;) {  // attributes
        while (end < text.size() && std::isspace(static_cast<unsigned char>(text[end])) != 0) ++end;
        if (end >= text.size()) return fmt::format("{}: unterminated <{}>", where(pos), name);
        if (text[end] == '>') break;
        if (text.substr(end).starts_with("/>")) {
          self_closing = true;
          ++end;
          break;
        }
        const auto attribute_start = end;
        while (end < text.size() && is_name_char(text[end])) ++end;
        if (end == attribute_start || end + 1 >= text.size() || text[end] != '=' ||
            (text[end + 1] != '"' && text[end + 1] != '\''))
          return fmt::format("{}: bad attribute in <{}>", where(end), name);
        const char quote = text[end + 1];
        const auto close = text.find(quote, end + 2);
        if (close == std::string_view::npos) return fmt::format("{}: unterminated attribute", where(end));
        const auto value = text.substr(end + 2, close - end - 2);
        if (value.find('<') != std::string_view::npos)
          return fmt::format("{}: '<' in an attribute", where(end));
        end = close + 1;
      }
      root_seen = true;
      if (!self_closing) open.push_back(name);
      pos = end + 1;
    }
  }
  if (!open.empty()) return fmt::format("end of document: <{}> is not closed", open.back());
  if (!root_seen) return "no root element";
  return {};
}

}  // namespace scs::test
