#include "engine/audit.h"

namespace cc {

std::string verdict_for(const std::string& status, bool ticked) {
  if (status == "not-checked") return "not-checked";
  if (ticked) {
    if (status == "supported") return "ok";
    if (status == "partial") return "weak";
    if (status == "absent") return "overclaimed";
    return "unverifiable";
  }
  return status == "supported" ? "underclaimed" : "not-claimed";
}

bool AuditResult::overclaimed() const {
  for (const auto& i : checklist)
    if (i.verdict == "overclaimed") return true;
  if (test_count && test_count->verdict == "overclaimed") return true;
  return claims.coverage && claims.coverage->verdict == "overclaimed";
}

bool AuditResult::fails_at(const std::string& threshold) const {
  if (threshold == "never") return false;
  if (overclaimed()) return true;
  for (const auto& i : checklist) {
    if (!i.ticked) continue;
    if (i.verdict == "weak" && (threshold == "weak" || threshold == "unverifiable")) return true;
    if (i.verdict == "unverifiable" && threshold == "unverifiable") return true;
  }
  return false;
}

}  // namespace cc

namespace cc {

bool AuditResult::secrets_found() const {
  for (const auto& h : hygiene)
    if (h.kind == "secret") return true;
  return false;
}

}  // namespace cc
