# Sourced by the launchers (./keepsake, ./bench, scripts/test) and by developers (`. scripts/java-env.sh`):
# selects a JDK 21+ and exports JAVA_HOME, PATH and MAVEN_OPTS. Never exits the sourcing shell: on failure it
# prints why and returns 1 (the launchers stop on that).
# Order: $JAVA_HOME if it is 21+, else the newest JDK 21+ under /usr/lib/jvm, else `javac` on the PATH if 21+.

# Prints the major version of the JDK at $1 (reads its `release` file; runs it only if that is missing).
java_major() {
  local v=""
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")
  fi
  if [ -z "$v" ] && [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  fi
  v=${v#1.}          # 1.8 -> 8
  echo "${v%%[.+-]*}" # 25.0.3 -> 25
}

keepsake_select_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
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
    echo "keepsake: no JDK 21 or newer found (JAVA_HOME is '${JAVA_HOME:-unset}'," \
      "nothing suitable under /usr/lib/jvm)." >&2
    echo "keepsake: install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

keepsake_java_env() {
  keepsake_select_jdk || return 1
  case ":$PATH:" in
    *":$JAVA_HOME/bin:"*) ;;
    *) export PATH="$JAVA_HOME/bin:$PATH" ;;
  esac
  # Maven's bundled Guava calls sun.misc.Unsafe; JDK 24+ warns about it on every build. Allow it quietly.
  if [ "$(java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
    case " ${MAVEN_OPTS:-} " in
      *" --sun-misc-unsafe-memory-access=allow "*) ;;
      *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
    esac
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "keepsake: Maven (mvn) is not installed; install it (apt-get install maven)." >&2
    return 1
  fi
}

keepsake_java_env || { return 1 2>/dev/null || exit 1; }
