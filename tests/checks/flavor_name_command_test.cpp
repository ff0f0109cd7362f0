#include "cli/flavor_name_command.hpp"

#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/errors.hpp"

using scs::run_flavor_name_command;

namespace {

struct Run {
  int exit_code;
  std::string output;
};

Run run(const std::vector<std::string>& names, bool json, const std::string& stdin_text = {}) {
  std::ostringstream out;
  std::istringstream in(stdin_text);
  const int exit_code = run_flavor_name_command(names, json, out, in);
  return {exit_code, out.str()};
}

}  // namespace

TEST_CASE("flavor-name prints what each name promises", "[cli][flavor-name]") {
  const auto result = run({"SCS-2V-4-20s", "SCS-16V-64-500s_GNa-14-6h", "SCS-2V:8", "SCS-02V-4.0"}, false);
  CHECK(result.exit_code == 0);
  CHECK(result.output ==
        "SCS-2V-4-20s: 2 shared-core vCPUs, 4 GiB RAM, 20 GB local SSD disk\n"
        "SCS-16V-64-500s_GNa-14-6h: 16 shared-core vCPUs, 64 GiB RAM, 500 GB local SSD disk, pass-through "
        "nVidia "
        "Ampere GPU with 14 SMs and 6 GiB high-bandwidth VRAM\n"
        "SCS-2V:8: 2 shared-core vCPUs, 8 GiB RAM, no disk (boot from a volume)\n"
        "  v1 name, merely tolerated by scs-0100 v3; the v3 spelling is SCS-2V-8\n"
        "SCS-02V-4.0: 2 shared-core vCPUs, 4 GiB RAM, no disk (boot from a volume)\n"
        "  valid, but the canonical spelling is SCS-2V-4\n");
}

TEST_CASE("flavor-name explains invalid names and exits 1", "[cli][flavor-name]") {
  const auto result = run({"SCS-2V-4", "SCS-2C-4ou-10n", "m1.small"}, false);
  CHECK(result.exit_code == 1);
  CHECK(result.output ==
        "SCS-2V-4: 2 shared-core vCPUs, 4 GiB RAM, no disk (boot from a volume)\n"
        "SCS-2C-4ou-10n: INVALID: Extra characters: u-10n (the RAM flag u must come before o)\n"
        "m1.small: INVALID: not an SCS flavor name (no SCS- prefix)\n");
}

TEST_CASE("flavor-name --json prints one object per name", "[cli][flavor-name]") {
  const auto result = run({"SCS-2V-4-20s", "SCS-8Ti-3.5uo-3x10_bms_hwv_z3hh_gA3.1-96h-48h_ib", "SCS-1L:1:5",
                           "SCS-2C-4-", "SCS-2V-4.25"},
                          true);
  CHECK(result.exit_code == 1);
  CHECK(
      result.output ==
      R"({"name":"SCS-2V-4-20s","valid":true,"tolerated_v1":false,"error":null,"cpus":2,"cpu_type":"V",)"
      R"("insecure":false,"ram_gib":4,"ram_no_ecc":false,"ram_oversubscribed":false,)"
      R"("disk":{"count":1,"size_gb":20,"type":"s"},"hypervisor":null,"hwvirt":false,"cpu_brand":null,)"
      R"("gpu":null,"ib":false,"canonical":"SCS-2V-4-20s"})"
      "\n"
      R"({"name":"SCS-8Ti-3.5uo-3x10_bms_hwv_z3hh_gA3.1-96h-48h_ib","valid":true,"tolerated_v1":false,)"
      R"("error":null,"cpus":8,"cpu_type":"T","insecure":true,"ram_gib":3.5,"ram_no_ecc":true,)"
      R"("ram_oversubscribed":true,"disk":{"count":3,"size_gb":10,"type":null},"hypervisor":"bms",)"
      R"("hwvirt":true,"cpu_brand":{"vendor":"z","gen":3,"perf":"hh"},)"
      R"("gpu":{"type":"g","brand":"A","gen":"3.1","units":96,"vram_gib":48},"ib":true,)"
      R"("canonical":"SCS-8Ti-3.5uo-3x10_bms_hwv_z3hh_gA3.1-96h-48h_ib"})"
      "\n"
      R"({"name":"SCS-1L:1:5","valid":false,"tolerated_v1":true,"error":null,"cpus":1,"cpu_type":"L",)"
      R"("insecure":false,"ram_gib":1,"ram_no_ecc":false,"ram_oversubscribed":false,)"
      R"("disk":{"count":1,"size_gb":5,"type":null},"hypervisor":null,"hwvirt":false,"cpu_brand":null,)"
      R"("gpu":null,"ib":false,"canonical":"SCS-1L-1-5"})"
      "\n"
      R"({"name":"SCS-2C-4-","valid":true,"tolerated_v1":false,"error":null,"cpus":2,"cpu_type":"C",)"
      R"("insecure":false,"ram_gib":4,"ram_no_ecc":false,"ram_oversubscribed":false,)"
      R"("disk":{"count":1,"size_gb":null,"type":null},"hypervisor":null,"hwvirt":false,"cpu_brand":null,)"
      R"("gpu":null,"ib":false,"canonical":"SCS-2C-4-"})"
      "\n"
      R"({"name":"SCS-2V-4.25","valid":false,"tolerated_v1":false,)"
      R"("error":"RAM must be a multiple of 0.5 GiB, not 4.25","cpus":null,"cpu_type":null,"insecure":null,)"
      R"("ram_gib":null,"ram_no_ecc":null,"ram_oversubscribed":null,"disk":null,"hypervisor":null,)"
      R"("hwvirt":null,"cpu_brand":null,"gpu":null,"ib":null,"canonical":null})"
      "\n");
}

