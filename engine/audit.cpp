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

}  // namespace cc

namespace cc {

bool AuditResult::secrets_found() const {
  for (const auto& h : hygiene)
    if (h.kind == "secret") return true;
  return false;
}

}  // namespace cc
