#include <doctest/doctest.h>

#include "tests/unit/probes/fact_query.h"

#include <map>
#include <string>
#include <vector>

#include "engine/facts.h"
#include "engine/memory_snapshot.h"
#include "probes/cloud.h"

using namespace cc;
using cc::test::find_facts;
using cc::test::only_fact;

namespace {

FactStore run_cloud(const std::map<std::string, std::string>& files) {
  MemorySnapshot snap(files);
  FactStore fs;
  CloudProbe().run(snap, fs);
  fs.sort();
  return fs;
}

const char* kBuild = R"(steps:
- name: 'gcr.io/cloud-builders/docker'
  id: 'Build container image'
  args: ['build', '.', '-t', 'europe-west1-docker.pkg.dev/$PROJECT_ID/repo/api', '-f', 'dockerfiles/api.dockerfile']
- name: 'gcr.io/cloud-builders/docker'
  args: ['push', 'europe-west1-docker.pkg.dev/$PROJECT_ID/repo/api']
- name: 'gcr.io/cloud-builders/gcloud'
  args: ['run', 'deploy', 'api', '--image', 'europe-west1-docker.pkg.dev/$PROJECT_ID/repo/api']
#- name: 'gcr.io/cloud-builders/gcloud'
#  args: ['functions', 'deploy', 'fn']
images: ['europe-west1-docker.pkg.dev/$PROJECT_ID/repo/api']
options:
  logging: CLOUD_LOGGING_ONLY
)";

}  // namespace

TEST_CASE("cloud: Cloud Build steps, actions, commented-out steps") {
  auto fs = run_cloud({{"cloudbuild.yaml", kBuild}});
  const Fact& c = only_fact(fs, "cloud.build_config");
  CHECK(c.attr("steps") == "3");
  CHECK(c.attr("empty") == "no");
  CHECK(c.attr("images") == "1");
  CHECK(c.attr("actions") == "deploy-run,docker-build,docker-push");
  CHECK(c.attr("commented") == "1");
  CHECK(only_fact(fs, "cloud.build_step", {{"index", "1"}}).attr("action") == "docker-build");
  CHECK(only_fact(fs, "cloud.build_step", {{"index", "1"}}).attr("id") == "Build container image");
  CHECK(only_fact(fs, "cloud.build_step", {{"index", "2"}}).attr("action") == "docker-push");
  const Fact& d = only_fact(fs, "cloud.build_step", {{"index", "3"}});
  CHECK(d.attr("action") == "deploy-run");
  CHECK(d.attr("builder") == "gcr.io/cloud-builders/gcloud");
  CHECK(d.where.line == 7);
  const Fact& k = only_fact(fs, "cloud.commented");
  CHECK(k.where.line == 9);
  CHECK(k.attr("action") == "deploy-functions");
}

TEST_CASE("cloud: empty, huge and hostile Cloud Build files") {
  std::string huge = "steps: [" + std::string(5 * 1024 * 1024, 'x') + "]";
  std::string deep = "steps: " + std::string(10000, '[');
  auto fs = run_cloud({
      {"cloudbuild.yaml", ""},
      {"cloudbuild_api.yaml", "# steps:\n# - name: gcr.io/cloud-builders/docker\n#   args: [build, .]\n"},
      {"cloudbuild-huge.yaml", huge},
      {"cloudbuild-deep.yaml", deep},
      {"cloud/cloudbuild.yml", "steps:\n  - name: &a [*a]\n"},
  });
  const Fact& e = only_fact(fs, "cloud.build_config", {{"path", "cloudbuild.yaml"}});
  CHECK(e.attr("empty") == "yes");
  CHECK(e.attr("steps") == "0");
  const Fact& c = only_fact(fs, "cloud.build_config", {{"path", "cloudbuild_api.yaml"}});
  CHECK(c.attr("empty") == "yes");
  CHECK(c.attr("commented") == "1");
  CHECK(only_fact(fs, "cloud.commented").attr("action") == "docker-build");
  auto problems = find_facts(fs, kInputProblem);
  CHECK(problems.size() == 3);
  CHECK(find_facts(fs, "cloud.build_config").size() == 2);
}

