# Sourced by ./keepsake and ./bench: builds MODULE's shaded jar when it is missing or older than any main source,
# resource or POM of the project (or a main source directory, so deletions count too), then runs it with the
# selected JDK 21+ from the caller's directory.
# Expects MODULE and JAR set, and the arguments in "$@". Build output is shown only when the build fails.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/java-env.sh"
jar="$root/$MODULE/target/$JAR"

# Prints the first main source, resource or POM newer than the jar (nothing if the jar is up to date).
keepsake_stale_input() {
  (cd "$root" && find . \( -name .git -o -name target -o -path ./data -o -path ./bench-results \) -prune -o \
    \( -type f \( -name pom.xml -o -path '*/src/main/*' \) -o -type d -path '*/src/main*' \) -newer "$jar" \
    -print -quit)
}

if [ ! -f "$jar" ] || [ -n "$(keepsake_stale_input)" ]; then
  # One launcher build at a time: ./keepsake and ./bench both build keepsake-core (-am), so they share one lock.
  mkdir -p "$root/target"
  exec 9>"$root/target/.launcher-build.lock"
  command -v flock >/dev/null 2>&1 && flock 9
  if [ ! -f "$jar" ] || [ -n "$(keepsake_stale_input)" ]; then
    echo "building $MODULE (first run or sources changed)..." >&2
    log=$(mktemp "${TMPDIR:-/tmp}/keepsake-build.XXXXXX")
    if ! (cd "$root" && mvn -B -q -Dstyle.color=never -Dmaven.test.skip=true -pl "$MODULE" -am package) \
        >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      echo "build of $MODULE failed; see the output above" >&2
      exit 1
    fi
    rm -f "$log"
    touch "$jar"
  fi
  exec 9>&-
fi
exec "$JAVA_HOME/bin/java" ${KEEPSAKE_JAVA_OPTS:-} -jar "$jar" "$@"
