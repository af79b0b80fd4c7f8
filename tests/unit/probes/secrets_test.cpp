// The secrets probe's detectors (probes/data/secrets.yaml) on a few lines each, written inline.
// Every value here is made up: pattern-valid, never a real credential.
#include <doctest/doctest.h>

#include "tests/unit/probes/fact_query.h"

#include <map>
#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/secret_detectors.h"
#include "probes/secrets.h"

using namespace cc;
using cc::test::find_facts;
using cc::test::only_fact;

namespace {

const std::string kWandb = "f8b4c0bf8e704eb5a6162ac20172de3d4a5152cd";
const std::string kWandb2 = "ffc0268bbc9387abb50cd107d1c6375281d8fb1e";
const std::string kGoogle = "AIzaHeW02HR0W_XZxvAGoIgTNrNBdNfbvzuzLyx";
const std::string kHf = "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";
const std::string kKaggle = "b27ac84e88ad33f5b48ca9bbae25c6ab";
const std::string kAws = "AKIA7TPKNH9Y65TFMJOY";
const std::string kAwsSecret = "/xh3Mc+XTZkj6ZbV1sdQjJNCM0JYkfKUKSkpfosi";
const std::string kPkLine1 = "7oupyLTkNOIfFvX1EJwsvm7+0fytV/9ExwtvOOlfUVYNofX84VCpsHrmNNw4nhHT";
const std::string kPkLine2 = "GKt6fuXO7imDM6znd4jGY7RW/DDY660il64rh3i3cvwnHTOmaTYtQZ8SU3j87K9z";

// "detector value line" per hit, for compact checks.
std::vector<std::string> hits(const std::string& path, const std::string& text) {
  std::vector<std::string> out;
  for (const auto& h : find_secrets(path, text))
    out.push_back(h.detector + " " + h.value + " " + std::to_string(h.line));
  return out;
}

}  // namespace

TEST_CASE("secrets: every detector's regexes compile and name the value (they compile on first use)") {
  CHECK(secret_detectors_error() == "");
  CHECK(compile_secret_detectors() == "");
}

TEST_CASE("secrets: W&B API keys after wandb login, in WANDB_API_KEY, in wandb.login(key=...), in .netrc") {
  CHECK(hits("tasks.py", "import os\nos.system('wandb login " + kWandb + "')\n") ==
        std::vector<std::string>{"wandb-api-key " + kWandb + " 2"});
  CHECK(hits("Dockerfile", "FROM python:3.11\nENV WANDB_API_KEY=" + kWandb + "\n") ==
        std::vector<std::string>{"wandb-api-key " + kWandb + " 2"});
  CHECK(hits("Dockerfile", "ENV WANDB_API_KEY " + kWandb + "\n").size() == 1);
  CHECK(hits("job.yaml", "env:\n  - name: X\n    WANDB_API_KEY: \"" + kWandb + "\"\n").size() == 1);
  CHECK(hits("train.py", "os.environ[\"WANDB_API_KEY\"] = \"" + kWandb + "\"\n").size() == 1);
  CHECK(hits("train.py", "import wandb\nwandb.login(anonymous='never', key=\"" + kWandb2 + "\")\n") ==
        std::vector<std::string>{"wandb-api-key " + kWandb2 + " 2"});
  CHECK(hits("netrc", "machine api.wandb.ai\n  login user\n  password " + kWandb + "\n").size() == 1);
  // A Hydra config's api_key counts in a file about W&B only.
  CHECK(hits("configs/config.yaml", "wandb:\n  project: mnist\n  api_key: " + kWandb + "\n").size() == 1);
  CHECK(hits("configs/other.yaml", "service:\n  api_key: " + kWandb + "\n").empty());
  auto h = find_secrets("Dockerfile", "ENV WANDB_API_KEY=" + kWandb + "\n");
  REQUIRE(h.size() == 1);
  CHECK(h[0].var == "WANDB_API_KEY");
}

