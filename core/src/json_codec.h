// Internal: reading typed values out of request documents (collecting field
// errors with their paths) and writing the parts of answers many ops share.
#ifndef STOCKROOM_SRC_JSON_CODEC_H_
#define STOCKROOM_SRC_JSON_CODEC_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_request.h"
#include "json_writer.h"
#include "stockroom/ledger.h"
#include "validation.h"

namespace stockroom {

/// Reads members of request objects. Every problem becomes a FieldError
/// keyed by the member's path; reading goes on so all errors are reported.
class Reader {
 public:
  explicit Reader(const Ledger& ledger) : ledger_(ledger) {}

  /// A positive id: a JSON integer or a string of digits. 0 when absent/bad.
  Id id(const JsonValue& obj, std::string_view key, const FieldPath& path, bool required);
  /// A decimal (string or integer) with at most `places` places.
  std::optional<Raw> decimal(const JsonValue& obj, std::string_view key, const FieldPath& path,
                             int places, bool required);
  /// A quantity of `product_id` (its decimals, or 4 when unknown).
  std::optional<Raw> quantity(const JsonValue& obj, std::string_view key, const FieldPath& path,
                              Id product_id, bool required);
  std::string text(const JsonValue& obj, std::string_view key, const FieldPath& path);
  std::optional<bool> boolean(const JsonValue& obj, std::string_view key, const FieldPath& path);
  std::optional<int> integer(const JsonValue& obj, std::string_view key, const FieldPath& path,
                             int min, int max);
  /// A required `at`, or any time member: integer ms or RFC 3339.
  std::optional<Millis> time(const JsonValue& obj, std::string_view key, const FieldPath& path,
                             bool required);
  std::optional<Millis> date(const JsonValue& obj, std::string_view key, const FieldPath& path);
  /// An array member (1..kMaxItems entries checked by the ledger); nullptr when absent/bad.
  const JsonValue* array(const JsonValue& obj, std::string_view key, const FieldPath& path);
  Actor actor(const JsonValue& obj);

  void add(std::string path, std::string message);
  [[nodiscard]] bool ok() const { return errors_.empty(); }
  [[nodiscard]] const std::vector<FieldError>& errors() const { return errors_; }

 private:
  const JsonValue* member(const JsonValue& obj, std::string_view key) const;

  const Ledger& ledger_;
  std::vector<FieldError> errors_;
};

/// Response writers (json_codec.cc). Each writes members in ascending key
/// order, as nlohmann's std::map-backed objects did (see json_writer.h).
/// `"ok":true`, as a member; nothing when the writer's answer() has
/// ok_member off (json_writer.h).
void write_ok(JsonWriter& w);
void write_ok_document(JsonWriter& w);
/// `{"error":{...},"ok":false}` (`ok` as write_ok); marks the writer's
/// answer() failed.
void write_error_document(JsonWriter& w, const Error& error);
void write_movement(JsonWriter& w, const Ledger& ledger, const Movement& m);
void write_product_ref(JsonWriter& w, const Ledger& ledger, Id product_id);
/// The same for a product already looked up (null writes null): a writer that needs its decimals too
/// looks it up once.
void write_product_ref(JsonWriter& w, const ProductInfo* product);

/// Which members of a level entry an answer carries besides
/// minimum_quantity, quantity, status and workspace_id.
struct LevelMembers {
  bool product = false;         ///< `product` {id, name, sku}
  bool product_id = true;
  const Raw* shortage = nullptr;
  bool workspace_name = false;
};
void write_level(JsonWriter& w, const Ledger& ledger, const LevelView& level, LevelMembers with);
/// The same with the level's product and workspace already looked up (a product's stock writes one
/// product in every workspace); either may be null when not registered.
void write_level(JsonWriter& w, const LevelView& level, const ProductInfo* product,
                 const WorkspaceInfo* workspace, LevelMembers with);

/// The paging members that follow `data` in a page envelope
/// (`last_page`, `ok`, `page`, `per_page`, then `total`); `between` writes
/// any member that sorts between `per_page` and `total` (the report's summary).
template <class Between>
void write_paging(JsonWriter& w, std::int64_t total, const PageRequest& page, Between between) {
  w.member("last_page", total == 0 ? std::int64_t{1} : (total + page.per_page - 1) / page.per_page);
  write_ok(w);
  w.member("page", page.page);
  w.member("per_page", page.per_page);
  between();
  w.member("total", total);
}

/// A quantity formatted with the product's decimals.
std::string format_quantity(const Ledger& ledger, Id product_id, Raw value);

}  // namespace stockroom

#endif  // STOCKROOM_SRC_JSON_CODEC_H_
