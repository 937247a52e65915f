# Sourced by the Deploy scripts: one build of cordon that every script reuses.
#
# SwiftPM rebuilds what a changed environment variable reaches (the OpenAPI generator, parts of
# Hummingbird): a script that exported DATABASE_URL before building, and another that did not,
# each recompiled for minutes. Every build here runs under the same minimal environment.

# swift_fixed ARGS...: swift with only HOME, PATH and the locale from the caller's environment.
swift_fixed() { env -i HOME="$HOME" PATH="$PATH" LANG=C.UTF-8 swift "$@"; }

# product_build PRODUCT [CONFIG]: builds one product (release unless CONFIG says debug), progress
# on stderr, and prints the binary's path.
product_build() {
  local product=$1 config=${2:-release}
  # A failed build must stop the caller, not leave it running an older binary: the command
  # substitution that calls this does not inherit `set -e`.
  swift_fixed build -c "$config" --product "$product" --manifest-cache none >&2 || return
  printf '%s/%s\n' "$(swift_fixed build -c "$config" --show-bin-path)" "$product"
}

# cordon_build [CONFIG]: the cordon executable.
cordon_build() { product_build cordon "${1:-release}"; }
