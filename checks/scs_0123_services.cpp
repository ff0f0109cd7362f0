// scs-0123: mandatory and supported IaaS services.
// https://docs.scs.community/standards/scs-0123-v1-mandatory-and-supported-IaaS-services
// https://docs.scs.community/standards/scs-0123-v2-services
#include <algorithm>
#include <array>
#include <ctime>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "checks/checks.hpp"
#include "clients/http/http.hpp"
#include "clients/openstack/openstack.hpp"
#include "core/base64.hpp"

namespace scs::checks {

namespace {

std::vector<std::string> catalog_types(OpenStack& openstack) {
  std::vector<std::string> types;
  for (const auto& entry : openstack.catalog()) types.push_back(entry.type);
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  return types;
}

// The catalog has an entry of one of `params.types` (aliases of one service, e.g. volumev3
// and block-storage).
Result service_type_present(Context& context, const Params& params) {
  const auto wanted = params.at("types").get<std::vector<std::string>>();
  const auto present = catalog_types(context.openstack());
  for (const auto& type : wanted) {
    if (std::binary_search(present.begin(), present.end(), type)) {
      return Result::pass(fmt::format("the catalog lists a service of type {}", type));
    }
  }
  const auto wanted_text = fmt::format("{}", fmt::join(wanted, " or "));
  return Result::fail(fmt::format("no service of type {} in the catalog", wanted_text),
                      {{fmt::format("service {}", wanted_text),
                        fmt::format("not in the catalog, which lists: {}", fmt::join(present, ", "))}});
}

// "scheme://host[:port]" of an endpoint URL; empty when the URL has no host part.
std::string origin_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return {};
  const auto host_end = url.find('/', scheme_end + 3);
  return host_end == std::string::npos ? url : url.substr(0, host_end);
}

// An S3 (signature v2) authorization for an access key that cannot exist, so a real S3 API
// must refuse it with an S3 error; no credential of the user is involved.
HttpRequest unknown_key_list_buckets(const std::string& origin, std::time_t now) {
  std::array<char, 64> date{};
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(date.data(), date.size(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
  const std::string string_to_sign = fmt::format("GET\n\n\n{}\n/", date.data());
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  const std::string empty_secret;
  HMAC(EVP_sha1(), empty_secret.data(), 0, reinterpret_cast<const unsigned char*>(string_to_sign.data()),
       string_to_sign.size(), mac.data(), &mac_size);
  HttpRequest request;
  request.url = origin + "/";
  request.headers = {{"Date", date.data()},
                     {"Authorization", "AWS scs-conformance-doesnotexist:" +
                                           base64_encode(std::string_view(
                                               reinterpret_cast<const char*>(mac.data()), mac_size))}};
  return request;
}

// S3 error codes that refuse a request's credential, as S3 implementations answer an
// unknown access key.
bool refuses_credential(const std::string& code) {
  static const std::set<std::string> codes = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied",
                                              "InvalidSecurity", "NoSuchKey"};
  return codes.count(code) == 1;
}

std::string xml_error_code(const std::string& body) {
  const auto start = body.find("<Code>");
  const auto end = body.find("</Code>");
  if (start == std::string::npos || end == std::string::npos || end < start) return {};
  return body.substr(start + 6, end - start - 6);
}

// scs-0123-v1: the object store (if the cloud has one) speaks S3. Probed on the object-store
// endpoint's host with a ListBuckets request for an unknown access key.
Result swift_speaks_s3(Context& context, const Params&) {
  auto& openstack = context.openstack();
  const auto types = catalog_types(openstack);
  if (!std::binary_search(types.begin(), types.end(), "object-store")) {
    return Result::not_applicable(
        "the catalog has no object-store service, so there is no Swift to speak S3");
  }
  const auto endpoint = openstack.endpoint_url("object-store");
  const auto origin = origin_of(endpoint);
  if (origin.empty())
    return Result::abort(fmt::format("cannot find the host in the object-store URL {}", endpoint));

  const auto response = context.transport().send(
      unknown_key_list_buckets(origin, std::chrono::system_clock::to_time_t(context.now())));
  const auto code = xml_error_code(response.body);
  // Judged on the protocol: an S3 error document refusing the credential shows an S3 API,
  // whichever refusal the implementation picks (Ceph RGW: InvalidAccessKeyId; Swift's s3api
  // checks the signature first: SignatureDoesNotMatch).
  if (refuses_credential(code)) {
    return Result::pass(fmt::format("{} answers S3 requests (an unknown access key gets {})", origin, code));
  }
  if (response.status >= 200 && response.status < 300) {
    return Result::abort(
        fmt::format("{} listed buckets for an access key that does not exist; cannot judge", origin));
  }
  if (response.status == 429 || response.status >= 500) {
    // Busy or broken right now: says nothing about the protocol it speaks.
    return Result::abort(
        fmt::format("{} answered HTTP {} to an S3 request; cannot judge", origin, response.status));
  }
  const auto what = code.empty() ? fmt::format("HTTP {} without an S3 error document", response.status)
                                 : fmt::format("HTTP {} with S3 error {}", response.status, code);
  return Result::fail(
      fmt::format("{} does not answer like an S3 API", origin),
      {{fmt::format("service object-store ({})", origin),
        fmt::format("a ListBuckets request with an unknown access key got {}; an S3 API refuses it "
                    "with an S3 error document (InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied)",
                    what)}});
}

}  // namespace

void register_scs_0123(Registry& registry) {
  registry.add("service-type-present", service_type_present);
  registry.add("swift-speaks-s3", swift_speaks_s3);
}

}  // namespace scs::checks
