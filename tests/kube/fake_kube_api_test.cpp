#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "clients/http/curl_transport.hpp"
#include "core/errors.hpp"
#include "tests/support/fake_kube_api.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using scs::test::FakeKubeApi;

/// A plain libcurl client trusting the test CA, with a bearer token or the test client cert.
struct Client {
  const FakeKubeApi& api;
  std::string token = "good-token";
  bool certificate = false;

  scs::HttpResponse send(const std::string& method, const std::string& path,
                         const std::string& body = {}) const {
    scs::TransportOptions options;
    options.ca_file = api.pki().ca_file.string();
    options.max_retries = 0;
    options.request_timeout = 2000ms;
    if (certificate) {
      options.client_cert = api.pki().client_cert_file.string();
      options.client_key = api.pki().client_key_file.string();
    }
    scs::CurlTransport transport(options);
    scs::HttpRequest request{method, api.server() + path, {{"Accept", "application/json"}}, body};
    if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    return transport.send(request);
  }
  json get(const std::string& path) const {
    const auto response = send("GET", path);
    INFO(response.body);
    REQUIRE(response.status == 200);
    return json::parse(response.body);
  }
};

json pvc(const std::string& name, const std::string& storage_class = {}) {
  json claim{
      {"apiVersion", "v1"},
      {"kind", "PersistentVolumeClaim"},
      {"metadata", {{"name", name}}},
      {"spec", {{"accessModes", {"ReadWriteOnce"}}, {"resources", {{"requests", {{"storage", "1Gi"}}}}}}}};
  if (!storage_class.empty()) claim["spec"]["storageClassName"] = storage_class;
  return claim;
}

}  // namespace

TEST_CASE("fake API: /version and lists of the good cluster over TLS with a bearer token") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const Client client{api};
  CHECK(client.get("/version")["gitVersion"] == "v1.35.3");
  const auto nodes = client.get("/api/v1/nodes");
  CHECK(nodes["kind"] == "NodeList");
  CHECK(nodes["items"].size() == 6);
  CHECK(client.get("/apis/storage.k8s.io/v1/storageclasses")["items"].size() == 2);
  CHECK(client.get("/api/v1/pods")["items"].size() == 1);  // all namespaces
  CHECK(client.get("/api/v1/namespaces/kube-system/pods")["items"].size() == 1);
  CHECK(client.get("/api/v1/namespaces/default/pods")["items"].empty());
  CHECK(client.get("/api/v1/nodes/cp-1")["metadata"]["labels"]["topology.kubernetes.io/zone"] == "zone-b");
  const auto requests = api.requests();
  REQUIRE_FALSE(requests.empty());
  CHECK(requests.back().user == "kube-admin");
  CHECK(requests.back().auth == "token");
}

TEST_CASE("fake API: lists page with limit/continue and filter by label and field") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const Client client{api};
  const auto first = client.get("/api/v1/nodes?limit=4");
  CHECK(first["items"].size() == 4);
  const std::string next = first["metadata"]["continue"];
  const auto second = client.get("/api/v1/nodes?limit=4&continue=" + next);
  CHECK(second["items"].size() == 2);
  CHECK_FALSE(second["metadata"].contains("continue"));
  CHECK(client.get("/api/v1/nodes?labelSelector=node-role.kubernetes.io%2Fcontrol-plane")["items"].size() ==
        3);
  CHECK(client.get("/api/v1/nodes?labelSelector=topology.kubernetes.io%2Fzone%3Dzone-a")["items"].size() ==
        2);
  CHECK(client.get("/api/v1/nodes?labelSelector=topology.kubernetes.io%2Fzone!%3Dzone-a")["items"].size() ==
        4);
  CHECK(client.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dworker-0")["items"].size() == 1);
}

TEST_CASE("fake API: authentication by token, client certificate, or not at all") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  SECTION("a wrong token is 401 with a Status object, also on anonymous paths") {
    const Client client{api, "wrong"};
    const auto response = client.send("GET", "/version");
    CHECK(response.status == 401);
    CHECK(json::parse(response.body)["reason"] == "Unauthorized");
    CHECK(client.send("GET", "/healthz").status == 401);
  }
  SECTION("no credential is 401 except on anonymous paths") {
    const Client client{api, ""};
    CHECK(client.send("GET", "/version").status == 401);
    CHECK(client.send("GET", "/healthz").status == 200);
  }
  SECTION("a client certificate signed by the test CA authenticates as its CN") {
    const Client client{api, "", true};
    CHECK(client.get("/version")["major"] == "1");
    CHECK(api.requests().back().user == "kube-admin");
    CHECK(api.requests().back().auth == "certificate");
  }
  SECTION("a token added at runtime is accepted") {
    api.accept_token("late-token", "late-user");
    const Client client{api, "late-token"};
    CHECK(client.get("/version")["minor"] == "35");
    CHECK(api.requests().back().user == "late-user");
  }
}

