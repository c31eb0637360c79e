# Sourced by the scripts: installs what a fresh machine of this kind lacks.
# Usage: ensure_packages pkg...   (Debian package names; installs only the missing ones)

ensure_packages() {
    local missing=()
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The libraries the build links against, and the tools the tests talk to the server with.
ensure_build_deps() { ensure_packages libssl-dev libnghttp2-dev pkg-config openssl; }
# python3-prometheus-client: Tests/metrics/check_exposition.py parses /metrics with the reference parser.
ensure_test_deps() { ensure_packages curl nghttp2-client python3 python3-prometheus-client openssl; }

# The first free TCP port on loopback at or after $1.
free_port() {
    local p=${1:-18443}
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
    echo "$p"
}
