#pragma once
// Tracking codes: what a resident writes down or reads over the phone to follow a ticket.
//
// Shape: a type letter, 14 random symbols and a check symbol, shown in groups as
// "B-7K3M9-QXD2H-F4TZC" and stored canonically without separators ("B7K3M9QXD2HF4TZC").
//   - alphabet: 23456789ABCDEFGHJKMNPQRSTVWXYZ (30 symbols: no 0/O, 1/I/L, U);
//   - type letters: Z 咨询, Q 求助, T 投诉, J 举报, S 建议, B 报修;
//   - 14 uniformly random symbols carry 14·log2(30) ≈ 68.7 bits, so codes cannot be guessed;
//   - the check symbol c makes Σ (i+1)·v_i ≡ 0 (mod 31) over all 16 positions (the type letter
//     included). With weights 1..16 and symbol values 0..29 below the prime 31, every single
//     substitution and every transposition of two symbols (adjacent or not) changes the sum, so
//     the check catches them all. Codes whose check would be 30 (not a symbol) are redrawn.
// Parsing is case-insensitive and ignores '-', ' ' and other separators people type.
#include <optional>
#include <string>
#include <string_view>

#include "core/random.hpp"
#include "tickets/model.hpp"

namespace linli::tickets {

inline constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
inline constexpr std::size_t kCodeRandomSymbols = 14;
inline constexpr std::size_t kCodeLength = 1 + kCodeRandomSymbols + 1;  // canonical length

char TypeLetter(Type type);
std::optional<Type> TypeOfLetter(char letter);

// A fresh canonical code for a ticket of `type`. Thread-safe if `random` is.
std::string NewTrackingCode(Type type, Random& random);

// The canonical form of a typed code, or nullopt when it is malformed or its check fails.
// Accepts lower case and separators ("b-7k3m9 qxd2h-f4tzc"). Total: never throws, any input.
std::optional<std::string> ParseTrackingCode(std::string_view text);

// "B-7K3M9-QXD2H-F4TZC" for display (input must be canonical).
std::string FormatTrackingCode(std::string_view canonical);

// The check symbol for the first kCodeLength-1 canonical symbols, or nullopt when it would be
// the unrepresentable value 30 (exposed for tests).
std::optional<char> CheckSymbol(std::string_view body);

}  // namespace linli::tickets
