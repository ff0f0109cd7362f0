#pragma once

// One GET of a release-data source (endoflife.date, the Kubernetes CVE feed) for scs-0210:
// shared by the check's run-time refresh and `scs-conformance refresh-data`.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "clients/http/http.hpp"

namespace scs::checks::kaas {

/// GET `url` through `transport` and its JSON body. Any status but 200 is an HttpError with an
/// excerpt of the body ("GET URL answered HTTP 503: Service Unavailable"); HTML, an empty or a
/// truncated body an UnreachableError ("GET URL did not answer with JSON (HTTP 200,
/// text/html): <title>"); no answer at all the transport's UnreachableError. One line each.
nlohmann::json fetch_source_json(Transport& transport, const std::string& url);

}  // namespace scs::checks::kaas
