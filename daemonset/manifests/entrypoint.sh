#!/bin/sh
# Starts a process of the mesh (the main class and its arguments follow) with the JVM options every
# proxy runs with: ztunnel-jvm.options holds one JVM option per line and "env NAME=VALUE" lines for
# the environment, as the launcher and the bench read it; ZTUNNEL_JAVA_OPTS adds options.
set -eu
home=${AMBIENT_HOME:-/opt/ambient}
options=""
while IFS= read -r line || [ -n "$line" ]; do
  line=$(printf '%s' "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
  case "$line" in
    ''|'#'*) ;;
    'env '*) export "${line#env }" ;;
    *) options="$options $line" ;;
  esac
done < "$home/ztunnel-jvm.options"
# shellcheck disable=SC2086 # options are split on purpose, one word each
exec "${JAVA:-java}" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow $options \
  ${ZTUNNEL_JAVA_OPTS:-} -cp "$home/lib/*" "$@"