TEST_CASE("cloud: gcloud commands in workflows, scripts, Makefiles, tasks.py and markdown") {
  auto fs = run_cloud({
      {".github/workflows/deploy.yml",
       "jobs:\n  d:\n    steps:\n      - run: |\n          gcloud run deploy api \\\n"
       "            --image gcr.io/p/api --region europe-west1\n"
       "      # - run: gcloud functions deploy fn\n"},
      {"scripts/train.sh", "#!/bin/bash\ngcloud --project=p ai custom-jobs create --region=eu --config=config.yaml\n"
                           "gcloud compute instances create vm1 && gcloud builds submit .\n"},
      {"Makefile", "alert:\n\tgcloud alpha monitoring policies create --policy-from-file=p.yaml\n"},
      {"tasks.py", "@task\ndef trig(c):\n    c.run(\"gcloud builds triggers create github --repo-name=x\")\n"
                   "    c.run('gcloud storage cp gs://grp-data/x .')\n"},
      {"README.md", "Run `gcloud run deploy` in prose (ignored).\n```bash\ngcloud auth login\n```\n"},
      {"reports/README.md", "```\ngcloud run deploy\n```\n"},
  });
  CHECK(only_fact(fs, "cloud.gcloud", {{"file", ".github/workflows/deploy.yml"}, {"commented", "no"}})
            .attr("command") == "run deploy");
  CHECK(only_fact(fs, "cloud.gcloud", {{"file", ".github/workflows/deploy.yml"}, {"commented", "yes"}})
            .attr("command") == "functions deploy");
  CHECK(only_fact(fs, "cloud.gcloud", {{"file", ".github/workflows/deploy.yml"}, {"commented", "no"}}).where.line == 5);
  CHECK(only_fact(fs, "cloud.gcloud", {{"command", "ai custom-jobs create"}}).attr("source") == "script");
  CHECK(only_fact(fs, "cloud.gcloud", {{"command", "compute instances create"}}).where.line == 3);
  CHECK(only_fact(fs, "cloud.gcloud", {{"command", "builds submit"}}).where.line == 3);
  CHECK(only_fact(fs, "cloud.gcloud", {{"command", "alpha monitoring policies create"}}).attr("source") == "makefile");
  CHECK(only_fact(fs, "cloud.gcloud", {{"command", "builds triggers create"}}).attr("source") == "tasks");
  CHECK(only_fact(fs, "cloud.gcloud", {{"command", "storage cp"}}).attr("file") == "tasks.py");
  CHECK(only_fact(fs, "cloud.gcloud", {{"file", "README.md"}}).attr("command") == "auth");
  CHECK(find_facts(fs, "cloud.gcloud", {{"file", "reports/README.md"}}).empty());
  CHECK(only_fact(fs, "cloud.bucket").attr("name") == "grp-data");
  CHECK(classify_gcloud("beta run deploy x") == "run deploy");
  CHECK(classify_gcloud("--quiet functions deploy f") == "functions deploy");
  CHECK(classify_gcloud("projects list") == "other");
}

TEST_CASE("cloud: Vertex configs, Cloud Run services, triggers, buckets") {
  auto fs = run_cloud({
      {"configs/vertex.yaml", "workerPoolSpecs:\n  machineSpec:\n    machineType: n1-highmem-2\n"
                              "  replicaCount: 1\n  containerSpec:\n    imageUri: gcr.io/p/train\n"},
      {"service.yaml", "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: api\n"
                       "spec:\n  template:\n    spec:\n      containers:\n        - image: gcr.io/p/api\n"},
      {"trigger.yaml", "name: t\nfilename: cloudbuild.yaml\ngithub:\n  push:\n    branch: main\n"},
      {"src/data.py", "BUCKET = 'gs://mlops-grp-7/data'\nOTHER = \"gs://mlops-grp-7/x\"\nX = 'gs://bucket-name/x'\n"},
      {".dvc/config", "[core]\n    remote = r\n['remote \"r\"']\n    url = gs://dvc-store-1\n"},
      {"docs/notes.md", "gs://not-code\n"},
  });
  const Fact& v = only_fact(fs, "cloud.vertex_config");
  CHECK(v.attr("machine_type") == "n1-highmem-2");
  CHECK(v.attr("image") == "gcr.io/p/train");
  const Fact& r = only_fact(fs, "cloud.run_service");
  CHECK(r.attr("name") == "api");
  CHECK(r.attr("image") == "gcr.io/p/api");
  CHECK(only_fact(fs, "cloud.build_trigger").attr("filename") == "cloudbuild.yaml");
  CHECK(only_fact(fs, "cloud.bucket", {{"file", "src/data.py"}}).attr("name") == "mlops-grp-7");
  CHECK(only_fact(fs, "cloud.bucket", {{"file", ".dvc/config"}}).attr("name") == "dvc-store-1");
  CHECK(find_facts(fs, "cloud.bucket").size() == 2);
}

