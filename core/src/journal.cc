// The journal form (docs/journal-format.md): export and a fast replay that
// parses by hand (one pass, no allocation per numeric field) because a host
// replays every movement of an organization at start-up.
#include <algorithm>
#include <charconv>
#include <cstring>

#include "ledger_state.h"

namespace stockroom {
namespace {

constexpr int kFields = 16;

void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

bool unescape(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\\') {
      *out += in[i];
      continue;
    }
    if (++i == in.size()) return false;
    switch (in[i]) {
      case '\\': *out += '\\'; break;
      case 't': *out += '\t'; break;
      case 'n': *out += '\n'; break;
      case 'r': *out += '\r'; break;
      default: return false;
    }
  }
  return true;
}

void append_id(std::string& out, Id id) {
  if (id != 0) out += std::to_string(id);
}

// An integer field; empty reads as 0 when `allow_empty`.
bool read_int(std::string_view field, bool allow_empty, std::int64_t* out) {
  if (field.empty()) {
    *out = 0;
    return allow_empty;
  }
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), *out);
  return ec == std::errc() && end == field.data() + field.size();
}

// The first `c` in [p, end), or end.
const char* find_char(const char* p, const char* end, char c) {
  const void* hit = std::memchr(p, c, static_cast<std::size_t>(end - p));
  return hit == nullptr ? end : static_cast<const char*>(hit);
}

// Splits `line` at its tabs into f[0..kFields); returns the number of fields
// found, counting at most kFields + 1.
int split_fields(std::string_view line, std::string_view (&f)[kFields]) {
  const char* p = line.data();
  const char* const end = p + line.size();
  for (int n = 0;; ++n) {
    const char* const tab = find_char(p, end, '\t');
    if (n == kFields) return kFields + 1;
    f[n] = std::string_view(p, static_cast<std::size_t>(tab - p));
    if (tab == end) return n + 1;
    p = tab + 1;
  }
}

// Whether the escaped journal field `raw` decodes to `text` (without
// decoding when it has no escape, the common case).
bool same_text(std::string_view raw, std::string_view text) {
  if (std::memchr(raw.data(), '\\', raw.size()) == nullptr) return raw == text;
  std::string decoded;
  return unescape(raw, &decoded) && decoded == text;
}

}  // namespace

std::string Ledger::export_journal(Id after_id) const {
  const LedgerState& s = *s_;
  std::string out;
  const std::size_t first = after_id < 0 ? 0 : static_cast<std::size_t>(after_id);
  for (std::size_t p = first; p < s.records.size(); ++p) {
    const Movement m = s.materialize(static_cast<std::uint32_t>(p));
    out += std::to_string(m.id);
    out += '\t';
    out += movement_type_name(m.type);
    out += '\t';
    out += std::to_string(m.product_id);
    out += '\t';
    out += std::to_string(m.workspace_id);
    out += '\t';
    out += std::to_string(m.quantity);
    out += '\t';
    append_id(out, m.from_workspace_id);
    out += '\t';
    append_id(out, m.to_workspace_id);
    out += '\t';
    out += reason_name(m.reason);
    out += '\t';
    append_id(out, m.invoice_id);
    out += '\t';
    if (m.unit_cost) out += std::to_string(*m.unit_cost);
    out += '\t';
    append_id(out, m.linked_movement_id);
    out += '\t';
    append_id(out, m.created_by.id);
    out += '\t';
    append_escaped(out, m.created_by.name);
    out += '\t';
    out += std::to_string(m.created_at);
    out += '\t';
    append_escaped(out, m.reference);
    out += '\t';
    append_escaped(out, m.notes);
    out += '\n';
  }
  return out;
}

