// The journal form (docs/journal-format.md): export and a fast replay that
// parses by hand (one pass, no allocation per numeric field) because a host
// replays every movement of an organization at start-up.
#include <algorithm>
#include <cassert>
#include <cstring>
#include <iterator>
#include <optional>

#include "digits.h"
#include "huge_pages.h"
#include "journal_fields.h"
#include "journal_lines.h"
#include "ledger_state.h"
#include "replay_levels.h"

namespace stockroom {
namespace {

using journal::count_lines;
using journal::estimate_lines;
using journal::kFields;
using journal::LineCount;
using journal::read_int;
using journal::split_line;

// A text field: the runs between the bytes that need an escape appended whole.
void append_escaped(std::string& out, std::string_view text) {
  const char* run = text.data();
  const char* const end = run + text.size();
  for (const char* p = run; p < end; ++p) {
    const char* escape = nullptr;
    switch (*p) {
      case '\\': escape = "\\\\"; break;
      case '\t': escape = "\\t"; break;
      case '\n': escape = "\\n"; break;
      case '\r': escape = "\\r"; break;
      default: continue;
    }
    out.append(run, p);
    out.append(escape, 2);
    run = p + 1;
  }
  out.append(run, end);
}

// Decodes a text field into `out`: the runs between escapes are copied whole (most texts have no
// escape at all, and a byte-at-a-time append is a call per byte in WebAssembly).
bool unescape(std::string_view in, std::string* out) {
  out->clear();
  const char* p = in.data();
  const char* const end = p + in.size();
  for (;;) {
    const char* const escape = find_byte(p, end, '\\');
    out->append(p, escape);
    if (escape == end) return true;
    if (escape + 1 == end) return false;
    switch (escape[1]) {
      case '\\': *out += '\\'; break;
      case 't': *out += '\t'; break;
      case 'n': *out += '\n'; break;
      case 'r': *out += '\r'; break;
      default: return false;
    }
    p = escape + 2;
  }
}

// The fields of a line up to the actor's name are numbers and names of at most
// 20 bytes each: they are written into a buffer on the stack and appended at
// once (a std::string append per field is a call each in WebAssembly).
class LineFields {
 public:
  void number(std::int64_t v) { end_ = write_integer(end_, v); }
  void id(Id id) {
    if (id != 0) number(id);
  }
  void name(std::string_view text) { end_ = std::copy(text.begin(), text.end(), end_); }
  void tab() { *end_++ = '\t'; }
  /// Appends what was written to `out` and starts again.
  void flush_into(std::string& out) {
    out.append(buf_, end_);
    end_ = buf_;
  }

