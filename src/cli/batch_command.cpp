#include "cli/batch_command.hpp"

#include <filesystem>
#include <mutex>
#include <ostream>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "certify/monitor_client.hpp"
#include "cli/run_command.hpp"
#include "cli/subjects_file.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"
#include "reports/render_overview.hpp"

namespace scs {

namespace {

namespace fs = std::filesystem;

RunOptions run_options_for(const Subject& subject, const fs::path& dir) {
  RunOptions options;
  options.scope_file = subject.scopes.front();
  options.extra_scope_files.assign(subject.scopes.begin() + 1, subject.scopes.end());
  options.subject = subject.name;
  options.os_cloud = subject.os_cloud;
  options.kubeconfig = subject.kubeconfig;
  options.context = subject.context;
  options.replay_dir = subject.replay;
  options.version = subject.version;
  options.read_only = subject.read_only;
  options.quiet = true;
  options.output_yaml = (dir / "report.yaml").string();
  options.output_json = (dir / "report.json").string();
  options.output_markdown = (dir / "report.md").string();
  options.output_html = (dir / "report.html").string();
  options.sign_key = subject.sign_key;
  if (subject.upload)
    options.upload_url = *subject.upload == "true" ? std::string(default_monitor_url) : *subject.upload;
  options.argv = {"batch", "--subject", subject.name};
  return options;
}

// The reports a subject's run wrote: report.json, or report-<scope stem>.json per scope.
std::vector<fs::path> json_reports(const Subject& subject, const fs::path& dir) {
  if (subject.scopes.size() == 1) return {dir / "report.json"};
  std::vector<fs::path> reports;
  for (const auto& scope : subject.scopes)
    reports.push_back(dir / fmt::format("report-{}.json", fs::path(scope).stem().string()));
  return reports;
}

std::string first_error_line(const std::string& log) {
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("scs-conformance: error: ")) return line.substr(24);
  }
  return "";
}

std::vector<SubjectRow> check_subject(const Subject& subject, const fs::path& out_dir,
                                      const std::atomic<bool>& interrupted) {
  const auto dir = out_dir / subject.name;
  fs::create_directories(dir);
  std::ostringstream out;
  std::ostringstream log;
  int code = 0;
  try {
    code = run_command(run_options_for(subject, dir), interrupted, out, log);
  } catch (const Error& error) {  // before its first request: this subject's error only
    log << "scs-conformance: error: " << error.what() << '\n';
    code = static_cast<int>(error.exit_code());
  } catch (const std::exception& error) {
    log << "scs-conformance: error: internal error: " << error.what() << '\n';
    code = static_cast<int>(ExitCode::internal_error);
  }
  write_file(dir / "log.txt", log.str());
  std::vector<SubjectRow> rows;
  const auto error = first_error_line(log.str());
  for (const auto& report : json_reports(subject, dir)) {
    SubjectRow row{subject.name, {}, {}, code, error, {}};
    if (fs::exists(report)) {
      const auto summary = read_report_summary(read_file(report, "report"), report.string(), {});
      row.scope = summary.scope_name;
      row.versions = summary.versions;
      row.report = (fs::path(subject.name) / report.filename()).replace_extension(".html").string();
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

int batch_command(const BatchCommandOptions& options, const std::atomic<bool>& interrupted,
                  std::ostream& err) {
  const auto subjects = read_subjects(options.subjects_file, options.standards_dir);
  const fs::path out_dir = options.out_dir;
  fs::create_directories(out_dir);
  std::vector<std::vector<SubjectRow>> results(subjects.size());
  std::vector<bool> done(subjects.size(), false);
  std::atomic<std::size_t> next{0};
  std::mutex progress;
  std::size_t finished = 0;
  const auto worker = [&] {
    for (;;) {
      if (interrupted.load()) return;  // Ctrl-C: start nothing new
      const auto index = next.fetch_add(1);
      if (index >= subjects.size()) return;
      auto rows = check_subject(subjects[index], out_dir, interrupted);
      const std::lock_guard lock(progress);
      ++finished;
      if (options.progress) {
        std::string verdicts;
        for (const auto& row : rows)
          for (const auto& [version, verdict] : row.versions)
            verdicts += fmt::format(" {} {}", version, verdict);
        err << fmt::format("[{}/{}] {}: exit {}{}{}\n", finished, subjects.size(), subjects[index].name,
                           rows.front().exit_code, verdicts,
                           rows.front().error.empty() ? "" : " — " + rows.front().error)
            << std::flush;
      }
      results[index] = std::move(rows);
      done[index] = true;
    }
  };
  std::vector<std::thread> workers;
  const auto jobs = std::max(1U, std::min<unsigned>(options.jobs, static_cast<unsigned>(subjects.size())));
  for (unsigned i = 0; i < jobs; ++i) workers.emplace_back(worker);
  for (auto& thread : workers) thread.join();

  std::vector<SubjectRow> rows;
  int worst = 0;
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    if (!done[i]) continue;  // not started before Ctrl-C
    for (auto& row : results[i]) {
      if (severity(row.exit_code) > severity(worst)) worst = row.exit_code;
      rows.push_back(std::move(row));
    }
  }
  write_file(out_dir / "index.json", render_overview_json(rows));
  write_file(out_dir / "index.md", render_overview_markdown(rows));
  write_file(out_dir / "index.html", render_overview_html(rows));
  return interrupted.load() ? static_cast<int>(ExitCode::interrupted) : worst;
}

}  // namespace scs