TEST_CASE("cloud: names and hosts have the lengths GCP allows (checked after the match)") {
  const std::string run226(226, 'b'), host202 = "a" + std::string(201, 'x');
  auto fs = run_cloud({
      {"src/a.py", "A = 'gs://ab/x'\nB = 'gs://" + run226 + "/x'\nC = 'gs://q" + std::string(230, '-') +
                       "z/x'\nD = 'https://" + host202 + ".run.app/p'\nE = 'https://" +
                       std::string(200, 'y') + ".run.app/p'\n"},
      {"infra/main.tf", "resource \"google_cloud_run_v2_service\" \"" + std::string(201, 'n') +
                            "\" {\n}\nresource \"google_cloud_run_v2_service\" \"" +
                            std::string(200, 'm') + "\" {\n}\n"},
  });
  // 2 characters is no bucket; a longer run is cut at 222, back to a letter or digit; a run of
  // dashes cut there leaves too short a name.
  const auto buckets = find_facts(fs, "cloud.bucket");
  REQUIRE(buckets.size() == 1);
  CHECK(buckets[0]->attr("name") == std::string(222, 'b'));
  // The host is at most 201 characters before .run.app.
  const auto urls = find_facts(fs, "cloud.run_url");
  REQUIRE(urls.size() == 1);
  CHECK(urls[0]->where.line == 5);
  // A Terraform resource name is at most 200 characters.
  const auto tf = find_facts(fs, "cloud.run_service", {{"source", "terraform"}});
  REQUIRE(tf.size() == 1);
  CHECK(tf[0]->where.line == 3);
}

// ---- Cloud Build configs by name

TEST_CASE("cloud: Cloud Build configs under free names; build.yaml is not one") {
  CHECK(is_cloudbuild_path("cloudbuild.yaml"));
  CHECK(is_cloudbuild_path("cloud_build_and_deploy.yaml"));
  CHECK(is_cloudbuild_path("configs/cloud-build.yml"));
  CHECK(is_cloudbuild_path("deploy/CloudBuild.Train.json"));
  CHECK_FALSE(is_cloudbuild_path("build.yaml"));
  CHECK_FALSE(is_cloudbuild_path("cloud.yaml"));
  CHECK_FALSE(is_cloudbuild_path("cloudbuild.md"));
  auto fs = run_cloud({
      {"cloud_build_and_deploy.yaml", kBuild},
      {"configs/cloud-build.yml", "steps:\n- name: 'gcr.io/cloud-builders/docker'\n  args: ['build', '.']\n"},
      {"build.yaml", "steps:\n- name: 'gcr.io/cloud-builders/docker'\n  args: ['build', '.']\n"},
  });
  CHECK(only_fact(fs, "cloud.build_config", {{"path", "cloud_build_and_deploy.yaml"}}).attr("steps") == "3");
  CHECK(only_fact(fs, "cloud.build_config", {{"path", "configs/cloud-build.yml"}}).attr("actions") == "docker-build");
  CHECK(find_facts(fs, "cloud.build_step", {{"path", "configs/cloud-build.yml"}}).size() == 1);
  CHECK(find_facts(fs, "cloud.build_config", {{"path", "build.yaml"}}).empty());
  CHECK(find_facts(fs, "cloud.build_step", {{"path", "build.yaml"}}).empty());
  CHECK(find_facts(fs, "cloud.build_config").size() == 2);
}

// ---- Terraform

TEST_CASE("cloud: Terraform resources for Cloud Run, alert policies and dashboards") {
  auto fs = run_cloud({
      {"infra/main.tf",
       "provider \"google\" {\n  project = var.project\n}\n\n"
       "resource \"google_cloud_run_v2_service\" \"api\" {\n  name     = \"api\"\n  location = \"europe-west1\"\n}\n\n"
       "resource \"google_monitoring_alert_policy\" \"latency\" {\n  display_name = \"p99\"\n}\n"
       "  resource \"google_monitoring_dashboard\" \"board\" {\n  dashboard_json = \"{}\"\n}\n"
       "resource \"google_storage_bucket\" \"data\" {\n  name = \"x\"\n}\n"
       "# resource \"google_cloudfunctions2_function\" \"off\" {\n"},
  });
  const Fact& run = only_fact(fs, "cloud.run_service", {{"source", "terraform"}});
  CHECK(run.attr("name") == "api");
  CHECK(run.attr("resource") == "google_cloud_run_v2_service");
  CHECK(run.attr("path") == "infra/main.tf");
  CHECK(run.where.line == 5);
  const Fact& alert = only_fact(fs, "cloud.alert_policy");
  CHECK(alert.attr("name") == "latency");
  CHECK(alert.attr("source") == "terraform");
  CHECK(alert.where.line == 10);
  const Fact& board = only_fact(fs, "cloud.monitoring_config", {{"source", "terraform"}});
  CHECK(board.attr("resource") == "google_monitoring_dashboard");
  CHECK(board.attr("name") == "board");
  // A bucket resource and a commented-out resource stand for nothing.
  CHECK(find_facts(fs, "cloud.run_service").size() == 1);
}