 private:
  char buf_[kFields * 24];  // 16 fields of at most 20 bytes (a sign and 19 digits) and their tabs
  char* end_ = buf_;
};

// Whether the escaped journal field `raw` decodes to `text` (without
// decoding when it has no escape, the common case).
bool same_text(std::string_view raw, std::string_view text) {
  const char* const end = raw.data() + raw.size();
  if (find_byte(raw.data(), end, '\\') == end) return equal_text(raw, text);
  std::string decoded;
  return unescape(raw, &decoded) && equal_text(decoded, text);
}

// The 1-based line number of the `nth` (0-based) non-empty line of `journal`
// (error messages name lines; records skip blank ones).
std::size_t line_of_movement(std::string_view journal, std::size_t nth) {
  std::size_t line = 0;
  const char* pos = journal.data();
  const char* const end = pos + journal.size();
  while (pos < end) {
    ++line;
    const char* const eol = find_byte(pos, end, '\n');
    if (eol != pos && nth-- == 0) break;
    pos = eol + 1;
  }
  return line;
}

}  // namespace

std::string Ledger::export_journal(Id after_id) const {
  const LedgerState& s = *s_;
  std::string out;
  const std::size_t first = after_id < 0 ? 0 : static_cast<std::size_t>(after_id);
  // A line without texts is 40-90 bytes. Room for a command's one or two lines up front, instead of
  // the string doubling (and copying itself) four or five times; a long export grows as it goes.
  constexpr std::size_t kLineBytes = 96, kLinesReserved = 1024;
  if (first < s.records.size()) out.reserve(std::min(s.records.size() - first, kLinesReserved) * kLineBytes);
  LineFields line;
  for (std::size_t p = first; p < s.records.size(); ++p) {
    const auto position = static_cast<std::uint32_t>(p);
    const Movement m = s.materialize_numbers(position);
    line.number(m.id);
    line.tab();
    line.name(movement_type_name(m.type));
    line.tab();
    line.number(m.product_id);
    line.tab();
    line.number(m.workspace_id);
    line.tab();
    line.number(m.quantity);
    line.tab();
    line.id(m.from_workspace_id);
    line.tab();
    line.id(m.to_workspace_id);
    line.tab();
    line.name(reason_name(m.reason));
    line.tab();
    line.id(m.invoice_id);
    line.tab();
    if (m.unit_cost) line.number(*m.unit_cost);
    line.tab();
    line.id(m.linked_movement_id);
    line.tab();
    line.id(m.created_by.id);
    line.tab();
    line.flush_into(out);
    const MovementContext& context = s.contexts[s.records[position].context];
    append_escaped(out, s.actors[context.actor].name);
    line.tab();
    line.number(m.created_at);
    line.tab();
    line.flush_into(out);
    append_escaped(out, s.texts.reference(context.text));
    out += '\t';
    append_escaped(out, s.texts.notes(context.text));
    out += '\n';
  }
  return out;
}

// A replay parses its journal in pieces of this many bytes (~3,400 lines), each piece a call of its
// own. WebAssembly engines compile a function quickly first and optimize it in the background once
// it has run a while, but V8 (Node, Chromium) never replaces a WebAssembly call that is already
// running: a journal parsed in one call never ran optimized code. Measured in Node 20, the first
// replay of 1M movements in a fresh process: 338-369 -> 279-311 ms; the next ones 288-309 -> 195-203
// ms (the whole function had not been optimized either); 10M: 3.30-3.81 -> 2.47-2.63 s. Natively the
// same time (means of 8 replays, alternating builds) for 0.5 % more instructions.
constexpr std::size_t kReplayPiece = std::size_t{1} << 18;

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
  // One reservation instead of repeated doubling (and copying) of the records.
  LineCount count = estimate_lines(journal);
  reserve_on_huge_pages(s.records, s.records.size() + count.lines);
  // Lines are parsed and checked first; their levels and balances are settled
  // in bulk (replay_levels.h) after the last line or at the first error.
  ReplayLevels levels(s, count.lines);
  const auto reject = [&](std::size_t line, const std::string& why) -> Result<std::size_t> {
    levels.abandon();
    s.index_positions(mark.movements);  // rollback() pops them
    rollback(mark);
    return Error::make(ErrorCode::kValidationFailed, "Journal line " + std::to_string(line) + ": " + why);
  };
  // Settles the lines read so far: the line whose level overflows, or 0.
  const auto settle = [&]() -> std::size_t {
    const std::size_t bad = levels.settle();
    return bad == s.records.size() ? 0 : line_of_movement(journal, bad - mark.movements);
  };
  constexpr const char* kOverflows = "the level overflows";
  // The first error in line order: an overflow on an earlier line comes first.
  const auto fail = [&](const std::string& why) {
    const std::size_t overflow_line = settle();
    return overflow_line != 0 ? reject(overflow_line, kOverflows) : reject(line_no, why);
  };
  const char* pos = journal.data();
  const char* const journal_end = pos + journal.size();
  // The lines from `pos` up to the first that starts at or after `stop`; a failure's answer, if any.
  const auto parse_until = [&, journal_end](const char* stop) __attribute__((noinline))
      -> std::optional<Result<std::size_t>> {
    std::string_view f[kFields];
    while (pos < stop) {
      ++line_no;
      if (*pos == '\n') {  // blank lines are allowed
        ++pos;
        continue;
      }
      int n = 0;
      pos = split_line(pos, journal_end, f, &n);
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
      if (at > kLatestTime) return fail("the time is out of range");
      r.set_created_at(at);
      if (r.type() == MovementType::kAdjustment) {
        const std::optional<Reason> reason = parse_reason(f[7]);
        if (!reason) return fail("an adjustment needs a reason");
        r.set_reason(*reason);
      }
      const Id other = r.type() == MovementType::kTransferOut  ? to_id
                       : r.type() == MovementType::kTransferIn ? from_id
                                                             : 0;
      Index other_index = kNoIndex;
      if (other != 0) {
        other_index = s.find_workspace(other);
        if (other_index == kNoIndex) return fail("unknown workspace " + std::to_string(other));
      }
      if (r.type() == MovementType::kSale) {
        // aux holds a sale's invoice id; no command gives a sale a cost.
        if (!f[9].empty()) return fail("a sale carries no unit cost");
        r.aux = invoice_id;
      } else if (!f[9].empty()) {
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
      if (f[14].empty() && f[15].empty()) {
        last_text = 0;
      } else if (last_text == 0 || !same_text(f[14], s.texts.reference(last_text)) ||
                 !same_text(f[15], s.texts.notes(last_text))) {
        if (!unescape(f[14], &reference) || !unescape(f[15], &notes)) {
          return fail("a text field has a bad escape");
        }
        last_text = s.intern_text(reference, notes);
      }
      r.context = s.intern_context({last_actor_index, last_text, other_index});
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
      r.level = levels.key(product, workspace);
      ++s.product_movement_count[product];
      s.append_unsettled(r, static_cast<std::uint32_t>(linked));
    }
    return std::nullopt;
  };
  // The most records a piece can append: a line that is not rejected holds at least 25 bytes (15
  // tabs, a newline, a type of 4 letters and 5 numbers of a digit), and one line may start in the
  // piece and end past it.
  constexpr std::size_t kMostLinesInAPiece = kReplayPiece / 25 + 1;
  while (pos < journal_end) {
    const std::size_t left = static_cast<std::size_t>(journal_end - pos);
    if (!count.exact && s.records.capacity() - s.records.size() < kMostLinesInAPiece) {
      // Near the end of the room the estimate reserved: count the rest, once, and make room for it
      // (nothing moves unless the estimate fell short). Only an estimate more than 1/32 short costs
      // the records a move.
      reserve_on_huge_pages(s.records, s.records.size() + count_lines(std::string_view(pos, left)));
      count.exact = true;
    }
    [[maybe_unused]] const std::size_t room = s.records.capacity();
    if (auto failed = parse_until(left > kReplayPiece ? pos + kReplayPiece : journal_end)) return *failed;
    // Debug builds (the ASan test run) check that no piece outgrew the room reserved for it, which
    // would move the records by doubling, onto storage not advised for huge pages.
    assert(s.records.capacity() == room);
  }
  if (const std::size_t overflow_line = settle(); overflow_line != 0) return reject(overflow_line, kOverflows);
  // The position lists are filled once at the end, each at its exact size.
  s.index_positions(mark.movements, levels.records_per_level());
  // A replay that (mostly) built this ledger gives back its lists' growth
  // slack; small replays into a large ledger leave it alone.
  if ((s.records.size() - mark.movements) * 2 >= s.records.size()) s.compact();
  return s.records.size() - mark.movements;
}

}  // namespace stockroom
