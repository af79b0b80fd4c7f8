// What the html, sarif and markdown renderers share: escaping, evidence links to the audited
// commit on GitHub, and which items are flagged.
#pragma once

#include <string>
#include <string_view>

#include "engine/audit.h"

namespace cc {

// & < > " ' as entities: safe in HTML text and in quoted attributes.
std::string html_escape(std::string_view s);

// Percent-encodes a repository path for a URL (keeps unreserved characters and '/').
std::string url_path(std::string_view path);

// "https://github.com/OWNER/NAME" from an origin remote URL (https, ssh or scp-like, credentials
// dropped); "" when the remote is not on GitHub.
std::string github_web_url(std::string_view remote);

// An http(s) web address given with --repo-url, without trailing '/' or '.git'; "" when unusable.
std::string clean_repo_url(std::string_view url);

// URL of a file (and line) at the audited commit: REPO_URL/blob/COMMIT/PATH#L12. "" when there is
// no web address, no commit (a working tree) or no path.
std::string evidence_url(const std::string& repo_url, const std::string& commit, const std::string& path,
                         int line);

// A ticked item an examiner should ask about: over-claimed, weak, unverifiable, or contradicted by
// the report's own answer.
bool flagged(const ItemVerdict& i);

// The origin remote's URL of the repository at `repo_path` (a clone, a bare mirror or a work
// tree); "" when it has none or cannot be opened.
std::string origin_remote_url(const std::string& repo_path);

}  // namespace cc
