// Property-test harness for the Stockroom ledger: a fixed catalog, a seeded
// random command generator, an independent reference model of what every
// command must do (written from API.md sections 2-4, docs/core-protocol.md
// and docs/journal-format.md, not from core/src), and a runner that checks
// the ledger against the model after every step.
//
// Knobs (environment):
//   STOCKROOM_PROPS_STEPS         random commands per seed (default 10000)
//   STOCKROOM_PROPS_PERIOD        steps between deep checks (default 500)
//   STOCKROOM_PROPS_VERIFY_EVERY  steps between verify() calls (default 1)
//   STOCKROOM_PROPS_TRACE         when set, prints every command to stderr
#ifndef STOCKROOM_TESTS_PROPS_PROPS_HARNESS_H_
#define STOCKROOM_TESTS_PROPS_PROPS_HARNESS_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "stockroom/ledger.h"

namespace props {

using stockroom::Id;
using stockroom::Millis;
using stockroom::Raw;

/// (product id, workspace id).
using Key = std::pair<Id, Id>;

struct Catalog {
  std::vector<stockroom::WorkspaceInfo> workspaces;
  std::vector<stockroom::ProductInfo> products;

  [[nodiscard]] const stockroom::ProductInfo* product(Id id) const;
  [[nodiscard]] const stockroom::WorkspaceInfo* workspace(Id id) const;
  /// Registered and active.
  [[nodiscard]] bool usable_workspace(Id id) const;
};

/// Four workspaces (one inactive) and twenty products with decimals 0..4,
/// some allowing negative stock, three untracked; then thirty more products
/// that the runner registers one by one as a run goes on (fresh levels for
/// initial stock). Ids are deliberately not contiguous.
const Catalog& catalog();
inline constexpr std::size_t kBaseProducts = 20;
/// Registers the workspaces and the first `products` products (fails the
/// test case on error).
void register_catalog(stockroom::Ledger& ledger, std::size_t products);

using AnyCommand =
    std::variant<stockroom::InitialStockCommand, stockroom::AdjustCommand,
                 stockroom::TransferCommand, stockroom::SellCommand,
                 stockroom::VoidSaleCommand, stockroom::PurchaseCommand,
                 stockroom::CountCommand, stockroom::SetMinimumCommand>;
inline constexpr int kCommandKinds = 8;
const char* command_kind_name(std::size_t index);

struct Step {
  stockroom::Context ctx;
  AnyCommand cmd;
};

/// One line per step, precise enough to rebuild the command by hand.
std::string describe(const Step& step);

/// Runs a step against a ledger.
stockroom::Result<stockroom::CommandOutcome> execute(stockroom::Ledger& ledger,
                                                     const Step& step);

/// What the reference model says a command must do.
struct Expected {
  /// Acceptable error codes; empty means the command must succeed.
  std::set<stockroom::ErrorCode> errors;
  /// The documents leave the outcome open (either succeeding or failing with
  /// one of `errors` is acceptable).
  bool may_succeed = false;
  /// Movements the command writes on success, ids and balances filled in.
  std::vector<stockroom::Movement> movements;
  /// Per movement: fields the documents leave open are checked loosely
  /// (the reversal of a sale: from/to/reference).
  std::vector<bool> loose;
  /// Minimums set on success.
  std::vector<stockroom::MinimumChange> minimums;
  /// Levels that may be named in insufficient_stock / stale_quantity details.
  std::set<Key> detail_keys;
  /// Levels a successful command names (initial stock, set_minimum).
  std::set<Key> touched;
  /// For a void: the invoice that becomes voided.
  std::optional<Id> voids;
  /// For a sell: the invoice and its new sale movement ids.
  std::optional<Id> sells;
};

struct InvoiceState {
  std::vector<Id> sales;  // original sale movement ids
  bool voided = false;
};

/// The reference model: levels, minimums and the movement list as they must
/// be, predicted from the commands alone.
struct Model {
  std::map<Key, Raw> levels;
  std::map<Key, Raw> minimums;
  std::set<Key> moved;    // levels with at least one movement
  std::set<Key> touched;  // moved, or named by initial stock / set_minimum
  std::vector<stockroom::Movement> movements;  // index = id - 1
  std::map<Id, InvoiceState> invoices;
  Millis last_time = 0;
  std::size_t registered = kBaseProducts;  // products registered so far

  /// The catalog product if it is registered yet, else nullptr.
  [[nodiscard]] const stockroom::ProductInfo* known(Id id) const;
  [[nodiscard]] Raw level(Id product, Id workspace) const;
  [[nodiscard]] Raw minimum(Id product, Id workspace) const;
  [[nodiscard]] Raw level_before(Id product, Id workspace, Millis before) const;
  [[nodiscard]] Expected predict(const Step& step) const;
  void commit(const Expected& expected);
};

/// Seeded command source. Uses only its own generator and the model, never
/// the ledger, so a seed always gives the same commands.
class Generator {
 public:
  explicit Generator(std::uint64_t seed);
  Step next(const Model& model);
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
  Millis clock() const { return clock_; }
  /// Moves the generator's clock (e.g. back to before a rolled-back burst).
  void set_clock(Millis at) { clock_ = at; }

 private:
  stockroom::Context context();
  Id pick_workspace();
  Id pick_product(int untracked_percent);
  std::vector<Id> distinct_products(std::size_t n, int untracked_percent);
  Raw amount(int decimals);
  Raw decrease(const Model& model, Id product, Id workspace);
  Raw money();
  std::string reference();
  std::string notes();
  void mutate(Step& step, const Model& model);

  std::mt19937_64 rng_;
  std::size_t registered_ = kBaseProducts;
  Millis clock_;
  Id next_invoice_ = 5000;
  std::vector<Id> invoices_;  // every invoice id a sell has used
  std::vector<Id> voided_;    // invoice ids of recent void commands
};

struct RunOptions {
  std::uint64_t seed = 1;
  long steps = 10000;
  bool checks = true;
};

struct RunStats {
  std::string journal;  // export_journal() at the end
  long steps = 0;       // main-loop commands
  long burst_steps = 0; // commands later rolled back
  std::size_t movements = 0;
  std::array<long, kCommandKinds> ok_by_kind{};
  std::array<long, kCommandKinds> failed_by_kind{};
  std::map<std::string, long> errors;  // by code name
  long rollbacks = 0;
  long replays = 0;
  long reports = 0;
};

/// Runs a seed. With checks, every step is compared with the model and the
/// deep checks (queries, checkpoint/rollback, journal replay) run
/// periodically; a violated property fails the current test case with the
/// seed, the step and the command.
RunStats run(const RunOptions& options);

long env_long(const char* name, long fallback);
long default_steps();

}  // namespace props

#endif  // STOCKROOM_TESTS_PROPS_PROPS_HARNESS_H_