TEST_CASE("secrets: GCP service-account JSON, Google API keys, Hugging Face tokens") {
  std::string sa = "{\n  \"type\": \"service_account\",\n  \"project_id\": \"mlops-123\",\n"
                   "  \"private_key_id\": \"1234\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n" +
                   kPkLine1 + "\\n" + kPkLine2 + "\\n-----END PRIVATE KEY-----\\n\",\n"
                   "  \"client_email\": \"sa@mlops-123.iam.gserviceaccount.com\"\n}\n";
  auto h = find_secrets("gcp-key.json", sa);
  REQUIRE(h.size() == 1);
  CHECK(h[0].detector == "gcp-service-account-key");
  CHECK(h[0].line == 5);
  CHECK(h[0].value == kPkLine1 + "\\n" + kPkLine2);
  // Without "type": "service_account" it is not a service-account key (and the escaped block is
  // no private-key block either).
  std::string other = sa;
  other.replace(other.find("service_account"), 15, "authorized_user");
  CHECK(find_secrets("x.json", other).empty());

  CHECK(hits("app.js", "const key = \"" + kGoogle + "\";\n") ==
        std::vector<std::string>{"google-api-key " + kGoogle + " 1"});
  CHECK(hits("hub.py", "login(token=\"" + kHf + "\")\n") == std::vector<std::string>{"huggingface-token " + kHf + " 1"});
}

