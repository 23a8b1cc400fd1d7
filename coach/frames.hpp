#pragma once
// Complaint frames: how the coach restates a customer's problem in the agent's words without ever
// pasting free customer text. A frame is a pattern with named groups over a complaint and a fixed
// rewrite in the agent's person ("my {item} hasn't arrived" -> "your {item} hasn't arrived"); a
// group's text is used only when it is a few plain words with no pronoun, emoji, quote or shouting.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>
#include <re2/re2.h>

#include "json_read.hpp"
#include "normalize.hpp"

namespace tact::coach {

struct Annotation;

struct FrameExample {
  std::string text;
  std::string restated;  // "" when the frame must not restate this text
};

struct Frame {
  std::string id;
  std::string pattern;  // RE2, case-insensitive, named groups (?P<item>...) for the rewrite
  std::string rewrite;  // "your {item} hasn't arrived"
  std::vector<FrameExample> examples;
  std::shared_ptr<const RE2> re;
};

struct Restatement {
  std::string phrase;  // "your order hasn't arrived"
  std::string key;     // frame id and group texts, lower case: which problem this is
  ByteRange span;      // the frame's match in the original text
};

// Reads the pack's "frames" array; each example must restate as it says.
std::vector<Frame> parse_frames(const nlohmann::json& pack, JsonReader& r);

// The frame's rewrite of the text's first match, or nullopt when it does not match or a group's
// text fails the checks.
std::optional<Restatement> restate(const Frame& frame, const NormalizedText& text);

// The first frame whose match overlaps one of the annotation's spans of `act` (a recognised
// complaint), rewritten.
std::optional<Restatement> restate_complaint(const std::vector<Frame>& frames, const NormalizedText& text,
                                             const Annotation& annotation, const std::vector<std::string>& acts);

}  // namespace tact::coach
