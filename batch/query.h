// Reading the results back: one group's audits over the runs (`claimcheck history`) and what
// changed between two runs (`claimcheck diff`).
#pragma once

#include <string>

#include "batch/store.h"

namespace cc {

// The group's runs, newest first: state, commit, summary counts. Throws std::invalid_argument
// for an unknown group.
std::string history_text(Store& store, const std::string& group);
std::string history_json(Store& store, const std::string& group);

// Between run A and run B: boxes that changed status, new over-claims, claims that changed,
// groups whose commit did not move (and groups present in one run only, or failed). Throws
// std::invalid_argument for an unknown run. Deterministic: groups by id, items in report order.
std::string diff_text(Store& store, long long run_a, long long run_b);
std::string diff_json(Store& store, long long run_a, long long run_b);

}  // namespace cc
