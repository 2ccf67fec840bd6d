#include "workload.h"

#include <random>
#include <string>

namespace stockroom::bench {

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

std::size_t fill(Ledger& ledger, const WorkloadShape& shape, std::size_t movements) {
  std::mt19937_64 rng(shape.seed);
  const auto pick = [&](int n) { return static_cast<Id>(rng() % static_cast<std::uint64_t>(n)) + 1; };
  Context ctx{{7, "Bench Clerk"}, shape.start};
  std::size_t commands = 0;
  // Initial stock: every product in its home workspace.
  for (int p = 1; p <= shape.products && ledger.movement_count() < movements; ++p) {
    InitialStockCommand cmd;
    cmd.workspace_id = 1 + p % shape.workspaces;
    cmd.items.push_back({p, 500 * kScale, 2 * kScale, std::nullopt});
    (void)ledger.initial_stock(ctx, cmd);
    ++commands;
  }
  Id invoice = 0;
  while (ledger.movement_count() < movements) {
    ctx.at += shape.step;
    const Id product = pick(shape.products);
    const Id workspace = pick(shape.workspaces);
    const Raw quantity = static_cast<Raw>(1 + rng() % 10) * kScale;
    switch (rng() % 10) {
      case 0:
      case 1: {
        PurchaseCommand cmd;
        cmd.workspace_id = workspace;
        cmd.reference = "PO-" + std::to_string(commands);
        cmd.items.push_back({product, quantity * 5, 3 * kScale});
        (void)ledger.purchase(ctx, cmd);
        break;
      }
      case 2:
      case 3:
      case 4:
      case 5: {
        SellCommand cmd;
        cmd.workspace_id = workspace;
        cmd.invoice_id = ++invoice;
        cmd.lines.push_back({product, quantity});
        (void)ledger.sell(ctx, cmd);
        break;
      }
      case 6:
      case 7:
      case 8: {
        TransferCommand cmd;
        cmd.product_id = product;
        cmd.from_workspace_id = 1 + product % shape.workspaces;
        cmd.to_workspace_id = workspace == cmd.from_workspace_id ? 1 + workspace % shape.workspaces
                                                                 : workspace;
        cmd.quantity = quantity;
        (void)ledger.transfer(ctx, cmd);
        break;
      }
      default: {
        AdjustCommand cmd;
        cmd.workspace_id = 1 + product % shape.workspaces;
        cmd.items.push_back({product, rng() % 2 ? quantity : -quantity,
                             rng() % 2 ? Reason::kDamaged : Reason::kFound, "", std::nullopt});
        (void)ledger.adjust(ctx, cmd);
        break;
      }
    }
    ++commands;
  }
  return commands;
}

}  // namespace stockroom::bench