TEST_CASE("cloud: Terraform blocks are read in .tf files only") {
  auto fs = run_cloud({
      {"notes.py", "TF = 'resource \"google_cloud_run_v2_service\" \"api\" {'\n"},
      {"docs/infra.md", "```\nresource \"google_cloud_run_v2_service\" \"api\" {\n```\n"},
  });
  CHECK(find_facts(fs, "cloud.run_service").empty());
}

// ---- Cloud Run URLs

TEST_CASE("cloud: a .run.app URL in code or configuration is a call of a deployed service") {
  auto fs = run_cloud({
      {"src/pkg/client.py",
       "import requests\nURL = \"https://api-abc123-ew.a.run.app/predict\"\n"
       "r = requests.post(URL)\nOTHER = 'https://api-abc123-ew.a.run.app/health'\n"},
      {"configs/api.yaml", "endpoint: https://frontend-xyz-uc.a.run.app\n"},
      {"src/pkg/local.py", "URL = 'http://localhost:8000/predict'\n"},
      {"reports/README.md", "Our API: https://report-abc-ew.a.run.app/docs\n"},
  });
  const Fact& py = only_fact(fs, "cloud.run_url", {{"file", "src/pkg/client.py"}});  // once per URL and file
  CHECK(py.attr("url") == "https://api-abc123-ew.a.run.app");
  CHECK(py.where.line == 2);
  CHECK(only_fact(fs, "cloud.run_url", {{"file", "configs/api.yaml"}}).attr("url") ==
        "https://frontend-xyz-uc.a.run.app");
  CHECK(find_facts(fs, "cloud.run_url", {{"file", "src/pkg/local.py"}}).empty());
  // The report is not the repository's evidence: markdown under reports/ is not read.
  CHECK(find_facts(fs, "cloud.run_url", {{"file", "reports/README.md"}}).empty());
  CHECK(find_facts(fs, "cloud.run_url").size() == 2);
}

TEST_CASE("cloud: a README's .run.app URL counts, the report's does not") {
  auto fs = run_cloud({{"README.md", "Deployed at https://api-abc123-ew.a.run.app\n"},
                       {"reports/README.md", "https://api-abc123-ew.a.run.app\n"}});
  CHECK(only_fact(fs, "cloud.run_url").attr("file") == "README.md");
}

// BUG (skipped, reported): is_cloudbuild_path now matches any basename containing "cloud build"
// and is checked before the workflow case, so a GitHub workflow named cloud-build.yml is read as an
// empty Cloud Build config and its gcloud commands are lost.
TEST_CASE("cloud: a GitHub workflow named cloud-build.yml is a workflow") {
  auto fs = run_cloud({{".github/workflows/cloud-build.yml",
                        "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
                        "      - run: gcloud builds submit --config cloudbuild.yaml\n"}});
  CHECK(find_facts(fs, "cloud.build_config").empty());
  CHECK(only_fact(fs, "cloud.gcloud").attr("source") == "workflow");
}

TEST_CASE("cloud: a JSON or YAML file over the configuration size is data, not read") {
  // A profiler trace or a label list of megabytes is not a Vertex or Cloud Run config: reading and
  // parsing it cost more than the rest of the probe. Workflows, Cloud Build files and scripts of any
  // size still are.
  std::string big = "{\"traceEvents\": [";
  while (big.size() < 300 * 1024) big += "{\"name\": \"aten::conv2d\", \"ts\": 1},";
  auto fs = run_cloud({
      {"reports/prof/host.pt.trace.json", big + "{\"url\": \"https://api-x.a.run.app\"}]}"},
      {"configs/service.json", "{\"url\": \"https://api-y.a.run.app\"}"},
  });
  auto runs = find_facts(fs, "cloud.run_url");
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]->where.path == "configs/service.json");
}
