#pragma once
// Minimal UTF-8 decoding and encoding for the tokenizer. Invalid input never stops decoding:
// each bad byte becomes U+FFFD (a separator), so arbitrary bytes are safe to index and search.
#include <cstddef>
#include <string>
#include <string_view>

namespace linli::search::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point at `pos` and advances `pos` past it. Overlong forms, surrogates and
// values above U+10FFFF yield U+FFFD and advance by one byte. Precondition: pos < text.size().
char32_t Next(std::string_view text, std::size_t& pos);

void Append(std::string& out, char32_t cp);

}  // namespace linli::search::utf8
