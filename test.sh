#!/usr/bin/env bash
# Runs every test and build gate of the repository, as CI does:
#
#   ./test.sh [extra Maven arguments, e.g. -DskipE2E or -pl aistream-core -am]
#
# Sets up what a fresh machine lacks where it can (system packages through apt-get when running as
# root), runs `mvn verify` with Maven itself on a JDK >= 21 (the formatter needs it), and ends with one
# line `N passed, M failed` over every JUnit and JS report. What cannot be set up is left out with
# one line saying what did not run and how to get it; the exit status is Maven's, so it is non-zero
# only for real failures (a test, a gate, the build).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
skipped=() # one line per part not run, repeated just before the total

say() { echo "test: $*" >&2; }

not_run() {
  skipped+=("$*")
  say "$*"
}

can_apt_install() {
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1
}

apt_install() { # PACKAGE...: install Debian packages, refreshing the package index once if needed
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "$@" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$@" >/dev/null 2>&1; }
}

# One function per system package the tests use: each makes its package available, or leaves out
# the tests that need it with one line on how to get it.

have_binary() { # VARIABLE NAME DEBIAN_PATH: as the tests look (aistream-testing's SystemBinary)
  local named="${!1:-}"
  if [ -n "$named" ]; then
    [ -x "$named" ] # the user's choice: no fallback to another binary
    return
  fi
  command -v "$2" >/dev/null 2>&1 || [ -x "$3" ]
}

need_cluster_binary() { # VARIABLE NAME DEBIAN_PATH PACKAGE: redis-server and nginx of the cluster tests
  local variable="$1" name="$2" path="$3" package="$4"
  have_binary "$variable" "$name" "$path" && return 0
  if [ -n "${!variable:-}" ]; then
    not_run "cluster tests NOT run: $variable=${!variable} is not an executable; point it at $name or unset it"
  elif can_apt_install; then
    say "installing Debian's $package for the cluster tests"
    # the package's own service may fail to start (port taken, no init): the tests only need the binary
    apt_install "$package"
    have_binary "$variable" "$name" "$path" && return 0
    not_run "cluster tests NOT run: 'apt-get install -y $package' failed; install $name or set $variable"
  else
    not_run "cluster tests NOT run: no $name; install it with 'sudo apt-get install -y $package' (Debian/Ubuntu) or set $variable"
  fi
  # RedisServer/NginxProxy.assumeAvailable() then skip the tests that need the missing one
  export AISTREAM_CLUSTER_TESTS=skip
  return 1
}

need_redis_server() { # the cluster tests start their own redis-server per test (never the system service)
  need_cluster_binary REDIS_SERVER redis-server /usr/bin/redis-server redis-server
}

need_nginx() { # ... and a round-robin nginx in front of the gateway nodes
  need_cluster_binary NGINX nginx /usr/sbin/nginx nginx
}

chromium_candidates=(/usr/bin/chromium /usr/bin/chromium-browser) # where e2e/support/browser.ts looks

have_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] # the user's choice: no fallback to another browser
    return
  fi
  local c
  for c in "${chromium_candidates[@]}"; do
    [ -x "$c" ] && return 0
  done
  return 1
}

need_chromium() { # the browser specs of module e2e drive Debian's Chromium
  have_chromium && return 0
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    not_run "browser tests NOT run: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable; point it at a Chromium binary or unset it"
  elif can_apt_install; then
    say "installing Debian's chromium for the browser tests (about 500 MB)"
    if apt_install chromium && have_chromium; then
      return 0
    fi
    not_run "browser tests NOT run: 'apt-get install -y chromium' failed; install Chromium or set CHROMIUM_PATH"
  else
    not_run "browser tests NOT run: no Chromium; install it with 'sudo apt-get install -y chromium' (Debian/Ubuntu) or set CHROMIUM_PATH"
  fi
  export AISTREAM_E2E_BROWSER=skip # e2e/vitest.config.ts leaves the browser specs out, runs the rest
  return 1
}

java_major() { # JAVA_BINARY: its feature version (17, 21, 25...), or nothing
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

need_jdk21_for_maven() { # Maven on a JDK >= 21, so palantir-java-format can parse Java 21 code
  local candidates=() j v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for j in /usr/lib/jvm/*/bin/java /opt/java/*/bin/java /opt/jdk*/bin/java "$HOME"/.sdkman/candidates/java/*/bin/java \
           /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
    [ -x "$j" ] && candidates+=("$j")
  done
  for j in "${candidates[@]}"; do
    v="$(java_major "$j" || true)"
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      j="$(readlink -f "$j")"
      export JAVA_HOME="${j%/bin/java}"
      # Maven's own libraries use sun.misc.Unsafe; JDK 23+ warns about it on every run.
      [ "$v" -ge 23 ] && export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
      return 0
    fi
  done
  not_run "formatter check NOT run: no JDK 21 or newer found to run Maven on; install one (e.g. Temurin 21) or set JAVA_HOME"
  return 1
}

total() { # prints `N passed, M failed` over surefire's XML and the two JS runners' JSON reports
  local passed failed report js_passed js_failed
  read -r passed failed < <(
    find "$root" -path '*/node_modules' -prune -o -path '*/target/surefire-reports/TEST-*.xml' -print0 \
      | xargs -0 -r sed -n 's/.*<testsuite \(.*\)>.*/\1/p' \
      | awk '{
          t=f=e=s=0
          if (match($0, / tests="[0-9]+"/))    t=substr($0, RSTART+8,  RLENGTH-9)
          if (match($0, / failures="[0-9]+"/)) f=substr($0, RSTART+11, RLENGTH-12)
          if (match($0, / errors="[0-9]+"/))   e=substr($0, RSTART+9,  RLENGTH-10)
          if (match($0, / skipped="[0-9]+"/))  s=substr($0, RSTART+10, RLENGTH-11)
          P += t - f - e - s; F += f + e
        } END { printf "%d %d\n", P, F }'
  )
  for report in "$root/clients/js/target/vitest-report.json" "$root/e2e/target/e2e-report.json"; do
    [ -f "$report" ] || continue
    js_passed=$(sed -n 's/.*"numPassedTests":\([0-9]*\).*/\1/p' "$report" | head -n 1)
    js_failed=$(sed -n 's/.*"numFailedTests":\([0-9]*\).*/\1/p' "$report" | head -n 1)
    passed=$((${passed:-0} + ${js_passed:-0}))
    failed=$((${failed:-0} + ${js_failed:-0}))
  done
  echo "${passed:-0} passed, ${failed:-0} failed"
}

main() {
  cd "$root" || exit 1
  command -v mvn >/dev/null || { say "Maven (mvn 3.8+) is not on PATH; install it and run again"; exit 1; }
  command -v npm >/dev/null || { say "npm is not on PATH; install Node 20+ with npm and run again"; exit 1; }
  need_jdk21_for_maven
  need_chromium
  need_redis_server
  need_nginx

  # reports of an earlier run must not count
  find . -path '*/node_modules' -prune -o -path '*/target/surefire-reports' -type d -print0 | xargs -0 -r rm -rf
  rm -f clients/js/target/vitest-report.json e2e/target/e2e-report.json

  mvn -B -ntp -Dstyle.color=never verify "$@"
  local status=$?

  local line
  for line in "${skipped[@]}"; do
    say "$line"
  done
  [ "$status" -ne 0 ] && say "mvn verify failed (exit $status)"
  total
  return "$status"
}

# Sourcing the file (e.g. to try one function) runs nothing.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
