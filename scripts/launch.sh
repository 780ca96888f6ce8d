# Sourced by ./keepsake and ./bench: builds MODULE's shaded jar when it is missing or older than any source or
# POM, then runs it with the selected JDK. Expects MODULE and JAR set, and the arguments in "$@".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. scripts/java-env.sh
jar="$root/$MODULE/target/$JAR"
if [ ! -f "$jar" ] || [ -n "$(find . -path ./.git -prune -o \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]; then
  echo "building $MODULE (first run or sources changed)..." >&2
  if ! mvn -B -q -DskipTests -pl "$MODULE" -am package >"$root/target-build.log" 2>&1; then
    cat "$root/target-build.log" >&2
    echo "build of $MODULE failed; see the output above" >&2
    exit 1
  fi
  rm -f "$root/target-build.log"
fi
cd "$OLDPWD"
exec "$JAVA_HOME/bin/java" ${KEEPSAKE_JAVA_OPTS:-} -jar "$jar" "$@"
