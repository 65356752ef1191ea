#include "http/static_files.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "support/temp_store.hpp"

namespace linli::http {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.path() / "web" / "assets");
    std::ofstream(dir_.path() / "web" / "index.html") << "<html>app</html>";
    std::ofstream(dir_.path() / "web" / "assets" / "app-1234.js") << "console.log(1)";
    std::ofstream(dir_.path() / "secret.txt") << "secret";
  }
  Response Get(const std::string& path) {
    StaticFiles files(dir_.path() / "web");
    Request request;
    request.path = path;
    return files.Serve(request);
  }
  testing::TempDir dir_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  auto js = Get("/assets/app-1234.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_TRUE(js.content_type.starts_with("text/javascript"));
  auto index = Get("/");
  EXPECT_EQ(index.body, "<html>app</html>");
}

TEST_F(StaticFilesTest, UnknownRoutesWithoutExtensionGetTheApp) {
  EXPECT_EQ(Get("/market/42").body, "<html>app</html>");
  EXPECT_EQ(Get("/assets/missing.js").status, 404);
}

TEST_F(StaticFilesTest, RejectsTraversal) {
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/..", "/.env",
                           "/assets/..\\..\\secret.txt"}) {
    auto response = Get(path);
    EXPECT_EQ(response.status, 400) << path;
    EXPECT_EQ(response.body.find("secret"), std::string::npos) << path;
  }
}

}  // namespace
}  // namespace linli::http
