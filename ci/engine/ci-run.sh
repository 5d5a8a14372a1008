#!/usr/bin/env bash
# What CI calls: bring the local Dagger engine up, seed the Debian base images into its
# mirror, and run the pipeline's own `test` (quick subset) for 3.11-minimal on debian12
# in client mode, with the report in results/engine/.
#
#   ci/engine/ci-run.sh
#
# Exit status: 0 = every check passed, OR the engine could not be brought up (then one
# "ENGINE NOT AVAILABLE" block says which step failed and that the Dagger run was
# skipped), OR the time budget ran out (a "BUDGET EXHAUSTED" block says where).
# 1 = the engine ran and a check failed, or the pipeline itself broke while the engine
# kept answering.
# Env: S2I_ENGINE_BUDGET_SECONDS (default 1800): the whole script's wall-time limit,
#      every step runs under `timeout` with what is left of it.
#      S2I_ENGINE_CI_VERSION (3.11-minimal), S2I_ENGINE_CI_DISTRO (debian12),
#      S2I_ENGINE_CI_ARGS (default --smoke), S2I_ENGINE_CI_OUT (results/engine).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1

budget=${S2I_ENGINE_BUDGET_SECONDS:-1800}
version=${S2I_ENGINE_CI_VERSION:-3.11-minimal}
distro=${S2I_ENGINE_CI_DISTRO:-debian12}
read -r -a extra <<<"${S2I_ENGINE_CI_ARGS---smoke}"
out=${S2I_ENGINE_CI_OUT:-results/engine}
[[ "$budget" =~ ^[0-9]+$ && "$budget" -gt 0 ]] || { echo "ci-run: S2I_ENGINE_BUDGET_SECONDS must be a positive number of seconds, got '$budget'" >&2; exit 2; }

