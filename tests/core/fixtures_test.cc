// Replays every golden scenario of tests/fixtures/*.json through stockroom::handle()
// and checks each answer against the step's `expect` (a deep subset match, see
// tests/fixtures/README.md). The same files are replayed by the JS package and the
// HTTP tests. Plain std::ifstream / std::filesystem only: this test also runs as
// WebAssembly under node with NODERAWFS.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.h"

#ifndef STOCKROOM_FIXTURES_DIR
#error "STOCKROOM_FIXTURES_DIR must be defined (tests/CMakeLists.txt does it)"
#endif

namespace stockroom::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> FixtureFiles() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(STOCKROOM_FIXTURES_DIR, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".json") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(Fixtures, DirectoryHoldsTheScenarios) {
  std::vector<fs::path> files = FixtureFiles();
  EXPECT_GE(files.size(), 8u) << "fixtures dir: " << STOCKROOM_FIXTURES_DIR;
  std::vector<std::string> names;
  for (const fs::path& f : files) names.push_back(f.stem().string());
  for (const char* wanted : {"basic-initial-stock", "transfers", "adjustments", "sales-and-void",
                             "purchases", "low-stock", "report", "decimals-and-errors", "counts"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), wanted), names.end()) << wanted;
  }
}

// One test per fixture file, named after it ("Fixtures/Replay.report").
class Replay : public ::testing::TestWithParam<fs::path> {};

TEST_P(Replay, EveryStepMatches) {
  const fs::path file = GetParam();
  const std::string fixture = file.filename().string();
  json doc = json::parse(ReadFile(file), nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(doc.is_discarded()) << fixture << ": not valid JSON";
  ASSERT_TRUE(doc.is_object()) << fixture;
  ASSERT_TRUE(doc.contains("name") && doc["name"].is_string()) << fixture << ": no name";
  ASSERT_TRUE(doc.contains("description") && doc["description"].is_string())
      << fixture << ": no description";
  ASSERT_TRUE(doc.contains("steps") && doc["steps"].is_array() && !doc["steps"].empty())
      << fixture << ": no steps";
  EXPECT_EQ(doc["name"].get<std::string>(), file.stem().string())
      << fixture << ": name should match the file name";

  Ledger ledger;  // every scenario starts from an empty ledger
  // The same steps through handle_json_body: the same answer without `ok`.
  Ledger forwarded;
  const json& steps = doc["steps"];
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const json& step = steps[i];
    ASSERT_TRUE(step.is_object() && step.contains("request") && step.contains("expect"))
        << fixture << " step " << i << ": needs request and expect";
    const json& request = step["request"];
    const std::string op = request.is_object() && request.contains("op") && request["op"].is_string()
                               ? request["op"].get<std::string>()
                               : std::string("?");
    json response = handle(ledger, request);
    std::string mismatch = SubsetMismatch(step["expect"], response);
    EXPECT_TRUE(mismatch.empty())
        << "fixture " << fixture << ", step " << i << " (op " << op
        << (step.contains("note") ? ": " + step["note"].get<std::string>() : std::string())
        << "): " << mismatch << "\n  response: " << response.dump();

    const AnswerBody body = handle_json_body(forwarded, request.dump());
    json unwrapped = response;
    unwrapped.erase("ok");
    EXPECT_EQ(body.ok, response["ok"] == true) << fixture << " step " << i << " (op " << op << ")";
    EXPECT_EQ(json::parse(body.document, nullptr, false), unwrapped)
        << fixture << " step " << i << " (op " << op << "): " << body.document;
  }
  // Whatever the scenario did, the kept levels agree with the movements.
  json verify = handle(ledger, json{{"op", "verify"}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"differences", json::array()}}, verify)) << fixture;
}

std::string FixtureTestName(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.stem().string();
  for (char& c : name) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Replay, ::testing::ValuesIn(FixtureFiles()), FixtureTestName);
// An empty directory is reported by Fixtures.DirectoryHoldsTheScenarios.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Replay);

TEST(Fixtures, SubsetMatcherSemantics) {
  // The matcher itself must be able to fail, or the fixtures prove nothing.
  json actual = {{"ok", true}, {"movements", {{{"id", 1}, {"quantity", "5.00"}, {"x", 1}}}}};
  EXPECT_EQ(SubsetMismatch(json{{"ok", true}}, actual), "");
  EXPECT_EQ(SubsetMismatch(json{{"movements", {{{"id", 1}}}}}, actual), "");
  EXPECT_NE(SubsetMismatch(json{{"ok", false}}, actual), "");
  EXPECT_NE(SubsetMismatch(json{{"missing", 1}}, actual), "");
  EXPECT_NE(SubsetMismatch(json{{"movements", json::array()}}, actual), "");  // lengths differ
  EXPECT_NE(SubsetMismatch(json{{"movements", {{{"quantity", "5"}}}}}, actual), "");
  EXPECT_NE(SubsetMismatch(json{{"movements", {{{"id", nullptr}}}}}, actual), "");
  EXPECT_EQ(SubsetMismatch(json{{"movements", {{{"id", 1}}}}}, actual).find("$.movements"),
            std::string::npos);
  std::string m = SubsetMismatch(json{{"movements", {{{"quantity", "6.00"}}}}}, actual);
  EXPECT_NE(m.find("$.movements[0].quantity"), std::string::npos) << m;
}

}  // namespace
}  // namespace stockroom::testing
