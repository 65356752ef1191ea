// The composition root: parses the command line and runs a subcommand.
#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "core/crypto.hpp"

using linli::app::Config;

int main(int argc, char** argv) {
  linli::crypto::InitCrypto();
  CLI::App app{"linli 邻里卡盟 — community resource alliance server"};
  app.require_subcommand(1);

  std::string config_file;
  Config flags;
  app.add_option("--config", config_file, "TOML configuration file");
  auto* db = app.add_option("--db", flags.db, "sqlite:PATH or postgresql://... (or LINLI_DB)");
  app.fallthrough();

  auto* serve = app.add_subcommand("serve", "serve the API and the web UI");
  auto* port = serve->add_option("--port", flags.port, "TCP port (0 = any free port)");
  auto* address = serve->add_option("--address", flags.address, "address to bind");
  auto* threads = serve->add_option("--threads", flags.io_threads, "I/O threads (default: cores)");
  auto* workers = serve->add_option("--workers", flags.worker_threads, "handler threads");
  auto* web_root = serve->add_option("--web-root", flags.web_root, "built web UI folder");

  app.add_subcommand("migrate", "apply database migrations");
  int scale = 0;
  auto* seed = app.add_subcommand("seed-demo", "create the demo community 阳光社区 (idempotent)");
  seed->add_option("--scale", scale,
                   "also generate N synthetic households and N listed resource cards (benchmarks)");

  auto* admin = app.add_subcommand("admin", "administration");
  admin->require_subcommand(1);
  auto* admin_create = admin->add_subcommand("create", "create or promote a community admin");
  std::string admin_login, admin_password, admin_name = "管理员", admin_community = "阳光社区";
  admin_create->add_option("--login", admin_login)->required();
  admin_create->add_option("--password", admin_password, "or LINLI_ADMIN_PASSWORD")
      ->envname("LINLI_ADMIN_PASSWORD")
      ->required();
  admin_create->add_option("--name", admin_name, "display name");
  admin_create->add_option("--community", admin_community, "community name");

  auto* import = app.add_subcommand("import", "bulk import");
  import->require_subcommand(1);
  auto* import_resources =
      import->add_subcommand("resources", "resource cards from a survey CSV (all or nothing)");
  std::string import_file, import_community = "阳光社区", import_owner,
                           import_lifecycle = "pending_review";
  import_resources->add_option("FILE", import_file, "UTF-8 CSV (docs/resources-csv.md)")
      ->required();
  import_resources->add_option("--community", import_community, "community name");
  import_resources->add_option("--owner", import_owner, "login that will own the cards")
      ->required();
  import_resources->add_option("--lifecycle", import_lifecycle,
                               "draft, pending_review (default) or listed");

  app.add_subcommand("verify-audit", "verify every audit hash chain");
  app.add_subcommand("verify-ledger", "prove every points/time ledger balances");
  app.add_subcommand("rotate-keys",
                     "re-seal every sensitive value under the current data key (after adding one)");
  app.add_subcommand("version", "print the version");

  CLI11_PARSE(app, argc, argv);

  Config config;
  if (!config_file.empty()) {
    if (auto status = linli::app::ApplyTomlFile(config_file, config); !status) {
      return linli::app::ReportFatal(status.error());
    }
  }
  if (auto status = linli::app::ApplyEnvironment(config); !status) {
    return linli::app::ReportFatal(status.error());
  }
  // Flags win over the file and the environment.
  if (db->count() > 0) config.db = flags.db;
  if (port->count() > 0) config.port = flags.port;
  if (address->count() > 0) config.address = flags.address;
  if (threads->count() > 0) config.io_threads = flags.io_threads;
  if (workers->count() > 0) config.worker_threads = flags.worker_threads;
  if (web_root->count() > 0) config.web_root = flags.web_root;

  if (app.got_subcommand("serve")) return linli::app::RunServe(config);
  if (app.got_subcommand("migrate")) return linli::app::RunMigrate(config);
  if (app.got_subcommand("seed-demo")) return linli::app::RunSeedDemo(config, scale);
  if (admin_create->parsed()) {
    return linli::app::RunAdminCreate(config, admin_login, admin_password, admin_name,
                                      admin_community);
  }
  if (import_resources->parsed()) {
    return linli::app::RunImportResources(config, import_file, import_community, import_owner,
                                          import_lifecycle);
  }
  if (app.got_subcommand("verify-audit")) return linli::app::RunVerifyAudit(config);
  if (app.got_subcommand("verify-ledger")) return linli::app::RunVerifyLedger(config);
  if (app.got_subcommand("rotate-keys")) return linli::app::RunRotateKeys(config);
  std::printf("linli %s\n", LINLI_VERSION);
  return 0;
}