started=$(date +%s)
deadline=$((started + budget))
logs=$(mktemp -d /tmp/s2i-engine-ci.XXXXXX)
say() { printf '[engine-ci %4ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }
left() { echo $((deadline - $(date +%s))); }

block() { # title, then lines
  local title=$1; shift
  echo
  echo "==================== $title ===================="
  printf '%s\n' "$@"
  echo "==================== end ===================="
}

# The engine (or its prerequisites) could not be brought up: say so once and skip.
not_available() { # step, log file
  block "ENGINE NOT AVAILABLE" \
    "step:  $1" \
    "error: $(grep -E 'FAILED|ERROR|rror' "$2" | tail -n 1 || true)" \
    "last lines of its output:" "$(tail -n 15 "$2" | sed 's/^/  | /')" \
    "The Dagger run was skipped (exit 0). Logs: $logs" \
    "Total time: $(( $(date +%s) - started ))s of a ${budget}s budget."
  exit 0
}

out_of_time() { # step
  block "BUDGET EXHAUSTED" \
    "The ${budget}s budget (S2I_ENGINE_BUDGET_SECONDS) ran out during: $1" \
    "That step was stopped; the Dagger run did not finish and gave no verdict (exit 0). Logs: $logs"
  exit 0
}

# run <name> <log> <cmd...>: the command under what is left of the budget, its output
# kept in <log> and shown (stdout only with SHOW_STDOUT=1, the default). Returns the
# command's status; stops the script with BUDGET EXHAUSTED when time ran out.
run() {
  local name=$1 log=$2; shift 2
  local rem; rem=$(left)
  ((rem > 0)) || out_of_time "$name (not started)"
  say "$name (budget left ${rem}s)"
  if [[ ${SHOW_STDOUT:-1} == 1 ]]; then
    timeout -k 15 "$rem" "$@" > >(tee -a "$log") 2> >(tee -a "$log" >&2)
  else
    timeout -k 15 "$rem" "$@" >>"$log" 2> >(tee -a "$log" >&2)
  fi
  local rc=$?
  wait # let tee finish writing
  # timeout(1) says 124 when the budget ran out (137 if it had to SIGKILL).
  if ((rc == 124 || (rc == 137 && $(left) <= 1))); then out_of_time "$name"; fi
  return $rc
}

say "engine CI run: test $version on $distro ${extra[*]} (budget ${budget}s, logs in $logs)"

# 0. prerequisites
pre="$logs/prerequisites.log"
{
  [[ $(id -u) == 0 ]] || echo "ERROR: must run as root (the engine container is privileged)"
  command -v podman >/dev/null || echo "ERROR: podman is not installed (ci/scripts/setup-podman.sh)"
  [[ -x node_modules/.bin/tsx && -d node_modules/@dagger.io/dagger ]] || echo "ERROR: node_modules is missing tsx or @dagger.io/dagger (run npm ci)"
} >"$pre" 2>&1
[[ -s "$pre" ]] && not_available "prerequisites" "$pre"

# 1. engine up (builds binaries and the engine image when missing; idempotent)
up_env="$logs/client.env"
run "ci/engine/up.sh" "$logs/up.log" "$here/up.sh" || {
  rc=$?
  not_available "ci/engine/up.sh (exit $rc)" "$logs/up.log"
}
# up.sh printed the client env on stdout (and wrote it to its run dir).
grep '^export ' "$logs/up.log" >"$up_env"
# shellcheck disable=SC1090
. "$up_env"
[[ -n "${_EXPERIMENTAL_DAGGER_RUNNER_HOST:-}" ]] || { echo "ERROR: up.sh printed no client env" >>"$logs/up.log"; not_available "ci/engine/up.sh (no client env)" "$logs/up.log"; }

# 2. the project's Debian base images into the mirror
suite=bookworm
[[ "$distro" == debian13 ]] && suite=trixie
run "ci/engine/seed-bases.sh $suite" "$logs/seed.log" "$here/seed-bases.sh" "$suite" ||
  not_available "ci/engine/seed-bases.sh $suite (exit $?)" "$logs/seed.log"

# 3. the pipeline's own test function, in client mode
pipeline() {
  rm -rf "$out"
  # (its stdout, the summary, is printed once below)
  SHOW_STDOUT=0 run "run-pipeline.ts test${1:+ ($1)}" "$logs/pipeline.log" node_modules/.bin/tsx "$here/run-pipeline.ts" test \
    --version "$version" --distro "$distro" "${extra[@]}" --out "$out"
}
pipeline
rc=$?
# Checks that failed get one more run: PyPI and the Debian mirror behind the proxy fail now
# and then. The engine's cache keeps what passed, so only the failed checks run again, and a
# real breakage fails both times. The first report stays beside the second.
if ((rc == 1)) && [[ -f "$out/results.json" ]]; then
  cp "$out/summary.md" "$logs/summary-attempt-1.md"
  say "checks failed on the first attempt (summary kept in $logs/summary-attempt-1.md); running them once more"
  pipeline "second attempt"
  rc=$?
fi
total=$(( $(date +%s) - started ))
case $rc in
  0)
    block "DAGGER ENGINE RUN: ALL CHECKS PASSED" "$(cat "$out/summary.md")" "" "Report: $out/ (results.xml, results.json, summary.md). Total time: ${total}s."
    exit 0 ;;
  1)
    if [[ -f "$out/results.json" ]]; then
      block "DAGGER ENGINE RUN: CHECKS FAILED" "$(cat "$out/summary.md")" "" \
        "Report: $out/ (results.xml, results.json, summary.md). Total time: ${total}s."
      exit 1
    fi
    # No report: the run itself broke. The engine's fault if it no longer answers.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/${_EXPERIMENTAL_DAGGER_RUNNER_HOST##*:}") 2>/dev/null; then
      not_available "run-pipeline.ts (the engine stopped answering during the run)" "$logs/pipeline.log"
    fi
    block "DAGGER ENGINE RUN: BROKE" "The pipeline failed with the engine up and wrote no report:" \
      "$(grep '^run-pipeline: ' "$logs/pipeline.log" | tail -n 5)" "Log: $logs/pipeline.log. Total time: ${total}s."
    exit 1 ;;
  3)
    not_available "run-pipeline.ts (engine not reachable)" "$logs/pipeline.log" ;;
  *)
    block "DAGGER ENGINE RUN: BROKE" "run-pipeline.ts exited $rc:" "$(tail -n 10 "$logs/pipeline.log")" "Total time: ${total}s."
    exit 1 ;;
esac
