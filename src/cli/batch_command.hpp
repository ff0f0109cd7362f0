#pragma once

#include <atomic>
#include <iosfwd>
#include <string>

namespace scs {

struct BatchCommandOptions {
  std::string subjects_file;
  std::string out_dir = "batch-reports";
  unsigned jobs = 4;
  bool progress = false;  // a line per subject as it finishes (on a terminal)
  std::string standards_dir;
};

/// `batch SUBJECTS.yaml`: checks every subject, `jobs` at a time, each on its own: a subject
/// that cannot be checked (unreachable, misconfigured) is that subject's error, never another's.
/// Each subject's reports go to OUT/SUBJECT/ (report.yaml, .json, .md, .html, log.txt), the
/// overview to OUT/index.{html,md,json}. Ctrl-C stops starting subjects; running ones finish
/// their cleanup, and the overview holds what is done. Returns the most severe subject's exit
/// code (130 when interrupted). A malformed subjects file throws before anything runs.
int batch_command(const BatchCommandOptions& options, const std::atomic<bool>& interrupted,
                  std::ostream& err);

}  // namespace scs
