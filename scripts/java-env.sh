# Sourced by the launchers: selects a JDK 21+ and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME if it is 21+, else the newest JDK 21+ under /usr/lib/jvm, else `java` on the PATH if 21+.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
keepsake_select_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then best="$candidate"; fi
  fi
  if [ -z "$best" ]; then
    echo "keepsake: no JDK 21 or newer found (JAVA_HOME is '${JAVA_HOME:-unset}', nothing suitable under /usr/lib/jvm)." >&2
    echo "keepsake: install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
keepsake_select_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
if ! command -v mvn >/dev/null 2>&1; then
  echo "keepsake: Maven (mvn) is not installed; install it (apt-get install maven)." >&2
  exit 1
fi
# Quiet, batch-mode Maven by default.
MVN="mvn -B -q -e"
# Maven's bundled Guava calls sun.misc.Unsafe; JDK 24+ warns about it on every build. Allow it quietly.
if [ "$(java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
