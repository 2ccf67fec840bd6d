#include "workload.h"

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace stockroom::bench {

CommandStream::CommandStream(const WorkloadShape& shape)
    : shape_(shape), rng_(shape.seed), at_(shape.start) {}

TimedCommand CommandStream::next() {
  const int w = shape_.workspaces;
  if (next_product_ <= shape_.products) {  // initial stock: every product in its home workspace
    const int p = next_product_++;
    InitialStockCommand cmd;
    cmd.workspace_id = 1 + p % w;
    cmd.items.push_back({p, 500 * kScale, 2 * kScale, std::nullopt});
    ++commands_;
    return {at_, std::move(cmd)};
  }
  const auto pick = [&](int n) { return static_cast<Id>(rng_() % static_cast<std::uint64_t>(n)) + 1; };
  at_ += shape_.step;
  const Id product = pick(shape_.products);
  const Id workspace = pick(w);
  const Raw quantity = static_cast<Raw>(1 + rng_() % 10) * kScale;
  TimedCommand out{at_, {}};
  switch (rng_() % 10) {
    case 0:
    case 1: {
      PurchaseCommand cmd;
      cmd.workspace_id = workspace;
      cmd.reference = "PO-" + std::to_string(commands_);
      cmd.items.push_back({product, quantity * 5, 3 * kScale});
      out.command = std::move(cmd);
      break;
    }
    case 2:
    case 3:
    case 4:
    case 5: {
      SellCommand cmd;
      cmd.workspace_id = workspace;
      cmd.invoice_id = ++invoice_;
      cmd.lines.push_back({product, quantity});
      out.command = std::move(cmd);
      break;
    }
    case 6:
    case 7:
    case 8: {
      TransferCommand cmd;
      cmd.product_id = product;
      cmd.from_workspace_id = 1 + product % w;
      cmd.to_workspace_id = workspace == cmd.from_workspace_id ? 1 + workspace % w : workspace;
      cmd.quantity = quantity;
      out.command = std::move(cmd);
      break;
    }
    default: {
      AdjustCommand cmd;
      cmd.workspace_id = 1 + product % w;
      cmd.items.push_back({product, rng_() % 2 ? quantity : -quantity,
                           rng_() % 2 ? Reason::kDamaged : Reason::kFound, "", std::nullopt});
      out.command = std::move(cmd);
      break;
    }
  }
  ++commands_;
  return out;
}

void register_catalog(Ledger& ledger, const WorkloadShape& shape) {
  for (int w = 1; w <= shape.workspaces; ++w) {
    (void)ledger.upsert_workspace({w, "Workspace " + std::to_string(w), true});
  }
  for (int p = 1; p <= shape.products; ++p) {
    ProductInfo info;
    info.id = p;
    info.sku = "SKU-" + std::to_string(p);
    info.name = "Product " + std::to_string(p);
    info.decimals = p % 5 == 0 ? 3 : 2;
    (void)ledger.upsert_product(info);
    (void)ledger.load_minimum({p, 1 + p % shape.workspaces, 20 * kScale});
  }
}

std::string catalog_json(const WorkloadShape& shape) {
  nlohmann::json workspaces = nlohmann::json::array();
  nlohmann::json products = nlohmann::json::array();
  nlohmann::json minimums = nlohmann::json::array();
  for (int w = 1; w <= shape.workspaces; ++w) {
    workspaces.push_back({{"id", w}, {"name", "Workspace " + std::to_string(w)}, {"active", true}});
  }
  for (int p = 1; p <= shape.products; ++p) {
    products.push_back({{"id", p},
                        {"sku", "SKU-" + std::to_string(p)},
                        {"name", "Product " + std::to_string(p)},
                        {"decimals", p % 5 == 0 ? 3 : 2}});
    minimums.push_back(
        {{"product_id", p}, {"workspace_id", 1 + p % shape.workspaces}, {"minimum_quantity", "20"}});
  }
  return nlohmann::json{{"op", "register"},
                        {"workspaces", workspaces},
                        {"products", products},
                        {"minimums", minimums}}
      .dump();
}

namespace {
Context context_of(const TimedCommand& c) { return Context{kBenchActor, c.at}; }

struct Applier {
  Ledger& ledger;
  const Context& ctx;
  bool operator()(const InitialStockCommand& c) const { return ledger.initial_stock(ctx, c).ok(); }
  bool operator()(const PurchaseCommand& c) const { return ledger.purchase(ctx, c).ok(); }
  bool operator()(const SellCommand& c) const { return ledger.sell(ctx, c).ok(); }
  bool operator()(const TransferCommand& c) const { return ledger.transfer(ctx, c).ok(); }
  bool operator()(const AdjustCommand& c) const { return ledger.adjust(ctx, c).ok(); }
};

// Every generated quantity is whole or has at most 4 places: the protocol's decimal string.
std::string qty(Raw raw) { return format_decimal(raw, raw % kScale == 0 ? 0 : kScalePlaces); }

struct Encoder {
  nlohmann::json& j;
  void operator()(const InitialStockCommand& c) const {
    j["op"] = "initial_stock";
    j["workspace_id"] = c.workspace_id;
    for (const auto& i : c.items) {
      nlohmann::json item{{"product_id", i.product_id}, {"quantity", qty(i.quantity)}};
      if (i.cost_per_unit) item["cost_per_unit"] = qty(*i.cost_per_unit);
      j["items"].push_back(item);
    }
  }
  void operator()(const PurchaseCommand& c) const {
    j["op"] = "purchase";
    j["workspace_id"] = c.workspace_id;
    if (!c.reference.empty()) j["reference"] = c.reference;
    for (const auto& i : c.items) {
      nlohmann::json item{{"product_id", i.product_id}, {"quantity", qty(i.quantity)}};
      if (i.unit_cost) item["unit_cost"] = qty(*i.unit_cost);
      j["items"].push_back(item);
    }
  }
  void operator()(const SellCommand& c) const {
    j["op"] = "sell";
    j["workspace_id"] = c.workspace_id;
    j["invoice_id"] = c.invoice_id;
    for (const auto& l : c.lines) j["lines"].push_back({{"product_id", l.product_id}, {"quantity", qty(l.quantity)}});
  }
  void operator()(const TransferCommand& c) const {
    j["op"] = "transfer";
    j["product_id"] = c.product_id;
    j["from_workspace_id"] = c.from_workspace_id;
    j["to_workspace_id"] = c.to_workspace_id;
    j["quantity"] = qty(c.quantity);
  }
  void operator()(const AdjustCommand& c) const {
    j["op"] = "adjust";
    j["workspace_id"] = c.workspace_id;
    for (const auto& i : c.items) {
      j["items"].push_back({{"product_id", i.product_id},
                            {"quantity", qty(i.quantity)},
                            {"reason", std::string(reason_name(i.reason))}});
    }
  }
};
}  // namespace

bool apply(Ledger& ledger, const TimedCommand& command) {
  const Context ctx = context_of(command);
  return std::visit(Applier{ledger, ctx}, command.command);
}

std::string command_json(const TimedCommand& command) {
  nlohmann::json j = nlohmann::json::object();
  std::visit(Encoder{j}, command.command);
  j["actor"] = {{"id", kBenchActor.id}, {"name", kBenchActor.name}};
  j["at"] = command.at;
  return j.dump();
}

std::size_t fill(Ledger& ledger, const WorkloadShape& shape, std::size_t movements) {
  CommandStream stream(shape);
  std::size_t commands = 0;
  while (ledger.movement_count() < movements) {
    (void)apply(ledger, stream.next());
    ++commands;
  }
  return commands;
}

MovementFilter report_month_filter() {
  MovementFilter filter;
  filter.workspace_id = 3;
  filter.from = WorkloadShape{}.start + 2 * kMillisPerDay;
  filter.until = *filter.from + 30 * kMillisPerDay;
  return filter;
}

std::string size_label(std::size_t n) {
  if (n % 1'000'000 == 0) return std::to_string(n / 1'000'000) + "M";
  if (n % 1'000 == 0) return std::to_string(n / 1'000) + "k";
  return std::to_string(n);
}

std::vector<std::size_t> parse_sizes(const std::string& text) {
  std::vector<std::size_t> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stoull(item));
  return out;
}

}  // namespace stockroom::bench
