// Internal: reading typed values out of request documents (collecting field
// errors with their paths) and writing response documents.
#ifndef STOCKROOM_SRC_JSON_CODEC_H_
#define STOCKROOM_SRC_JSON_CODEC_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stockroom/ledger.h"

namespace stockroom {

using nlohmann::json;

/// Reads members of request objects. Every problem becomes a FieldError
/// keyed by the member's path; reading goes on so all errors are reported.
class Reader {
 public:
  explicit Reader(const Ledger& ledger) : ledger_(ledger) {}

  /// A positive id: a JSON integer or a string of digits. 0 when absent/bad.
  Id id(const json& obj, const std::string& key, const std::string& path, bool required);
  /// A decimal (string or integer) with at most `places` places.
  std::optional<Raw> decimal(const json& obj, const std::string& key, const std::string& path,
                             int places, bool required);
  /// A quantity of `product_id` (its decimals, or 4 when unknown).
  std::optional<Raw> quantity(const json& obj, const std::string& key, const std::string& path,
                              Id product_id, bool required);
  std::string text(const json& obj, const std::string& key, const std::string& path);
  std::optional<bool> boolean(const json& obj, const std::string& key, const std::string& path);
  std::optional<int> integer(const json& obj, const std::string& key, const std::string& path,
                             int min, int max);
  /// A required `at`, or any time member: integer ms or RFC 3339.
  std::optional<Millis> time(const json& obj, const std::string& key, const std::string& path,
                             bool required);
  std::optional<Millis> date(const json& obj, const std::string& key, const std::string& path);
  /// An array member (1..kMaxItems entries checked by the ledger); nullptr when absent/bad.
  const json* array(const json& obj, const std::string& key, const std::string& path);
  Actor actor(const json& obj);

  void add(std::string path, std::string message);
  [[nodiscard]] bool ok() const { return errors_.empty(); }
  [[nodiscard]] const std::vector<FieldError>& errors() const { return errors_; }

 private:
  const json* member(const json& obj, const std::string& key) const;

  const Ledger& ledger_;
  std::vector<FieldError> errors_;
};

/// Response documents.
json ok_document();
json error_document(const Error& error);
json movement_json(const Ledger& ledger, const Movement& m);
json product_ref(const Ledger& ledger, Id product_id);
json level_json(const Ledger& ledger, const LevelView& level, bool with_product);
/// The `{data, total, page, per_page, last_page}` envelope.
json page_document(json data, std::int64_t total, const PageRequest& page);
/// A quantity formatted with the product's decimals.
std::string format_quantity(const Ledger& ledger, Id product_id, Raw value);

}  // namespace stockroom

#endif  // STOCKROOM_SRC_JSON_CODEC_H_
