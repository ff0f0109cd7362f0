#include "core/result.hpp"

namespace scs {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::pass:
      return "PASS";
    case Status::fail:
      return "FAIL";
    case Status::abort:
      return "ABORT";
    case Status::not_applicable:
      return "N/A";
  }
  return "ABORT";
}

Result Result::pass(std::string summary, std::vector<std::string> notes) {
  return {Status::pass, std::move(summary), {}, std::move(notes)};
}

Result Result::fail(std::string summary, std::vector<Finding> evidence, std::vector<std::string> notes) {
  return {Status::fail, std::move(summary), std::move(evidence), std::move(notes)};
}

Result Result::abort(std::string reason) { return {Status::abort, std::move(reason), {}, {}}; }

Result Result::not_applicable(std::string why) { return {Status::not_applicable, std::move(why), {}, {}}; }

}  // namespace scs
