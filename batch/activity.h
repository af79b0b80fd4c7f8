// Git activity of a group's repository up to the audited commit, for the dashboard (what the
// course's repo_stats counts through the GitHub API, here from the history walk alone):
// commits per day and per author, contributors, merge commits, workflow and test files.
#pragma once

#include <string>

namespace cc {

// JSON object (deterministic):
// {"commits": N, "merges": N, "contributors": N, "first": "YYYY-MM-DD", "last": "YYYY-MM-DD",
//  "per_day": [{"day": "YYYY-MM-DD", "commits": N}], "per_author": [{"author": "...", "commits": N}],
//  "workflow_files": N, "test_files": N, "cut": false}
// Days are author dates in UTC; authors by name, most commits first. Throws on an unreadable commit.
std::string git_activity_json(const std::string& repo, const std::string& commit);

}  // namespace cc
