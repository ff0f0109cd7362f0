// scs-entropy-probe: the scs-0101 probe's two halves for tests on a real guest, the same code
// the checks run (checks/entropy_console, checks/fips_140_2).
//   scs-entropy-probe user-data BYTES   prints the user data the sample VM gets
//   scs-entropy-probe parse CONSOLE     prints the probe found in a console log as JSON
//                                       (exit 1 when the log holds no complete probe)
#include <cstdlib>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "checks/entropy_console.hpp"
#include "checks/fips_140_2.hpp"
#include "core/files.hpp"

int main(int argc, char** argv) {
  const std::string usage = "usage: scs-entropy-probe user-data BYTES | parse CONSOLE\n";
  if (argc != 3) {
    std::cerr << usage;
    return 64;
  }
  const std::string mode = argv[1];
  if (mode == "user-data") {
    std::cout << scs::checks::probe_user_data(std::stoul(argv[2]));
    return 0;
  }
  if (mode != "parse") {
    std::cerr << usage;
    return 64;
  }
  const auto probe = scs::checks::parse_probe(scs::read_file(argv[2], "the console log"));
  if (!probe) {
    std::cerr << "no complete probe in " << argv[2] << '\n';
    return 1;
  }
  std::size_t failed = 0;
  const auto blocks = scs::checks::fips_test(probe->random);
  for (const auto& block : blocks) failed += block.passed() ? 0 : 1;
  const nlohmann::json out{{"entropy_avail", probe->entropy_avail},
                           {"rng_available", probe->rng_available},
                           {"rng_current", probe->rng_current},
                           {"rng_quality", probe->rng_quality},
                           {"rngd", probe->rngd},
                           {"random_bytes", probe->random.size()},
                           {"fips_blocks", blocks.size()},
                           {"fips_failed", failed},
                           {"problems", probe->problems}};
  std::cout << out.dump(2) << '\n';
  return 0;
}