TEST_CASE("secrets: Kaggle keys, AWS keys, private key blocks") {
  CHECK(hits("kaggle.json", "{\"username\":\"ada\",\"key\":\"" + kKaggle + "\"}\n") ==
        std::vector<std::string>{"kaggle-key " + kKaggle + " 1"});
  CHECK(hits("job.yaml", "env:\n  KAGGLE_KEY: " + kKaggle + "\n").size() == 1);
  // A Vertex AI / Kubernetes env list: the name on one line, the value on the next.
  CHECK(hits("vertex.yaml", "env:\n  - name: KAGGLE_KEY\n    value: " + kKaggle + "\n") ==
        std::vector<std::string>{"kaggle-key " + kKaggle + " 3"});
  CHECK(hits("run.yaml", "env:\n  - name: WANDB_API_KEY\n    value: '" + kWandb + "'\n").size() == 1);
  CHECK(hits("vertex.yaml", "env:\n  - name: KAGGLE_KEY\n    value: <your-kaggle-key>\n").empty());
  CHECK(hits("notes.json", "{\"key\": \"" + kKaggle + "\"}\n").empty());  // no username: not kaggle.json's shape

  CHECK(hits("creds", "[default]\naws_access_key_id = " + kAws + "\naws_secret_access_key = " + kAwsSecret + "\n") ==
        std::vector<std::string>{"aws-access-key " + kAws + " 2", "aws-secret-key " + kAwsSecret + " 3"});

  std::string pem = "notes\n-----BEGIN RSA PRIVATE KEY-----\n" + kPkLine1 + "\n" + kPkLine2 + "\n-----END RSA PRIVATE KEY-----\n";
  auto h = find_secrets("deploy_key", pem);
  REQUIRE(h.size() == 1);
  CHECK(h[0].detector == "private-key");
  CHECK(h[0].var == "RSA PRIVATE KEY");
  CHECK(h[0].line == 3);
  // The pieces a Redactor masks: the whole body and each of its lines.
  auto pieces = secret_redaction_pieces(h[0].value);
  CHECK(pieces == std::vector<std::string>{kPkLine1 + "\n" + kPkLine2, kPkLine1, kPkLine2});
  // A block with no key in it (documentation) is not a finding.
  CHECK(find_secrets("README.md", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n").empty());
}

TEST_CASE("secrets: .env files: credential-like assignments, not examples or other settings") {
  std::string env = "# local settings\nPORT=8000\nexport HF_TOKEN='PySef449kMCkSV20CtJt9Upd'\nDB_PASSWORD=hunter22x\n";
  CHECK(hits(".env", env) == std::vector<std::string>{"dotenv-secret PySef449kMCkSV20CtJt9Upd 3",
                                                      "dotenv-secret hunter22x 4"});
  CHECK(hits("deploy/prod.env", env).size() == 2);
  CHECK(hits(".env.example", env).empty());
  CHECK(hits("settings.py", env).empty());  // only .env files
  // A specific detector names it first; the .env rule does not repeat it.
  CHECK(hits(".env", "WANDB_API_KEY=" + kWandb + "\n") == std::vector<std::string>{"wandb-api-key " + kWandb + " 1"});
}

TEST_CASE("secrets: placeholders, references and empty values are not findings") {
  const char* silent[] = {
      "wandb login <your-key>\n",
      "wandb login $WANDB_API_KEY\n",
      "wandb login xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
      "WANDB_API_KEY: ${{ secrets.WANDB_API_KEY }}\n",
      "WANDB_API_KEY=\n",
      "os.environ[\"WANDB_API_KEY\"] = os.environ[\"KEY\"]\n",
      "wandb.login(key=os.environ[\"WANDB_API_KEY\"])\n",
      "WANDB_API_KEY=0000000000000000000000000000000000000000\n",
      "WANDB_API_KEY=0123456789abcdef0123456789abcdef01234567\n",
      "token = \"hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n",
      "key = \"AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\"\n",
      "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n",
      "aws_access_key_id = AKIAXXXXXXXXXXXXXXXX\n",
  };
  for (const char* s : silent) {
    INFO(s);
    CHECK(find_secrets("run.sh", s).empty());
  }
  const char* env_silent[] = {"API_KEY=\n", "API_KEY=\"\"\n", "API_KEY=<your-key>\n", "API_KEY=${API_KEY}\n",
                              "API_KEY=changeme\n", "SECRET_TOKEN=your_token_here\n"};
  for (const char* s : env_silent) {
    INFO(s);
    CHECK(find_secrets(".env", s).empty());
  }
  CHECK(is_secret_placeholder(""));
  CHECK(is_secret_placeholder("<your-key>"));
  CHECK_FALSE(is_secret_placeholder(kWandb));
}

TEST_CASE("secrets probe: one masked fact per value, the value in no fact, other facts redacted") {
  MemorySnapshot snap({{"Dockerfile", "ENV WANDB_API_KEY=" + kWandb + "\n"},
                       {"scripts/train.sh", "wandb login " + kWandb + "\npython train.py\n"},
                       {".env", "HF_TOKEN=" + kHf + "\n"},
                       {"model.bin", std::string("\0\0binary ", 9) + kWandb2},
                       {".venv/lib/x.py", "key='" + kGoogle + "'\n"}});
  FactStore fs;
  // Another probe quoting the line: the store masks it.
  Fact quote;
  quote.kind = "docker.env";
  quote.detail = "ENV WANDB_API_KEY=" + kWandb;
  fs.add(quote);
  SecretsProbe().run(snap, fs);
  fs.redact();
  fs.sort();
  auto found = find_facts(fs, "secret.found");
  REQUIRE(found.size() == 2);  // the W&B key (two places) and the HF token; not binary, not .venv
  const Fact& w = only_fact(fs, "secret.found", {{"detector", "wandb-api-key"}});
  CHECK(w.attr("masked") == "f8****cd");
  CHECK(w.attr("places") == "2");
  CHECK(w.attr("in_head") == "yes");
  CHECK(w.attr("commit") == "");  // no history in memory
  CHECK(w.where.path == "Dockerfile");
  CHECK(only_fact(fs, "secret.found", {{"detector", "huggingface-token"}}).attr("masked") == "hf****PM");
  for (const auto& f : fs.all()) {
    std::string all = f.detail;
    for (const auto& [k, v] : f.attrs) all += " " + v;
    CHECK(all.find(kWandb) == std::string::npos);
    CHECK(all.find(kHf) == std::string::npos);
  }
  CHECK(only_fact(fs, "docker.env").detail == "ENV WANDB_API_KEY=f8****cd");
  const Fact& scan = only_fact(fs, "secret.scan");
  CHECK(scan.attr("files") == "4");
  CHECK(scan.attr("capped") == "no");
}

TEST_CASE("secrets probe: hostile input: many keys are capped in the list but all masked; long lines") {
  // 500 distinct made-up keys in one file, one per line.
  std::string many;
  std::vector<std::string> keys;
  for (int i = 0; i < 500; ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%08x%08xa1b2c3d4e5f6a7b8c9d0e1f2", i * 2654435761u, i * 40503u + 17);
    keys.emplace_back(buf, 40);
    many += "WANDB_API_KEY=" + keys.back() + "\n";
  }
  MemorySnapshot snap({{"keys.env", many}, {"long.txt", std::string(3 << 20, 'a') + " wandb login " + kWandb}});
  FactStore fs;
  Fact quote;
  quote.kind = "other.quote";
  quote.detail = many;  // another probe quoting the whole file
  fs.add(quote);
  SecretsLimits small;
  small.max_findings = 10;
  SecretsProbe(small).run(snap, fs);
  fs.redact();
  CHECK(find_facts(fs, "secret.found").size() == 10);
  const Fact& scan = only_fact(fs, "secret.scan");
  CHECK(scan.attr("unlisted") == "491");  // 500 + the long line's key, 10 listed
  CHECK(scan.detail.find("491 more are not listed (but masked)") != std::string::npos);
  const std::string& masked = only_fact(fs, "other.quote").detail;
  for (const auto& k : keys) CHECK(masked.find(k) == std::string::npos);
}

TEST_CASE("secrets probe: lock files, images and weights are not read (skip_files), and the scan says so") {
  // A lock file holds package hashes, not credentials; a figure or checkpoint is binary. A key in a
  // file of either name is not looked for: the scan's detail counts what it skipped.
  MemorySnapshot snap({{"uv.lock", "WANDB_API_KEY=" + kWandb + "\n"},
                       {"frontend/package-lock.json", "{\"token\": \"" + kHf + "\"}\n"},
                       {"reports/figures/loss.png", "HF_TOKEN=" + kHf + "\n"},
                       {"models/model.pt", "WANDB_API_KEY=" + kWandb2 + "\n"},
                       {"scripts/train.sh", "wandb login " + kWandb + "\n"},
                       {"uv.lock.md", "HF_TOKEN=" + kHf + "\n"}});
  FactStore fs;
  SecretsProbe().run(snap, fs);
  auto found = find_facts(fs, "secret.found");
  REQUIRE(found.size() == 2);  // the script's key, and the token of a file merely named like one
  CHECK(only_fact(fs, "secret.found", {{"detector", "wandb-api-key"}}).where.path == "scripts/train.sh");
  const Fact& scan = only_fact(fs, "secret.scan");
  CHECK(scan.attr("skipped_files") == "4");
  CHECK(scan.attr("files") == "2");
  CHECK(scan.detail.find("4 file(s) not read by name (lock files, images, model weights)") != std::string::npos);
}

TEST_CASE("secrets: a pattern's own hints gate it; the detector's common hint alone does not run it") {
  // '"key"' (the Kaggle JSON's key) is in every JSON-laden page; the KAGGLE_KEY patterns need
  // their own word. Findings are unchanged either way.
  std::string page = "<script>var d = {\"key\": \"x\", \"name:\": 1};</script>\n";
  CHECK(hits("reports/drift.html", page).empty());
  CHECK(hits("k8s/job.yaml", "env:\n  - name: KAGGLE_KEY\n    value: " + kKaggle + "\n") ==
        std::vector<std::string>{"kaggle-key " + kKaggle + " 3"});
  CHECK(hits("kaggle.json", "{\"username\": \"grp\", \"key\": \"" + kKaggle + "\"}\n") ==
        std::vector<std::string>{"kaggle-key " + kKaggle + " 1"});
}

TEST_CASE("secrets: W&B patterns are gated by their own words, and still find every form") {
  // A file that only mentions wandb (an import, a config) runs none of the key patterns; each
  // form of a committed key is still found.
  CHECK(hits("src/train.py", "import wandb\nwandb.init(project='x')\n").empty());
  CHECK(hits("scripts/setup.sh", "wandb login " + kWandb + "\n") ==
        std::vector<std::string>{"wandb-api-key " + kWandb + " 1"});
  CHECK(hits("src/t.py", "import wandb\nwandb.login(key=\"" + kWandb + "\")\n") ==
        std::vector<std::string>{"wandb-api-key " + kWandb + " 2"});
  CHECK(hits(".netrc", "machine api.wandb.ai\n  login user\n  password " + kWandb + "\n") ==
        std::vector<std::string>{"wandb-api-key " + kWandb + " 3"});
  CHECK(hits("job.yaml", "env:\n  - name: WANDB_API_KEY\n    value: " + kWandb + "\n") ==
        std::vector<std::string>{"wandb-api-key " + kWandb + " 3"});
  CHECK(hits("config.py", "# wandb\nApi_Key = '" + kWandb + "'\n") ==
        std::vector<std::string>{"wandb-api-key " + kWandb + " 2"});
}
