// The embind layer: the one C++ file that knows about JavaScript.
//
// It exposes a `Ledger` class that owns a stockroom::Ledger and speaks the JSON
// protocol of docs/core-protocol.md (request text in, response text out), plus
// the two bulk journal paths, which move one string per call instead of one
// boundary crossing per field, product_stock's answer by id (no request
// text: the REST service's most frequent read), and checkpoint's counts as
// numbers (taken before every write). Text crosses as UTF-8 bytes in
// the wasm heap: the JS side writes requests with TextEncoder.encodeInto and
// reads answers through a Uint8Array view with TextDecoder (in Node, a large
// answer that is all ASCII as Latin-1: view_is_ascii()), because embind's
// std::string conversion runs JS loops over every byte (two of them on the way
// out).
//
// Exception policy (see /work/shared/notes/toolchain.md §4): no C++ exception
// ever unwinds into JavaScript, because every throw through wasm frames leaks
// shadow stack and after ~160k of them the instance is corrupt. Every entry
// point runs under guarded(), which catches, stashes {name, message} and
// returns a default value; errors.post.js then throws a real JS Error after
// the wasm call has returned. The core itself never throws (allocation
// failure aside), so in practice only std::bad_alloc can reach guarded().
//
// Users never see this module: wasm/js/ wraps it (and frees every Ledger).
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/stack.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "stockroom/json_api.h"
#include "stockroom/ledger.h"
#include "stockroom/status.h"

namespace {

// ---- The error stash (read and cleared by __takeError from errors.post.js).

struct PendingError {
  bool set = false;
  std::string name;
  std::string message;
};
PendingError g_error;

void stash(const char* name, const char* message) {
  g_error.set = true;
  g_error.name = name;
  g_error.message = message;
}

template <class F>
auto guarded(F&& f) -> decltype(f()) {
  using R = decltype(f());
  try {
    return f();
  } catch (const std::bad_alloc&) {
    stash("RangeError", "stockroom: out of memory in the WebAssembly core");
  } catch (const std::invalid_argument& e) {
    stash("TypeError", e.what());
  } catch (const std::length_error& e) {
    stash("RangeError", e.what());
  } catch (const std::out_of_range& e) {
    stash("RangeError", e.what());
  } catch (const std::exception& e) {
    stash("Error", e.what());
  } catch (...) {
    stash("Error", "stockroom: unknown C++ exception in the WebAssembly core");
  }
  if constexpr (!std::is_void_v<R>) return R{};
}

emscripten::val take_error() {
  if (!g_error.set) return emscripten::val::null();
  emscripten::val e = emscripten::val::object();
  e.set("name", g_error.name);
  e.set("message", g_error.message);
  g_error = PendingError{};
  return e;
}

stockroom::Id to_id(double after_id) {
  // The JS wrapper validates; this only keeps a bad value from being UB.
  if (!std::isfinite(after_id) || after_id < 1) return 0;
  if (after_id >= 9007199254740992.0) return INT64_MAX;
  return static_cast<stockroom::Id>(after_id);
}

// ---- The bound class.

/// Whether every byte of `text` is below 0x80, eight at a time.
bool all_ascii(std::string_view text) {
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    if ((word & kHighBits) != 0) return false;
  }
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0x80U) != 0) return false;
  }
  return true;
}

class WasmLedger {
 public:
  /// One protocol request (JSON text) -> its response (JSON text).
  std::string request(const std::string& text) {
    return guarded([&] { return stockroom::handle_json(ledger_, text); });
  }

  // The paths the JS wrapper uses: text in and out as bytes in the wasm heap
  // (see the top of this file).

  /// Replays `length` UTF-8 bytes at `address` (allocated by the caller with
  /// _malloc; the caller frees them).
  std::string replay_journal_bytes(std::uintptr_t address, std::size_t length) {
    return guarded([&] {
      std::string_view journal(reinterpret_cast<const char*>(address), length);
      return stockroom::replay_journal_json(ledger_, journal);
    });
  }

  /// One protocol request of `length` UTF-8 bytes at `address` (the caller's
  /// _malloc'd buffer; the caller frees it); the answer as a view (below).
  emscripten::val request_view(std::uintptr_t address, std::size_t length) {
    return view_of([&] {
      return stockroom::handle_json(
          ledger_, std::string_view(reinterpret_cast<const char*>(address), length));
    });
  }

  /// As request_view, through handle_json_body: the answer without its `ok`
  /// member, for hosts that hand it on as it is; body_ok() tells whether
  /// the request succeeded.
  emscripten::val request_body_view(std::uintptr_t address, std::size_t length) {
    return body_view_of([&] {
      return stockroom::handle_json_body(
          ledger_, std::string_view(reinterpret_cast<const char*>(address), length));
    });
  }
  bool body_ok() const { return body_ok_; }

  /// product_stock's body for one product (stockroom::product_stock_body):
  /// no request text to write and parse. The caller passes a positive safe
  /// integer; anything else names no product. body_ok() as above.
  emscripten::val product_stock_body_view(double product_id) {
    return body_view_of([&] { return stockroom::product_stock_body(ledger_, to_id(product_id)); });
  }

