#include "checks/checks.hpp"

namespace scs::checks {

// THE list of check plugins. A new standard adds one line here (and one in checks.hpp).
void register_all_checks(Registry& registry) {
  register_scs_0100(registry);
  register_scs_0101(registry);
  register_scs_0102(registry);
  register_scs_0103(registry);
  register_scs_0104(registry);
  register_scs_0114(registry);
  register_scs_0115(registry);
  register_scs_0116(registry);
  register_scs_0117(registry);
  register_scs_0121(registry);
  register_scs_0123(registry);
  register_scs_0125(registry);
  register_scs_0201(registry);
  register_scs_0210(registry);
  register_scs_0211(registry);
  register_scs_0214(registry);
  register_scs_0219(registry);
  register_scs_0302(registry);
}

}  // namespace scs::checks
