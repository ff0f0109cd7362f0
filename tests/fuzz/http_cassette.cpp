// HTTP cassettes (src/clients/http/cassette.hpp ReplayTransport): a recording's cassette is
// outside input to `run --replay`. Loads the file, then asks it the requests a run starts with.
#include "clients/http/cassette.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = scs::fuzz::put_file("cassette.json", scs::fuzz::text_of(data, size));
  scs::fuzz::contract([&] {
    scs::ReplayTransport replay(file);
    (void)replay.unused();
    const scs::HttpRequest requests[] = {
        {"POST",
         "http://127.0.0.1:5000/v3/auth/tokens",
         {{"Content-Type", "application/json"}},
         R"({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "member", "password": "x"}}}}})"},
        {"GET",
         "http://127.0.0.1:8774/v2.1/flavors/detail?is_public=None",
         {{"OpenStack-API-Version", "compute 2.61"}},
         ""},
        {"GET", "https://127.0.0.1:6443/version", {}, ""},
    };
    for (const auto& request : requests) {
      try {
        (void)replay.send(request);
      } catch (const scs::Error& error) {
        scs::fuzz::check_message(scs::fuzz::type_name(typeid(error)), error.what());
      }
    }
  });
  return 0;
}
