// Judging a claimed number of tests against what pytest would collect, within the tolerance the
// claim's wording allows ("approximately 45" is not "45"; "over 200" is a lower bound).
#pragma once

#include "engine/audit.h"

namespace cc {

// Fills t.tolerance, t.verdict and t.reason from t.claimed/claimed_files/wording/unit and the
// measured files/functions/items. `measurement_partial`: some test files could not be read.
void judge_test_count(TestCountCheck& t, bool measurement_partial);

}  // namespace cc