TEST_CASE("fake API: create, conflict, status progression, delete, namespace deletion") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const Client client{api};
  const json namespace_object{
      {"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "scs-test"}}}};
  CHECK(client.send("POST", "/api/v1/namespaces", namespace_object.dump()).status == 201);
  CHECK(client.send("POST", "/api/v1/namespaces", namespace_object.dump()).status == 409);
  CHECK(client.send("POST", "/api/v1/namespaces/missing/persistentvolumeclaims", pvc("a").dump()).status ==
        404);

  const auto created =
      client.send("POST", "/api/v1/namespaces/scs-test/persistentvolumeclaims", pvc("data").dump());
  REQUIRE(created.status == 201);
  CHECK(json::parse(created.body)["status"]["phase"] == "Pending");
  CHECK(client.get("/api/v1/namespaces/scs-test/persistentvolumeclaims/data")["status"]["phase"] ==
        "Pending");
  const auto bound = client.get("/api/v1/namespaces/scs-test/persistentvolumeclaims/data");
  CHECK(bound["status"]["phase"] == "Bound");
  CHECK(bound["spec"]["volumeName"].get<std::string>().rfind("pvc-", 0) == 0);

  const json pod{{"apiVersion", "v1"},
                 {"kind", "Pod"},
                 {"metadata", {{"generateName", "probe-"}}},
                 {"spec", {{"containers", {{{"name", "c"}, {"image", "busybox"}}}}}}};
  const auto pod_created = client.send("POST", "/api/v1/namespaces/scs-test/pods", pod.dump());
  REQUIRE(pod_created.status == 201);
  const std::string pod_name = json::parse(pod_created.body)["metadata"]["name"];
  CHECK(pod_name.rfind("probe-", 0) == 0);
  client.get("/api/v1/namespaces/scs-test/pods");
  CHECK(client.get("/api/v1/namespaces/scs-test/pods/" + pod_name)["status"]["phase"] == "Running");

  CHECK(client.send("DELETE", "/api/v1/namespaces/scs-test/pods/" + pod_name).status == 200);
  CHECK(client.send("DELETE", "/api/v1/namespaces/scs-test/pods/" + pod_name).status == 404);
  CHECK(api.objects_in_namespace("scs-test") == 1);
  CHECK(client.send("DELETE", "/api/v1/namespaces/scs-test").status == 200);
  CHECK(api.objects_in_namespace("scs-test") == 0);
  CHECK_FALSE(api.object("/api/v1/namespaces/scs-test").has_value());
}

TEST_CASE("fake API: bad clusters keep claims and pods Pending") {
  SECTION("bad-pending: nothing ever progresses") {
    FakeKubeApi api(FakeKubeApi::fixture("bad-pending"));
    const Client client{api};
    REQUIRE(
        client.send("POST", "/api/v1/namespaces/default/persistentvolumeclaims", pvc("data").dump()).status ==
        201);
    for (int i = 0; i < 5; ++i) client.get("/api/v1/namespaces/default/persistentvolumeclaims/data");
    CHECK(api.object("/api/v1/namespaces/default/persistentvolumeclaims/data")->at("status")["phase"] ==
          "Pending");
  }
  SECTION("bad-storage: a claim on the no-provisioner class never binds, one on a CSI class does") {
    FakeKubeApi api(FakeKubeApi::fixture("bad-storage"));
    const Client client{api};
    const std::string claims = "/api/v1/namespaces/default/persistentvolumeclaims";
    REQUIRE(client.send("POST", claims, pvc("local", "local").dump()).status == 201);
    REQUIRE(client.send("POST", claims, pvc("csi", "csi-cinder").dump()).status == 201);
    for (int i = 0; i < 3; ++i) client.get(claims);
    CHECK(api.object(claims + "/local")->at("status")["phase"] == "Pending");
    CHECK(api.object(claims + "/csi")->at("status")["phase"] == "Bound");
  }
}

TEST_CASE("fake API: injected faults", "[timing]") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const Client client{api};
  SECTION("a status with a Status body, a given number of times") {
    api.inject({"GET", "/api/v1/nodes", 500, false, 0ms, 1});
    const auto failed = client.send("GET", "/api/v1/nodes");
    CHECK(failed.status == 500);
    CHECK(json::parse(failed.body)["code"] == 500);
    CHECK(client.send("GET", "/api/v1/nodes").status == 200);
  }
  SECTION("an HTML page") {
    api.inject({"", "/apis/storage.k8s.io", 403, true, 0ms, -1});
    const auto failed = client.send("GET", "/apis/storage.k8s.io/v1/storageclasses");
    CHECK(failed.status == 403);
    CHECK(failed.body.find("<html>") != std::string::npos);
  }
  SECTION("a hang outlasts the client's timeout") {
    // Hangs for as long as the test runs (a hang ends when the server stops): only the
    // client's timeout can end the request, and the message says it did.
    api.inject({"GET", "/version", 200, false, 600'000ms, -1});
    try {
      (void)client.send("GET", "/version");
      FAIL("the hanging request returned");
    } catch (const scs::UnreachableError& error) {
      CHECK_THAT(error.what(), Catch::Contains("no answer within 2000 ms"));
    }
  }
}

TEST_CASE("fake API: an untrusted client certificate ends the TLS handshake") {
  FakeKubeApi api(FakeKubeApi::fixture("good"));
  const auto [cert, key] = api.pki().foreign_client_identity();
  const auto dir = api.pki().dir;
  {
    std::ofstream(dir / "foreign.crt") << cert;
    std::ofstream(dir / "foreign.key") << key;
  }
  scs::TransportOptions options;
  options.ca_file = api.pki().ca_file.string();
  options.client_cert = (dir / "foreign.crt").string();
  options.client_key = (dir / "foreign.key").string();
  options.max_retries = 0;
  scs::CurlTransport transport(options);
  CHECK_THROWS_AS(transport.send({"GET", api.server() + "/version", {}, ""}), scs::UnreachableError);
}