TEST_CASE("flavor-name - reads names from stdin", "[cli][flavor-name]") {
  SECTION("one per line, LF or CRLF line ends, empty lines skipped") {
    const auto result = run({"-"}, false, "SCS-2V-4\r\n\nSCS-1L-1\n\r\nSCS-1V-2");
    CHECK(result.exit_code == 0);
    CHECK(result.output ==
          "SCS-2V-4: 2 shared-core vCPUs, 4 GiB RAM, no disk (boot from a volume)\n"
          "SCS-1L-1: 1 crowded-core vCPU (heavily oversubscribed), 1 GiB RAM, no disk (boot from a volume)\n"
          "SCS-1V-2: 1 shared-core vCPU, 2 GiB RAM, no disk (boot from a volume)\n");
  }
  SECTION("only the line end is removed: surrounding blanks are part of the name, which is invalid") {
    for (const std::string input : {"SCS-2V-4 \n", "SCS-2V-4\t\n", " SCS-2V-4\n", "SCS-2V-4 \r\n"}) {
      CAPTURE(input);
      const auto result = run({"-"}, true, input);
      CHECK(result.exit_code == 1);
      const auto name = input.substr(0, input.find_first_of("\r\n"));
      CHECK_THAT(result.output,
                 Catch::StartsWith(R"({"name":)" + nlohmann::json(name).dump() + R"(,"valid":false)"));
    }
    // the same name without the blank is valid: the blank alone makes the difference
    CHECK(run({"-"}, true, "SCS-2V-4\n").exit_code == 0);
    const auto text = run({"-"}, false, "SCS-2V-4 \n");
    CHECK(text.exit_code == 1);
    CHECK_THAT(text.output, Catch::StartsWith("SCS-2V-4 : INVALID: "));
  }
  SECTION("a carriage return inside a line is not a line end") {
    const auto result = run({"-"}, false, "SCS-2V-4\r\r\n");
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::StartsWith("SCS-2V-4\r: INVALID: "));
  }
  SECTION("mixed with arguments, in order") {
    const auto result = run({"SCS-1V-2", "-"}, true, "SCS-x\n");
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::StartsWith(R"({"name":"SCS-1V-2","valid":true)"));
    CHECK_THAT(result.output, Catch::Contains(R"({"name":"SCS-x","valid":false)"));
  }
  SECTION("bytes that are not UTF-8 do not break the JSON") {
    const auto result = run({"-"}, true, "SCS-2V-4\xff\n");
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::StartsWith("{\"name\":\"SCS-2V-4\xef\xbf\xbd\",\"valid\":false"));
  }
}

TEST_CASE("flavor-name without names is a usage error", "[cli][flavor-name]") {
  CHECK_THROWS_AS(run({}, false), scs::UsageError);
}
