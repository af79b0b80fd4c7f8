// Renderers of an AuditResult. JSON is the documented, deterministic format (README.md, schema
// "claimcheck/1"); text is for a person, over-claims first.
#pragma once

#include <string>

#include "engine/audit.h"

namespace cc {

std::string render_json(const AuditResult& r);
std::string render_text(const AuditResult& r, bool color = false);

// The order verdict groups appear in (text) and their headings.
const char* verdict_heading(const std::string& verdict);

}  // namespace cc