Result<std::size_t> Ledger::replay_journal(std::string_view journal) {
  LedgerState& s = *s_;
  const Checkpoint mark = checkpoint();
  std::size_t line_no = 0;
  std::string reference, notes, actor_name;
  // Consecutive lines mostly share their actor, and transfer legs their text:
  // reuse the previous entry when equal instead of interning again.
  Index last_text = 0;
  Actor last_actor;
  Index last_actor_index = 0;
  const auto fail = [&](const std::string& why) -> Result<std::size_t> {
    s.index_positions(mark.movements);  // rollback() pops them
    rollback(mark);
    return Error::make(ErrorCode::kValidationFailed,
                       "Journal line " + std::to_string(line_no) + ": " + why);
  };
  // One reservation instead of repeated doubling (and copying) of the records.
  const auto lines = static_cast<std::size_t>(std::count(journal.begin(), journal.end(), '\n')) + 1;
  s.records.reserve(s.records.size() + lines);
  // For the replay only, a dense product x workspace -> level table in front
  // of ensure_level (a small array that stays in cache, instead of one cache
  // miss on the product's level list per line), when it is small beside the
  // journal: at most 4 entries a line, or 64 Ki entries.
  const std::uint64_t width = s.workspaces.size();
  std::vector<Index> level_of;
  if (static_cast<std::uint64_t>(s.products.size()) * width <=
      std::max<std::uint64_t>(4 * static_cast<std::uint64_t>(lines), 1u << 16)) {
    level_of.assign(static_cast<std::size_t>(s.products.size() * width), kNoIndex);
  }
  const char* pos = journal.data();
  const char* const journal_end = pos + journal.size();
  std::string_view f[kFields];
  while (pos < journal_end) {
    ++line_no;
    const char* const end = find_char(pos, journal_end, '\n');
    const std::string_view line(pos, static_cast<std::size_t>(end - pos));
    pos = end + 1;
    if (line.empty()) continue;
    const int n = split_fields(line, f);
    if (n != kFields) return fail("expected 16 fields, found " + std::to_string(n));

    std::int64_t id = 0, product_id = 0, workspace_id = 0, quantity = 0, from_id = 0, to_id = 0,
                 invoice_id = 0, cost = 0, linked = 0, actor_id = 0, at = 0;
    if (!read_int(f[0], false, &id) || id != static_cast<std::int64_t>(s.records.size()) + 1) {
      return fail("the id does not continue the ledger");
    }
    const std::optional<MovementType> type = parse_movement_type(f[1]);
    if (!type) return fail("unknown movement type");
    if (!read_int(f[2], false, &product_id) || !read_int(f[3], false, &workspace_id) ||
        !read_int(f[4], false, &quantity) || !read_int(f[5], true, &from_id) ||
        !read_int(f[6], true, &to_id) || !read_int(f[8], true, &invoice_id) ||
        !read_int(f[9], true, &cost) || !read_int(f[10], true, &linked) ||
        !read_int(f[11], true, &actor_id) || !read_int(f[13], false, &at)) {
      return fail("a numeric field does not parse");
    }
    Record r;
    r.set_type(*type);
    const Index product = s.find_product(product_id);
    const Index workspace = s.find_workspace(workspace_id);
    if (product == kNoIndex) return fail("unknown product " + std::to_string(product_id));
    if (workspace == kNoIndex) return fail("unknown workspace " + std::to_string(workspace_id));
    // Commands bound each input, not each movement (a sale sums its lines),
    // so only zero is structurally wrong; the level overflow check is below.
    if (quantity == 0) return fail("the quantity is zero");
    r.quantity = quantity;
    if (at < s.last_time) return fail("time goes backwards");
    r.created_at = at;
    if (r.type() == MovementType::kAdjustment) {
      const std::optional<Reason> reason = parse_reason(f[7]);
      if (!reason) return fail("an adjustment needs a reason");
      r.set_reason(*reason);
    }
    const Id other = r.type() == MovementType::kTransferOut  ? to_id
                     : r.type() == MovementType::kTransferIn ? from_id
                                                           : 0;
    if (other != 0) {
      const Index other_index = s.find_workspace(other);
      if (other_index == kNoIndex) return fail("unknown workspace " + std::to_string(other));
      r.set_other_workspace(other_index);
    }
    if (r.type() == MovementType::kSale) r.aux = invoice_id;
    if (!f[9].empty()) {
      r.set_has_cost(true);
      r.aux = cost;
    }
    if (linked < 0 || linked > static_cast<std::int64_t>(s.records.size()) + 2) {
      return fail("the linked movement id is out of range");
    }
    // Texts: decoded only when they differ from the previous line's.
    if (actor_id != last_actor.id || !same_text(f[12], last_actor.name)) {
      if (!unescape(f[12], &actor_name)) return fail("a text field has a bad escape");
      last_actor = {actor_id, actor_name};
      last_actor_index = s.intern_actor(last_actor);
    }
    r.actor = last_actor_index;
    if (f[14].empty() && f[15].empty()) {
      r.text = last_text = 0;
    } else if (last_text != 0 && same_text(f[14], s.texts[last_text].reference) &&
               same_text(f[15], s.texts[last_text].notes)) {
      r.text = last_text;
    } else {
      if (!unescape(f[14], &reference) || !unescape(f[15], &notes)) {
        return fail("a text field has a bad escape");
      }
      r.text = last_text = s.intern_text(reference, notes);
    }
    if (r.type() == MovementType::kSale) {
      // Sales of an invoice are written together; a void reverses them once.
      const InvoiceSales* sales = s.invoice(r.aux);
      const auto position = static_cast<std::uint32_t>(s.records.size());
      if (linked == 0 && sales != nullptr &&
          (sales->voided || sales->first + sales->count != position)) {
        return fail("the sales of an invoice must be consecutive and before its void");
      }
      if (linked != 0 && (sales == nullptr || linked <= sales->first ||
                          linked > sales->first + sales->count)) {
        return fail("a sale reversal must link to a sale of the same invoice");
      }
    }
    if (level_of.empty()) {
      r.level = s.ensure_level(product, workspace);
    } else {
      Index& known = level_of[static_cast<std::size_t>(product * width + workspace)];
      if (known == kNoIndex) known = s.ensure_level(product, workspace);
      r.level = known;
    }
    Raw after = 0;
    if (!checked_add(s.levels[r.level].quantity, r.quantity, &after)) {
      return fail("the level overflows");
    }
    // The position lists are filled once at the end, each at its exact size.
    s.append(r, static_cast<std::uint32_t>(linked), /*defer_positions=*/true);
  }
  s.index_positions(mark.movements);
  // A replay that (mostly) built this ledger gives back the invoice vector's
  // doubling slack; small replays into a large ledger leave it alone.
  if ((s.records.size() - mark.movements) * 2 >= s.records.size()) s.invoices.compact();
  return s.records.size() - mark.movements;
}

}  // namespace stockroom
