#include "tickets/tracking_code.hpp"

#include <array>
#include <cstdint>

namespace linli::tickets {
namespace {

constexpr int kCheckModulus = 31;  // prime, above every symbol value and weight

int SymbolValue(char c) {
  const auto pos = kCodeAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

constexpr std::array<std::pair<Type, char>, 6> kLetters{{{Type::kConsult, 'Z'},
                                                         {Type::kHelp, 'Q'},
                                                         {Type::kComplaint, 'T'},
                                                         {Type::kReport, 'J'},
                                                         {Type::kSuggestion, 'S'},
                                                         {Type::kRepair, 'B'}}};

// Σ (i+1)·v_i mod 31 over `symbols` (all must be in the alphabet).
int WeightedSum(std::string_view symbols) {
  int sum = 0;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    sum = (sum + static_cast<int>(i + 1) * SymbolValue(symbols[i])) % kCheckModulus;
  }
  return sum;
}

// The multiplicative inverse of `weight` modulo 31 (Fermat: w^29).
int Inverse(int weight) {
  int result = 1;
  for (int i = 0; i < kCheckModulus - 2; ++i) result = (result * weight) % kCheckModulus;
  return result;
}

}  // namespace

char TypeLetter(Type type) {
  for (const auto& [candidate, letter] : kLetters) {
    if (candidate == type) return letter;
  }
  return 'Q';
}

std::optional<Type> TypeOfLetter(char letter) {
  for (const auto& [type, candidate] : kLetters) {
    if (candidate == letter) return type;
  }
  return std::nullopt;
}

std::optional<char> CheckSymbol(std::string_view body) {
  // Solve sum + w·c ≡ 0 (mod 31) for the check value c, with w its position weight.
  const int weight = static_cast<int>(body.size() + 1);
  const int sum = WeightedSum(body);
  const int c = ((kCheckModulus - sum) % kCheckModulus) * Inverse(weight) % kCheckModulus;
  if (c >= static_cast<int>(kCodeAlphabet.size())) return std::nullopt;
  return kCodeAlphabet[static_cast<std::size_t>(c)];
}

std::string NewTrackingCode(Type type, Random& random) {
  while (true) {
    std::string code(1, TypeLetter(type));
    std::array<std::uint8_t, 32> bytes{};
    std::size_t used = bytes.size();
    while (code.size() < 1 + kCodeRandomSymbols) {
      if (used == bytes.size()) {
        random.Fill(bytes);
        used = 0;
      }
      const std::uint8_t byte = bytes[used++];
      // 240 = 8·30: rejecting the top 16 byte values keeps every symbol equally likely.
      if (byte >= 240) continue;
      code.push_back(kCodeAlphabet[byte % kCodeAlphabet.size()]);
    }
    if (auto check = CheckSymbol(code)) {
      code.push_back(*check);
      return code;
    }
  }
}

std::optional<std::string> ParseTrackingCode(std::string_view text) {
  std::string code;
  for (char c : text) {
    if (c == '-' || c == ' ' || c == '_' || c == '.') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (SymbolValue(c) < 0) return std::nullopt;
    if (code.size() == kCodeLength) return std::nullopt;
    code.push_back(c);
  }
  if (code.size() != kCodeLength || !TypeOfLetter(code.front())) return std::nullopt;
  if (WeightedSum(code) != 0) return std::nullopt;
  return code;
}

std::string FormatTrackingCode(std::string_view canonical) {
  if (canonical.size() != kCodeLength) return std::string(canonical);
  std::string out(1, canonical.front());
  for (std::size_t i = 1; i < canonical.size(); ++i) {
    if ((i - 1) % 5 == 0) out.push_back('-');
    out.push_back(canonical[i]);
  }
  return out;
}

}  // namespace linli::tickets
