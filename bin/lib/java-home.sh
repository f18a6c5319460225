# Sourced by the bin/ scripts: points JAVA_HOME at the newest JDK >= 21 under /usr/lib/jvm
# (the machine's default java may be older), unless JAVA_HOME already names one.
stevedore_java_major() {
  local release="$1/release" v
  [ -f "$release" ] || { echo 0; return; }
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  echo "${v:-0}"
}
if [ -z "${JAVA_HOME:-}" ] || [ "$(stevedore_java_major "$JAVA_HOME")" -lt 21 ]; then
  best="" best_major=0
  for jdk in /usr/lib/jvm/*/; do
    jdk="${jdk%/}"
    [ -x "$jdk/bin/javac" ] || continue
    major=$(stevedore_java_major "$jdk")
    if [ "$major" -gt "$best_major" ]; then best="$jdk"; best_major="$major"; fi
  done
  if [ "$best_major" -lt 21 ]; then
    echo "Stevedore needs a JDK 21 or newer under /usr/lib/jvm; found none." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
fi
export PATH="$JAVA_HOME/bin:$PATH"
