// The catalog described for a person: `claimcheck rules` (one line per checklist item rule) and
// `claimcheck explain ITEM-ID` (what it looks for, which probes, its outcomes and conditions).
#pragma once

#include <optional>
#include <string>

#include "engine/rules.h"

namespace cc {

std::string list_rules(const Catalog& c);

// nullopt when no item rule or check has that id.
std::optional<std::string> explain_rule(const Catalog& c, const std::string& id);

// A condition in one line, e.g. "all of (workflow.trigger where event ~ '^push$'; ...)".
std::string describe_condition(const Condition& c);

}  // namespace cc
