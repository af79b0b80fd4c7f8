// Renderers of an AuditResult. JSON is the documented, deterministic format (README.md, schema
// "claimcheck/1", engine/schema/claimcheck.schema.json); text is for a person, over-claims first;
// HTML is one self-contained page for an examiner; SARIF 2.1.0 is for GitHub code scanning;
// Markdown is for a CI job summary or a pull-request comment.
#pragma once

#include <string>

#include "engine/audit.h"
#include "engine/questions.h"

namespace cc {

// What the html, sarif and markdown renderers need beside the result.
struct RenderOptions {
  std::string repo_url;  // https://github.com/OWNER/NAME: evidence links to the audited commit; "" = plain paths
  const QuestionTemplates* questions = nullptr;  // questions for the oral exam (html, markdown)
  std::string version = "0.1.0";                 // claimcheck's, for SARIF's tool.driver
};

std::string render_json(const AuditResult& r);
std::string render_text(const AuditResult& r, bool color = false);
std::string render_html(const AuditResult& r, const RenderOptions& o);
std::string render_sarif(const AuditResult& r, const RenderOptions& o);
std::string render_markdown(const AuditResult& r, const RenderOptions& o);

// The order verdict groups appear in (text) and their headings.
const char* verdict_heading(const std::string& verdict);

// Short verdict word for chips and tables ("over-claimed", "weak", "ok", ...).
const char* verdict_word(const std::string& verdict);

}  // namespace cc