  /// checkpoint()'s counts as a Float64Array view, in the order of the
  /// protocol's answer (contexts, levels, minimum_changes, movements, serial,
  /// texts): the REST service takes one before every write, and the request
  /// text and answer text of the protocol's `checkpoint` cost several times
  /// the call. Exact: each count is far below 2^53. Valid as a view_of view.
  /// Not under guarded(): nothing here allocates or throws.
  emscripten::val checkpoint_view() {
    const stockroom::Checkpoint c = ledger_.checkpoint();
    mark_ = {static_cast<double>(c.contexts), static_cast<double>(c.levels),
             static_cast<double>(c.minimum_changes), static_cast<double>(c.movements),
             static_cast<double>(c.serial), static_cast<double>(c.texts)};
    return emscripten::val(emscripten::typed_memory_view(mark_.size(), mark_.data()));
  }

  /// Movements with id > after_id in the journal form, as a view (below).
  emscripten::val export_journal_view(double after_id) {
    return view_of([&] { return ledger_.export_journal(to_id(after_id)); });
  }

  /// Whether the text behind the last view is all ASCII. Node decodes such
  /// text as Latin-1 (the same characters) far faster than as UTF-8: a 2.7 MB
  /// report answer in 0.4-0.6 ms instead of ~10 ms (Node 20's TextDecoder).
  /// Asked by the JS side for large views only; a scan of the whole text.
  /// It allocates nothing: the view the JS side holds stays valid (memory
  /// growth would detach it).
  bool view_is_ascii() const { return all_ascii(view_buffer_); }

  /// Frees the text behind the last view.
  void release_view() { std::string().swap(view_buffer_); }

 private:
  /// view_of for an AnswerBody: its document as the view, its ok as body_ok().
  template <class Make>
  emscripten::val body_view_of(Make&& make) {
    body_ok_ = false;
    return view_of([&] {
      stockroom::AnswerBody body = make();
      body_ok_ = body.ok;
      return std::move(body.document);
    });
  }

  /// Keeps the text `make` returns in a buffer this object owns and returns a
  /// Uint8Array view of it. The view is valid until the next call on this
  /// object or any allocation (memory growth detaches it): decode it at once,
  /// then call releaseView().
  template <class Make>
  emscripten::val view_of(Make&& make) {
    const bool ok = guarded([&] {
      view_buffer_ = make();
      return true;
    });
    if (!ok) return emscripten::val::null();
    return emscripten::val(emscripten::typed_memory_view(
        view_buffer_.size(), reinterpret_cast<const std::uint8_t*>(view_buffer_.data())));
  }

  stockroom::Ledger ledger_;
  std::string view_buffer_;
  std::array<double, 6> mark_{};  ///< Behind checkpoint_view().
  bool body_ok_ = false;
};

/// A new ledger, or null (with a stashed error) when allocation fails; the
/// JS handle owns it and its delete() frees it.
WasmLedger* create_ledger() {
  return guarded([] { return new WasmLedger(); });
}

/// The names of every stockroom::ErrorCode, in declaration order.
emscripten::val error_codes() {
  emscripten::val names = emscripten::val::array();
  for (auto code : stockroom::kAllErrorCodes) {
    names.call<void>("push", std::string(stockroom::error_code_name(code)));
  }
  return names;
}

// Diagnostics for the package tests (stack drift and heap growth).
double stack_pointer() {
  return static_cast<double>(emscripten_stack_get_current());
}
double heap_bytes() { return static_cast<double>(emscripten_get_heap_size()); }
double allocated_bytes() { return static_cast<double>(mallinfo().uordblks); }

/// Test hook: all_ascii() of a string's UTF-8 bytes.
bool ascii_probe(const std::string& text) { return all_ascii(text); }

/// Test hook: throws inside guarded() (kind 0: invalid_argument, 1:
/// runtime_error, 2: bad_alloc) so the tests can prove that a C++ exception
/// reaches JS as a JS Error without leaking stack.
int guard_probe(int kind) {
  return guarded([kind]() -> int {
    if (kind == 0) throw std::invalid_argument("probe: invalid argument");
    if (kind == 1) throw std::runtime_error("probe: runtime error");
    if (kind == 2) throw std::bad_alloc();
    return kind;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(stockroom_core) {
  using emscripten::class_;
  using emscripten::function;
  function("__takeError", &take_error);
  function("errorCodes", &error_codes);
  function("__stackPointer", &stack_pointer);
  function("__heapBytes", &heap_bytes);
  function("__allocatedBytes", &allocated_bytes);
  function("__guardProbe", &guard_probe);
  function("__asciiProbe", &ascii_probe);
  class_<WasmLedger>("Ledger")
      .class_function("create", &create_ledger,
                      emscripten::allow_raw_pointers())
      .function("request", &WasmLedger::request)
      .function("replayJournalBytes", &WasmLedger::replay_journal_bytes)
      .function("requestView", &WasmLedger::request_view)
      .function("requestBodyView", &WasmLedger::request_body_view)
      .function("bodyOk", &WasmLedger::body_ok)
      .function("productStockBodyView", &WasmLedger::product_stock_body_view)
      .function("checkpointView", &WasmLedger::checkpoint_view)
      .function("exportJournalView", &WasmLedger::export_journal_view)
      .function("viewIsAscii", &WasmLedger::view_is_ascii)
      .function("releaseView", &WasmLedger::release_view);
}
